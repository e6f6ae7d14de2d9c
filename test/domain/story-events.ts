import { randomUUID } from 'node:crypto';
import type { IdentifiedEvent } from '../../domain/append-rules.ts';
import { type EventData, type EventType, newEventSchema } from '../../domain/event-catalogue.ts';
import { type FoldOptions, foldCase } from '../../domain/fold-case.ts';
import { GENESIS_HASH, type HashableEvent, hashEvent } from '../../domain/hash-chain.ts';
import type { StoredEvent } from '../../domain/stored-event.ts';
import { inventedSource } from '../support/sample-events.ts';

/**
 * Builders for domain specs. Every event goes through the real catalogue schema, so a spec can only be written
 * with events a client could send; people and sources are invented.
 */

/** An event of the catalogue, parsed by `newEventSchema`, with an id. */
export function event<T extends EventType>(
  type: T,
  occurredAt: string,
  data: EventData<T>,
  eventId: string = randomUUID(),
): IdentifiedEvent {
  return newEventSchema.parse({
    eventId,
    type,
    occurredAt,
    sources: inventedSource,
    data,
  }) as IdentifiedEvent;
}

/** The opening of a case about an invented person. */
export function caseOpened(
  occurredAt = '2025-07-01T09:00:00Z',
  extra: Partial<EventData<'CaseOpened'>> = {},
): IdentifiedEvent {
  return event('CaseOpened', occurredAt, {
    subject: { name: 'Test Person A', nationality: 'Utopia' },
    ...extra,
  });
}

/** A retraction of an earlier event. */
export function retractionOf(target: IdentifiedEvent, occurredAt = '2025-12-01'): IdentifiedEvent {
  return event('Retracted', occurredAt, {
    eventId: target.eventId,
    reason: 'The report was about someone else',
  });
}

/** A UUID (v4 layout) that is the same in every run, for generated streams. */
export function fixedEventId(n: number): string {
  return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

/** The default transaction time of version `v`: one minute apart from 1 January 2026, after every test date. */
export function defaultRecordedAt(version: number): string {
  return new Date(Date.UTC(2026, 0, 1) + version * 60_000).toISOString();
}

export interface RecordOptions {
  readonly streamId?: string;
  /** When each version was recorded; by default one minute apart from 1 January 2026. */
  readonly recordedAt?: (version: number) => string;
}

/** Records events as the ledger would: versions 1, 2, 3 …, transaction times, and the hash chain. */
export function record(events: readonly IdentifiedEvent[], options: RecordOptions = {}): StoredEvent[] {
  const { streamId = 'case-under-test', recordedAt = defaultRecordedAt } = options;
  const stored: StoredEvent[] = [];
  let prevHash = GENESIS_HASH;
  for (const [index, item] of events.entries()) {
    const version = index + 1;
    const hashable = {
      ...item,
      streamId,
      version,
      recordedAt: recordedAt(version),
      recordedBy: 'test-recorder',
      prevHash,
    } as HashableEvent;
    const hash = hashEvent(hashable);
    stored.push({ ...hashable, hash } as StoredEvent);
    prevHash = hash;
  }
  return stored;
}

/** Recorded-at times given explicitly, one per version, for specs about the `knownAt` clock. */
export function recordedAtList(times: readonly string[]): (version: number) => string {
  return (version) => {
    const time = times[version - 1];
    if (time === undefined) throw new Error(`No recorded-at time given for version ${version}`);
    return time;
  };
}

/** Given these events recorded in this order, the view of the case (with the clocks of `options`). */
export function viewOf(events: readonly IdentifiedEvent[], options: FoldOptions & RecordOptions = {}) {
  return foldCase('case-under-test', record(events, options), options);
}

/** The last millisecond of a UTC day, `YYYY-MM-DD`: what a query "as of that day" asks about. */
export function endOf(day: string): Date {
  return new Date(`${day}T23:59:59.999Z`);
}
