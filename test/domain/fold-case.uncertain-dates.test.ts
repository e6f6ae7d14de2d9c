import { describe, expect, it } from 'vitest';
import { event, opening } from '../support/sample-events.ts';
import { endOf, viewOf } from './case-specification.ts';

const opened = opening();
const detained = event('Detained', '2025-06-30', { place: 'Capital', facility: 'Central Remand Prison' });
const releasedSometimeInOctober = event('Released', '2025-10?', { mode: 'undisclosed', announced: false });
const story = [opened, detained, releasedSometimeInOctober];

describe('given a release known only as "October, probably" (2025-10?)', () => {
  it('when read before October, then the person is detained and nothing is pending', () => {
    expect(viewOf(story, { asOf: endOf('2025-09-30') })).toMatchObject({
      status: 'detained',
      pending: [],
      pendingUntil: null,
    });
  });

  it.each([
    ['its first millisecond', '2025-10-01T00:00:00.000Z'],
    ['mid-October', '2025-10-15T12:00:00.000Z'],
    ['its last millisecond but one', '2025-10-31T23:59:59.998Z'],
  ])('when read at %s, then the person is still detained and the release is pending', (_, at) => {
    expect(viewOf(story, { asOf: new Date(at) })).toMatchObject({
      status: 'detained',
      releasedAt: null,
      lastOccurredAt: '2025-06-30',
      pending: [releasedSometimeInOctober.eventId],
      pendingUntil: '2025-10-31T23:59:59.999Z',
      statusHistory: [{ status: 'detained', from: '2025-06-30', to: null }],
    });
  });

  it('when read at the last millisecond of October, then the release counts, dated as it was given', () => {
    expect(viewOf(story, { asOf: new Date('2025-10-31T23:59:59.999Z') })).toMatchObject({
      status: 'released',
      releasedAt: '2025-10?',
      releaseMode: 'undisclosed',
      lastOccurredAt: '2025-10?',
      pending: [],
      pendingUntil: null,
      statusHistory: [
        { status: 'detained', from: '2025-06-30', to: '2025-10?' },
        { status: 'released', from: '2025-10?', to: null },
      ],
    });
  });

  it('when read with no asOf, then the release counts', () => {
    expect(viewOf(story)).toMatchObject({ status: 'released', pending: [] });
  });

  it('when a transfer dated 20 October is also on record, then the release still ends the story', () => {
    const transfer = event('Transferred', '2025-10-20', { toFacility: 'Invented Colony' });
    expect(viewOf([opened, detained, releasedSometimeInOctober, transfer])).toMatchObject({
      status: 'released',
      facility: null,
      lastOccurredAt: '2025-10?',
      statusHistory: [
        { status: 'detained', from: '2025-06-30', to: '2025-10?' },
        { status: 'released', from: '2025-10?', to: null },
      ],
    });
  });

  it('when read on 25 October with that transfer on record, then the transfer counts and the release waits', () => {
    const transfer = event('Transferred', '2025-10-20', { toFacility: 'Invented Colony' });
    expect(
      viewOf([opened, detained, releasedSometimeInOctober, transfer], { asOf: endOf('2025-10-25') }),
    ).toMatchObject({
      status: 'detained',
      facility: 'Invented Colony',
      pending: [releasedSometimeInOctober.eventId],
    });
  });
});

describe('pending events in general', () => {
  it('an interval is pending from its start until its end', () => {
    const visit = event('ConsularVisit', '2025-07-01/2025-07-10', { by: 'Embassy of Utopia' });
    const events = [opened, detained, visit];
    expect(viewOf(events, { asOf: endOf('2025-07-05') })).toMatchObject({
      consularVisitCount: 0,
      pending: [visit.eventId],
      pendingUntil: '2025-07-10T23:59:59.999Z',
    });
    expect(viewOf(events, { asOf: endOf('2025-07-10') })).toMatchObject({
      consularVisitCount: 1,
      lastConsularVisitAt: '2025-07-01/2025-07-10',
      pending: [],
    });
  });

  it('a day is pending during that day, until its last millisecond', () => {
    const release = event('Released', '2025-08-01', { mode: 'bail', announced: true });
    expect(viewOf([opened, detained, release], { asOf: new Date('2025-08-01T12:00:00Z') })).toMatchObject({
      status: 'detained',
      pending: [release.eventId],
      pendingUntil: '2025-08-01T23:59:59.999Z',
    });
  });

  it('an instant is never pending: it counts from that very moment', () => {
    const release = event('Released', '2025-08-01T12:00:00Z', { mode: 'bail', announced: true });
    const events = [opened, detained, release];
    expect(viewOf(events, { asOf: new Date('2025-08-01T11:59:59.999Z') })).toMatchObject({
      status: 'detained',
      pending: [],
    });
    expect(viewOf(events, { asOf: new Date('2025-08-01T12:00:00.000Z') })).toMatchObject({
      status: 'released',
      pending: [],
    });
  });

  it('several pending events are listed in the order they will count; pendingUntil is the first of them', () => {
    const year = event('FamilyContact', '2025', { kind: 'letter' });
    const month = event('ConsularVisit', '2025-08~', { by: 'Embassy of Utopia' });
    const week = event('Transferred', '2025-08-04/2025-08-10', { toFacility: 'Invented Colony' });
    expect(viewOf([opened, detained, year, month, week], { asOf: endOf('2025-08-05') })).toMatchObject({
      pending: [week.eventId, month.eventId, year.eventId],
      pendingUntil: '2025-08-10T23:59:59.999Z',
    });
  });
});
