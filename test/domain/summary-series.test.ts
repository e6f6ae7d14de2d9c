import { describe, expect, it } from 'vitest';
import { addDays, daysBetween } from '../../domain/calendar.ts';
import type { CaseTimeline } from '../../domain/case-timeline.ts';
import { caseTimeline } from '../../domain/fold-case.ts';
import type { StoredEvent } from '../../domain/stored-event.ts';
import { summarize } from '../../domain/summary.ts';
import { defaultSeriesStart, MAX_SERIES_DAYS, summarySeries } from '../../domain/summary-series.ts';

let version = 0;
function stored(type: string, occurredAt: string, data: Record<string, unknown>) {
  version += 1;
  return {
    streamId: 'c',
    version,
    eventId: `e-${version}`,
    type,
    occurredAt,
    sources: [{ title: 'Invented test report' }],
    data,
    recordedAt: '2026-01-01T00:00:00Z',
    recordedBy: 'test',
    prevHash: '',
    hash: '',
  } as unknown as StoredEvent;
}

const opened = () =>
  stored('CaseOpened', '2025-07-01T09:00:00Z', {
    subject: { name: 'Test Person', nationality: 'Utopia' },
    groupId: 'g',
  });

/** An invented group: each case a different way of being counted. */
function timelines() {
  const retractedDetention = stored('Detained', '2025-07-05', { facility: 'North Remand' });
  return {
    // Held from 2 July, released some time in October: counts as released from 31 October.
    uncertainRelease: caseTimeline([
      opened(),
      stored('Detained', '2025-07-02', { facility: 'North Remand' }),
      stored('Released', '2025-10', { mode: 'bail', announced: false }),
    ]),
    // A detention recorded, then retracted: never held.
    retracted: caseTimeline([
      opened(),
      retractedDetention,
      stored('Retracted', '2025-07-20', { eventId: retractedDetention.eventId, reason: 'wrong person' }),
    ]),
    // Detained long after the range: not counted in it at all.
    afterRange: caseTimeline([opened(), stored('Detained', '2026-03-01', { facility: 'East Cells' })]),
    // Detained before the range and sentenced inside it.
    sentenced: caseTimeline([
      opened(),
      stored('Detained', '2025-06-20', { facility: 'North Remand' }),
      stored('Sentenced', '2025-09-15', { term: { years: 3 }, facility: 'South Colony' }),
    ]),
    // Nothing dated: unknown on every day, as the summary has it.
    undated: { nationality: null, groupId: 'g', steps: [] } satisfies CaseTimeline,
  };
}

const endOfDay = (day: string) => Date.parse(`${day}T23:59:59.999Z`);

describe('summarySeries', () => {
  it('counts each day as the summary counts at the end of that day', () => {
    const all = Object.values(timelines());
    const series = summarySeries(all, { from: '2025-06-25', to: '2025-12-31' });
    expect(series.days).toHaveLength(daysBetween('2025-06-25', '2025-12-31') + 1);
    for (const { day, byStatus, held } of series.days) {
      const summary = summarize(all, endOfDay(day));
      expect(byStatus, day).toEqual(summary.byStatus);
      expect(held, day).toBe(byStatus.detained + byStatus.house_arrest + byStatus.sentenced);
    }
  });

  it('counts an uncertain release once its latest moment has passed', () => {
    const { uncertainRelease } = timelines();
    const series = summarySeries([uncertainRelease], { from: '2025-10-30', to: '2025-11-01' });
    expect(series.days.map((day) => [day.day, day.byStatus.detained, day.byStatus.released])).toEqual([
      ['2025-10-30', 1, 0],
      ['2025-10-31', 0, 1],
      ['2025-11-01', 0, 1],
    ]);
  });

  it('never counts a retracted detention as held', () => {
    const { retracted } = timelines();
    const series = summarySeries([retracted], { from: '2025-07-01', to: '2025-07-31' });
    expect(series.days.every((day) => day.held === 0)).toBe(true);
  });

  it('leaves out a case whose first event lies after the range, and counts one held since before it', () => {
    const { afterRange, sentenced } = timelines();
    const series = summarySeries([afterRange, sentenced], { from: '2025-09-14', to: '2025-09-15' });
    expect(series.days).toEqual([
      {
        day: '2025-09-14',
        byStatus: { detained: 1, house_arrest: 0, sentenced: 0, released: 0, deceased: 0, unknown: 0 },
        held: 1,
      },
      {
        day: '2025-09-15',
        byStatus: { detained: 0, house_arrest: 0, sentenced: 1, released: 0, deceased: 0, unknown: 0 },
        held: 1,
      },
    ]);
    expect(series.statuses).toEqual([
      'detained',
      'house_arrest',
      'sentenced',
      'released',
      'deceased',
      'unknown',
    ]);
  });

  it('agrees with the summary when a precise step falls inside an uncertain one before it', () => {
    // Detained "some time in October", released on 20 October: the release cannot count before the detention.
    const timeline = caseTimeline([
      opened(),
      stored('Detained', '2025-10', { place: 'Invented City', facility: 'North Remand' }),
      stored('Released', '2025-10-20', { mode: 'bail', announced: false }),
    ]);
    const series = summarySeries([timeline], { from: '2025-10-01', to: '2025-11-30' });
    for (const { day, byStatus } of series.days) {
      expect(byStatus, day).toEqual(summarize([timeline], endOfDay(day)).byStatus);
    }
  });

  it('reads a step only once every step before it counts, as stateAt does', () => {
    // Not what the fold makes (it orders by the latest bound), but a stored timeline is read as it is.
    const timeline: CaseTimeline = {
      nationality: null,
      groupId: 'g',
      steps: [
        { from: '2025-07', countsFrom: endOfDay('2025-07-31'), status: 'detained', facility: null },
        { from: '2025-07-10', countsFrom: endOfDay('2025-07-10'), status: 'released', facility: null },
      ],
    };
    const series = summarySeries([timeline], { from: '2025-07-01', to: '2025-08-02' });
    for (const { day, byStatus } of series.days) {
      expect(byStatus, day).toEqual(summarize([timeline], endOfDay(day)).byStatus);
    }
  });

  it('refuses a range that runs backwards or is longer than the longest series', () => {
    expect(() => summarySeries([], { from: '2025-07-02', to: '2025-07-01' })).toThrow(RangeError);
    const to = '2035-01-01';
    expect(summarySeries([], { from: addDays(to, -(MAX_SERIES_DAYS - 1)), to }).days).toHaveLength(
      MAX_SERIES_DAYS,
    );
    expect(() => summarySeries([], { from: addDays(to, -MAX_SERIES_DAYS), to })).toThrow(RangeError);
  });
});

describe('defaultSeriesStart', () => {
  it('is the first day any case was in custody', () => {
    expect(defaultSeriesStart(Object.values(timelines()), '2025-12-31')).toBe('2025-06-20');
  });

  it('is the last day when no case was ever in custody by then', () => {
    const { retracted, undated, afterRange } = timelines();
    expect(defaultSeriesStart([retracted, undated, afterRange], '2025-12-31')).toBe('2025-12-31');
  });

  it('is no earlier than the longest series allows', () => {
    expect(defaultSeriesStart(Object.values(timelines()), '2040-01-01')).toBe(
      addDays('2040-01-01', -(MAX_SERIES_DAYS - 1)),
    );
  });
});
