import { describe, expect, it } from 'vitest';
import { event, opening, recordedAtList, retraction } from '../support/sample-events.ts';
import { endOf, viewOf } from './case-specification.ts';

describe('knownAt: what the ledger knew at a moment', () => {
  // Detained on 20 December; the release on 28 December only reached the ledger on 10 February.
  const opened = opening({ occurredAt: '2025-12-21T10:00:00Z' });
  const detained = event('Detained', '2025-12-20', { place: 'Capital', facility: 'Central Remand Prison' });
  const released = event('Released', '2025-12-28', { mode: 'bail', announced: false });
  const visit = event('ConsularVisit', '2026-01-15', { by: 'Embassy of Utopia' });
  const events = [opened, detained, released, visit];
  const recordedAt = recordedAtList([
    '2025-12-21T10:00:00.000Z',
    '2025-12-21T10:05:00.000Z',
    '2026-02-10T08:00:00.000Z',
    '2026-01-16T09:00:00.000Z',
  ]);

  it('on 2 February, we believed the person was detained on 30 December', () => {
    expect(
      viewOf(events, { recordedAt, asOf: endOf('2025-12-30'), knownAt: endOf('2026-02-02') }),
    ).toMatchObject({
      status: 'detained',
      releasedAt: null,
      statusHistory: [{ status: 'detained', from: '2025-12-20', to: null }],
      version: 4,
      lastRecordedAt: '2026-01-16T09:00:00.000Z',
    });
  });

  it('on 15 February, we knew the person had been released on 28 December', () => {
    expect(
      viewOf(events, { recordedAt, asOf: endOf('2025-12-30'), knownAt: endOf('2026-02-15') }),
    ).toMatchObject({
      status: 'released',
      releasedAt: '2025-12-28',
      statusHistory: [
        { status: 'detained', from: '2025-12-20', to: '2025-12-28' },
        { status: 'released', from: '2025-12-28', to: null },
      ],
      version: 4,
      lastRecordedAt: '2026-02-10T08:00:00.000Z',
    });
  });

  it('an event recorded at exactly knownAt is known; one millisecond earlier it is not', () => {
    const at = new Date('2026-02-10T08:00:00.000Z');
    expect(viewOf(events, { recordedAt, knownAt: at }).status).toBe('released');
    expect(viewOf(events, { recordedAt, knownAt: new Date(at.getTime() - 1) }).status).toBe('detained');
  });

  it('before anything was recorded, the ledger knew nothing, not even the case', () => {
    expect(viewOf(events, { recordedAt, knownAt: new Date('2025-12-01T00:00:00Z') })).toMatchObject({
      status: 'unknown',
      nationality: null,
      version: 0,
      lastRecordedAt: null,
      statusHistory: [],
    });
  });

  it('version is the highest version known, not the count of counted events', () => {
    expect(viewOf(events, { recordedAt, knownAt: endOf('2026-01-20') })).toMatchObject({
      version: 4,
      consularVisitCount: 1,
      status: 'detained',
    });
  });
});

describe('asOf: what was true at a moment', () => {
  const opened = opening({ occurredAt: '2025-09-01T09:00:00Z' });
  const detained = event('Detained', '2025-06-30', { place: 'Capital' });

  it('the opening applies whatever asOf says, though the case was opened after the detention', () => {
    expect(viewOf([opened, detained], { asOf: endOf('2025-07-01') })).toMatchObject({
      status: 'detained',
      nationality: 'Utopia',
    });
    expect(viewOf([opened, detained], { asOf: endOf('2025-01-01') })).toMatchObject({
      status: 'unknown',
      nationality: 'Utopia',
    });
  });

  it('an event counts from the last moment of its day, inclusive', () => {
    expect(viewOf([opened, detained], { asOf: new Date('2025-06-30T23:59:59.999Z') }).status).toBe(
      'detained',
    );
    expect(viewOf([opened, detained], { asOf: new Date('2025-06-30T23:59:59.998Z') }).status).toBe('unknown');
  });
});

describe('a retraction counts from when it was recorded, whatever its occurred date', () => {
  const opened = opening();
  const detained = event('Detained', '2025-06-30', { place: 'Capital' });
  const retracted = retraction(detained, '2025-12-01');
  const recordedAt = recordedAtList([
    '2025-07-01T10:00:00.000Z',
    '2025-07-01T11:00:00.000Z',
    '2025-07-20T10:00:00.000Z',
  ]);

  it('known before the retraction was recorded, the detention counts', () => {
    expect(viewOf([opened, detained, retracted], { recordedAt, knownAt: endOf('2025-07-19') })).toMatchObject(
      {
        status: 'detained',
        version: 2,
      },
    );
  });

  it('known after, it does not, even as of a moment before the retraction is dated', () => {
    expect(
      viewOf([opened, detained, retracted], {
        recordedAt,
        knownAt: endOf('2025-07-20'),
        asOf: endOf('2025-07-01'),
      }),
    ).toMatchObject({ status: 'unknown', detainedAt: null, version: 3 });
  });
});
