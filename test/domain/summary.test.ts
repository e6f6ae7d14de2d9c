import { describe, expect, it } from 'vitest';
import { stateAt } from '../../domain/case-timeline.ts';
import { caseTimeline, foldCase } from '../../domain/fold-case.ts';
import type { StoredEvent } from '../../domain/stored-event.ts';
import { summarize } from '../../domain/summary.ts';

let version = 0;
function stored(
  type: string,
  occurredAt: string,
  data: Record<string, unknown>,
  recordedAt = '2026-01-01T00:00:00Z',
) {
  version += 1;
  return {
    streamId: 'c',
    version,
    eventId: `e-${version}`,
    type,
    occurredAt,
    sources: [{ title: 'Invented test report' }],
    data,
    recordedAt,
    recordedBy: 'test',
    prevHash: '',
    hash: '',
  } as unknown as StoredEvent;
}

const opened = (nationality: string) =>
  stored('CaseOpened', '2025-07-01T09:00:00Z', {
    subject: { name: 'Test Person A', nationality },
    groupId: 'g',
  });

describe('case timelines', () => {
  it('give, at every day, the status and facility the fold gives as of that day', () => {
    const events = [
      opened('Utopia'),
      stored('Detained', '2025-06-30', { facility: 'North Remand' }),
      stored('Transferred', '2025-08~', { toFacility: 'South Colony' }),
      stored('Released', '2025-10?', { mode: 'bail', announced: false }),
      stored('Detained', '2025-12-03T08:00:00Z', { facility: 'East Cells' }),
    ];
    const timeline = caseTimeline(events);
    for (let day = Date.parse('2025-06-01'); day <= Date.parse('2026-01-15'); day += 86_400_000) {
      for (const at of [day, day + 86_399_999]) {
        const view = foldCase('c', events, { asOf: new Date(at) });
        const state = stateAt(timeline, at);
        if (view.statusHistory.length === 0) expect(state).toBeUndefined();
        else expect(state).toEqual({ status: view.status, facility: view.facility });
      }
    }
  });

  it('leave out what the ledger had not recorded by knownAt', () => {
    const events = [
      opened('Utopia'),
      stored('Detained', '2025-06-30', { facility: 'North Remand' }, '2025-07-01T00:00:00Z'),
      stored('Released', '2025-07-10', { mode: 'bail', announced: false }, '2025-09-01T00:00:00Z'),
    ];
    const august = Date.parse('2025-08-01');
    expect(stateAt(caseTimeline(events, { knownAt: new Date(august) }), august)?.status).toBe('detained');
    expect(stateAt(caseTimeline(events), august)?.status).toBe('released');
  });
});

describe('summarize', () => {
  const group = [
    [opened('Utopia'), stored('Detained', '2025-06-30', { facility: 'North Remand' })],
    [
      opened('Utopia'),
      stored('Detained', '2025-06-30', { facility: 'North Remand' }),
      stored('Released', '2025-10', { mode: 'bail', announced: true }),
    ],
    [opened('Freedonia'), stored('Detained', '2025-06-30', {})],
    [opened('Freedonia'), stored('Detained', '2025-11-02', { facility: 'South Colony' })],
    [opened('Freedonia')],
  ].map((events) => caseTimeline(events));

  it('counts a release dated to a month only from the end of that month', () => {
    const lastOfOctober = summarize(group, Date.parse('2025-10-31T23:59:59.998Z'));
    expect(lastOfOctober.byStatus.detained).toBe(3);
    expect(lastOfOctober.byStatus.released).toBe(0);
    const endOfOctober = summarize(group, Date.parse('2025-10-31T23:59:59.999Z'));
    expect(endOfOctober.byStatus.detained).toBe(2);
    expect(endOfOctober.byStatus.released).toBe(1);
  });

  it('counts people held by facility, those held somewhere unrecorded apart, and a case with no events as unknown', () => {
    expect(summarize(group, Date.parse('2025-11-05'))).toEqual({
      total: 5,
      byStatus: { detained: 3, house_arrest: 0, sentenced: 0, released: 1, deceased: 0, unknown: 1 },
      byFacility: { 'North Remand': 1, 'South Colony': 1 },
      heldAtUnknownFacility: 1,
      byNationality: { Utopia: 2, Freedonia: 3 },
    });
  });

  it('leaves out a person of whom nothing had occurred yet', () => {
    const before = summarize(group, Date.parse('2025-07-15'));
    expect(before.total).toBe(4);
    expect(before.byFacility).toEqual({ 'North Remand': 2 });
  });

  it('keeps a facility named like an object property an ordinary count', () => {
    const odd = caseTimeline([opened('Utopia'), stored('Detained', '2025-06-30', { facility: '__proto__' })]);
    const summary = summarize([odd, odd], Date.parse('2025-07-01'));
    expect(Object.entries(summary.byFacility)).toEqual([['__proto__', 2]]);
    expect(JSON.parse(JSON.stringify(summary)).byFacility).toEqual(JSON.parse('{"__proto__": 2}'));
  });
});
