import { describe, expect, it } from 'vitest';
import { type IdentifiedEvent, MAX_EVENT_BYTES, MAX_EVENTS_PER_APPEND } from '../../domain/append-rules.ts';
import { RuleViolationError, ValidationError } from '../../domain/errors.ts';
import { newEventSchema } from '../../domain/event-catalogue.ts';
import { event, fixedEventId, opening } from '../support/sample-events.ts';
import { given } from './case-specification.ts';

/** The moment of every append here. */
const now = new Date('2025-10-15T12:00:00.000Z');

/** A case at version 3. */
const openCase = [
  opening({ occurredAt: '2025-09-30' }),
  event('Detained', '2025-09-29', { place: 'Capital' }, fixedEventId(101)),
  event('ConsularVisit', '2025-09-30', { by: 'Embassy of Utopia' }, fixedEventId(102)),
];

function visit(n: number, occurredAt = '2025-10-01'): IdentifiedEvent {
  return event('ConsularVisit', occurredAt, { by: 'Embassy of Utopia' }, fixedEventId(n));
}

/** When these events are appended to the open case. */
const appending = (events: readonly IdentifiedEvent[]) => given(openCase).when(events, now);

/**
 * A valid Detained event whose JSON form is exactly `bytes` long, built from multi-byte sources and an ASCII note.
 * The size is measured with JSON.stringify: for these strings (no characters JSON must escape) the RFC 8785
 * form has the same bytes, only in a different key order.
 */
function eventOfBytes(bytes: number): IdentifiedEvent {
  const source = {
    title: '\u754c'.repeat(500), // 500 characters, 3 bytes each in UTF-8
    publisher: '\u754c'.repeat(200),
    url: `https://example.org/${'a'.repeat(1980)}`,
  };
  const base = event('Detained', '2025-10-01', { place: 'Capital' }, fixedEventId(1));
  const withSources = { ...base, sources: Array(15).fill(source), note: '' };
  const padding = bytes - Buffer.byteLength(JSON.stringify(withSources), 'utf8');
  if (padding < 1 || padding > 4000)
    throw new Error(`cannot pad to ${bytes} bytes with a note of ${padding}`);
  const built = { ...withSources, note: 'n'.repeat(padding) };
  expect(Buffer.byteLength(JSON.stringify(built), 'utf8')).toBe(bytes);
  expect(newEventSchema.parse(built)).toEqual(built);
  return built as IdentifiedEvent;
}

describe('how many events one append may carry', () => {
  it('refuses an empty append', () => {
    const error = appending([]).thenRefused('validation_failed', [
      { path: 'events', message: 'at least one event' },
    ]);
    expect(error).toBeInstanceOf(ValidationError);
  });

  it(`accepts ${MAX_EVENTS_PER_APPEND} events, the most one DynamoDB transaction can hold with their guards`, () => {
    expect(MAX_EVENTS_PER_APPEND).toBe(50);
    const events = Array.from({ length: MAX_EVENTS_PER_APPEND }, (_, i) => visit(i + 1));
    appending(events).thenAccepted();
  });

  it(`refuses ${MAX_EVENTS_PER_APPEND + 1} events`, () => {
    const events = Array.from({ length: MAX_EVENTS_PER_APPEND + 1 }, (_, i) => visit(i + 1));
    const error = appending(events).thenRefused('validation_failed', [
      { path: 'events', message: 'at most 50 events in one append' },
    ]);
    expect(error).toBeInstanceOf(ValidationError);
  });
});

describe('how large one event may be', () => {
  it('the bound is 64 KiB of canonical JSON', () => {
    expect(MAX_EVENT_BYTES).toBe(65_536);
  });

  it('accepts an event of exactly the bound', () => {
    appending([eventOfBytes(MAX_EVENT_BYTES)]).thenAccepted();
  });

  it('refuses a valid event one byte over the bound, saying how large it is', () => {
    const error = appending([visit(2), eventOfBytes(MAX_EVENT_BYTES + 1)]).thenRefused('validation_failed', [
      { path: 'events.1', message: 'is 65537 bytes; at most 65536' },
    ]);
    expect(error).toBeInstanceOf(ValidationError);
  });
});

describe('events dated in the future', () => {
  it.each([
    ['earlier today', '2025-10-15T11:59:59Z'],
    ['today, as a day', '2025-10-15'],
    ['this month, uncertain: it may already have happened', '2025-10?'],
    ['an interval that has begun', '2025-10-10/2025-11-10'],
    ['this very moment', '2025-10-15T12:00:00.000Z'],
  ])('accepts an event that occurred %s', (_, occurredAt) => {
    appending([visit(1, occurredAt)]).thenAccepted();
  });

  it.each([
    ['a millisecond from now', '2025-10-15T12:00:00.001Z'],
    ['tomorrow', '2025-10-16'],
    ['next month', '2025-11'],
    ['an interval that has not begun', '2025-11-01/2025-11-30'],
  ])('refuses an event dated %s, at its occurredAt', (_, occurredAt) => {
    const error = appending([visit(1), visit(2, occurredAt)]).thenRefused('validation_failed', [
      { path: 'events.1.occurredAt', message: 'is in the future' },
    ]);
    expect(error).toBeInstanceOf(ValidationError);
  });
});

describe('event ids within one append', () => {
  it('refuses an id used twice, at the repeat', () => {
    const first = visit(1);
    const error = appending([first, visit(2), { ...visit(3), eventId: first.eventId }]).thenRefused(
      'validation_failed',
      [{ path: 'events.2.eventId', message: 'repeats an earlier event' }],
    );
    expect(error).toBeInstanceOf(ValidationError);
  });
});

describe('what the checks report', () => {
  it('reports every problem of the request at once, in order', () => {
    const first = visit(1);
    const error = appending([
      first,
      visit(2, '2026'),
      { ...visit(3, '2025-12'), eventId: first.eventId },
    ]).thenRefused('validation_failed', [
      { path: 'events.1.occurredAt', message: 'is in the future' },
      { path: 'events.2.eventId', message: 'repeats an earlier event' },
      { path: 'events.2.occurredAt', message: 'is in the future' },
    ]);
    expect(error.message).toBe(
      'events.1.occurredAt: is in the future; events.2.eventId: repeats an earlier event; events.2.occurredAt: is in the future',
    );
  });

  it('a malformed request is a ValidationError even when it also breaks a rule of the stream', () => {
    const opened = opening({ occurredAt: '2025-10-01' });
    const error = given([...openCase, visit(103), visit(104)])
      .when([opened, visit(1, '2026')], now)
      .thenRefused('validation_failed', [{ path: 'events.1.occurredAt', message: 'is in the future' }]);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).not.toBeInstanceOf(RuleViolationError);
  });
});
