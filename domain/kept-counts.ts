import { addDays, daysBetween } from './calendar.ts';
import { type CaseStatus, caseStatuses, custodyStatuses } from './case-status.ts';
import { countKey } from './count-changes.ts';
import type { Summary } from './summary.ts';
import { MAX_SERIES_DAYS, type SummarySeries } from './summary-series.ts';

/** Summed changes of the counts, by count key (`count-changes.ts`). */
export type Counters = ReadonlyMap<string, number>;

/** One day's summed changes of the counts. */
export interface DayCounters {
  readonly day: string;
  readonly counters: Counters;
}

const STATUS = countKey.status('');
const FACILITY = countKey.facility('');
const NATIONALITY = countKey.nationality('');

function zeroStatuses(): Record<CaseStatus, number> {
  return Object.fromEntries(caseStatuses.map((status) => [status, 0])) as Record<CaseStatus, number>;
}

/**
 * The summary that counters summed up to a moment say: the same `Summary` that `summarize` folds from the
 * timelines, since every change the counters hold is one `summarize` would see by then. Keys that sum to zero are
 * left out, as `summarize` never lists a facility or nationality nobody is counted under.
 */
export function summaryOfCounters(counters: Counters): Summary {
  const byStatus = zeroStatuses();
  // Keys are recorded text: a prototype-free object keeps a facility called `__proto__` an ordinary count.
  const byFacility: Record<string, number> = Object.create(null);
  const byNationality: Record<string, number> = Object.create(null);
  for (const [key, count] of counters) {
    if (count === 0) continue;
    if (key.startsWith(STATUS)) {
      const status = key.slice(STATUS.length) as CaseStatus;
      if (status in byStatus) byStatus[status] += count;
    } else if (key.startsWith(FACILITY)) byFacility[key.slice(FACILITY.length)] = count;
    else if (key.startsWith(NATIONALITY)) byNationality[key.slice(NATIONALITY.length)] = count;
  }
  return {
    total: counters.get(countKey.total) ?? 0,
    byStatus,
    byFacility,
    heldAtUnknownFacility: counters.get(countKey.unknownFacility) ?? 0,
    byNationality,
  };
}

/**
 * The default start of a series from kept counters: the first day any case entered custody, no earlier than
 * the longest series allows before `to`, and `to` itself when no case ever was in custody by then — the rule of
 * `defaultSeriesStart`.
 */
export function seriesStartOfCounters(days: readonly DayCounters[], to: string): string {
  const first = days.find((day) => day.day <= to && (day.counters.get(countKey.custodyEntered) ?? 0) > 0);
  if (first === undefined) return to;
  const floor = addDays(to, -(MAX_SERIES_DAYS - 1));
  // biome-ignore lint/complexity/useMathMinMax: days are `YYYY-MM-DD` text, which Math.max would make NaN.
  return first.day < floor ? floor : first.day;
}

/**
 * Counts by status for every day of [from, to] from each day's summed changes, in day order: a running sum,
 * which is what `summarySeries` makes of the timelines. Nothing of any case is read.
 */
export function seriesOfCounters(
  days: readonly DayCounters[],
  { from, to }: { from: string; to: string },
): SummarySeries {
  const length = daysBetween(from, to) + 1;
  if (length < 1 || length > MAX_SERIES_DAYS) {
    throw new RangeError(`a series is 1 to ${MAX_SERIES_DAYS} days: ${from} to ${to}`);
  }
  const running = zeroStatuses();
  const apply = (counters: Counters) => {
    for (const [key, count] of counters) {
      if (!key.startsWith(STATUS)) continue;
      const status = key.slice(STATUS.length) as CaseStatus;
      if (status in running) running[status] += count;
    }
  };
  let next = 0;
  // The changes on or before the first day are the state the series starts with.
  while (next < days.length && days[next]!.day <= from) apply(days[next++]!.counters);
  const series = Array.from({ length }, (_, index) => {
    const day = addDays(from, index);
    if (index > 0) while (next < days.length && days[next]!.day <= day) apply(days[next++]!.counters);
    const byStatus = { ...running };
    const held = caseStatuses.reduce(
      (sum, status) => (custodyStatuses.has(status) ? sum + byStatus[status] : sum),
      0,
    );
    return { day, byStatus, held };
  });
  return { from, to, statuses: [...caseStatuses], days: series };
}
