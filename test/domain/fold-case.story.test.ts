import { describe, expect, it } from 'vitest';
import { event, opening } from '../support/sample-events.ts';
import { endOf, viewOf } from './case-specification.ts';

/** Test Person A: detained, held on remand, extended, visited, transferred and released on bail. */
const story = [
  opening({
    occurredAt: '2025-07-01T09:00:00Z',
    subject: { name: 'Test Person A', nationality: 'Utopia' },
    groupId: 'mass-arrest-1',
  }),
  event('Detained', '2025-06-30', { place: 'Capital', facility: 'Central Remand Prison' }),
  event('Charged', '2025-07-01', { charges: [{ text: 'Invented charge A', article: 'Art. 1' }] }),
  event('CustodyOrdered', '2025-07-01', { court: 'Invented District Court', months: 2 }),
  event('HearingScheduled', '2025-07-10', { court: 'Invented District Court', on: '2025-08-28' }),
  event('CustodyExtended', '2025-08-28', { court: 'Invented District Court', months: 3 }),
  event('ConsularVisit', '2025-09-10', { by: 'Embassy of Utopia' }),
  event('Transferred', '2025-10-01', { toFacility: 'Invented Penal Colony No. 1' }),
  event('Released', '2025-11-15', { mode: 'bail', announced: true }),
];

describe('given a typical story from detention to release', () => {
  it('then the view holds the whole of it', () => {
    expect(viewOf(story)).toEqual({
      caseId: 'case-under-test',
      groupId: 'mass-arrest-1',
      nationality: 'Utopia',
      status: 'released',
      facility: null,
      charges: [{ text: 'Invented charge A', article: 'Art. 1' }],
      detainedAt: '2025-06-30',
      releasedAt: '2025-11-15',
      releaseMode: 'bail',
      custodyUntil: null,
      lastConsularVisitAt: '2025-09-10',
      consularVisitCount: 1,
      nextHearingAt: '2025-08-28',
      lastHearingAt: null,
      lastHearingAttended: null,
      lastOccurredAt: '2025-11-15',
      statusHistory: [
        { status: 'detained', from: '2025-06-30', to: '2025-11-15' },
        { status: 'released', from: '2025-11-15', to: null },
      ],
      pending: [],
      pendingUntil: null,
      version: 9,
      lastRecordedAt: '2026-01-01T00:09:00.000Z',
    });
  });

  it('when read as of the day before the detention, then only the opening counts', () => {
    expect(viewOf(story, { asOf: endOf('2025-06-29') })).toMatchObject({
      groupId: 'mass-arrest-1',
      nationality: 'Utopia',
      status: 'unknown',
      facility: null,
      detainedAt: null,
      lastOccurredAt: null,
      statusHistory: [],
    });
  });

  it('when read after the custody order, then the person is on remand until two months after the order', () => {
    expect(viewOf(story, { asOf: endOf('2025-07-15') })).toMatchObject({
      status: 'detained',
      facility: 'Central Remand Prison',
      custodyUntil: '2025-09-01',
      nextHearingAt: '2025-08-28',
      lastOccurredAt: '2025-07-10',
      statusHistory: [{ status: 'detained', from: '2025-06-30', to: null }],
    });
  });

  it('when read after the extension, then the term runs three months from the end of the previous one', () => {
    expect(viewOf(story, { asOf: endOf('2025-08-28') })).toMatchObject({ custodyUntil: '2025-12-01' });
  });

  it('when read after the consular visit and the transfer, then both show and the person is still held', () => {
    expect(viewOf(story, { asOf: endOf('2025-10-05') })).toMatchObject({
      status: 'detained',
      facility: 'Invented Penal Colony No. 1',
      custodyUntil: '2025-12-01',
      lastConsularVisitAt: '2025-09-10',
      consularVisitCount: 1,
      releasedAt: null,
      releaseMode: null,
      statusHistory: [{ status: 'detained', from: '2025-06-30', to: null }],
    });
  });

  it('whatever the asOf, version and lastRecordedAt describe the whole stream that was read', () => {
    expect(viewOf(story, { asOf: endOf('2025-06-29') })).toMatchObject({
      version: 9,
      lastRecordedAt: '2026-01-01T00:09:00.000Z',
    });
  });
});

describe('given only the opening of a case', () => {
  it('then the status is unknown and the record says nothing yet', () => {
    expect(viewOf([opening()])).toEqual({
      caseId: 'case-under-test',
      groupId: null,
      nationality: 'Utopia',
      status: 'unknown',
      facility: null,
      charges: [],
      detainedAt: null,
      releasedAt: null,
      releaseMode: null,
      custodyUntil: null,
      lastConsularVisitAt: null,
      consularVisitCount: 0,
      nextHearingAt: null,
      lastHearingAt: null,
      lastHearingAttended: null,
      lastOccurredAt: null,
      statusHistory: [],
      pending: [],
      pendingUntil: null,
      version: 1,
      lastRecordedAt: '2026-01-01T00:01:00.000Z',
    });
  });
});
