import { addDays, dayOf, daysBetween } from './calendar.ts';
import { type CaseStatus, caseStatuses, custodyStatuses } from './case-status.ts';
import { type CaseTimeline, effectiveSteps } from './case-timeline.ts';

/** The longest series one request may ask for: ten years of days. */
export const MAX_SERIES_DAYS = 3660;

/** One day of a series: the counts as they stood at the end of that day (UTC). */
export interface SeriesDay {
  readonly day: string;
  /** Every status, zeros included, as `GET /summary` counts them. */
  readonly byStatus: Record<CaseStatus, number>;
  /** People in custody (detained, under house arrest or sentenced). */
  readonly held: number;
}

export interface SummarySeries {
  readonly from: string;
  readonly to: string;
  readonly statuses: CaseStatus[];
  readonly days: SeriesDay[];
}

/** The last moment (epoch ms) of a UTC day, the moment `GET /summary?asOf=<day>` counts. */
function endOfDay(day: string): number {
  return Date.parse(`${day}T23:59:59.999Z`);
}

/** The first day a timeline's case was in custody, if it ever was. */
function firstCustodyDay(timeline: CaseTimeline): string | undefined {
  const entered = effectiveSteps(timeline).find(
    (step) => custodyStatuses.has(step.status) && Number.isFinite(step.at),
  );
  return entered ? dayOf(entered.at) : undefined;
}

/**
 * The default start of a series: the first day any case entered custody, no earlier than the longest series
 * allows before `to`, and `to` itself when no case ever was in custody by then.
 */
export function defaultSeriesStart(timelines: Iterable<CaseTimeline>, to: string): string {
  let earliest: string | undefined;
  for (const timeline of timelines) {
    const day = firstCustodyDay(timeline);
    if (day !== undefined && (earliest === undefined || day < earliest)) earliest = day;
  }
  if (earliest === undefined || earliest > to) return to;
  const floor = addDays(to, -(MAX_SERIES_DAYS - 1));
  return earliest < floor ? floor : earliest;
}

/**
 * Counts by status for every day of [from, to] (UTC days, inclusive), each as `summarize` counts at the end of
 * that day, in one pass over the timelines: every change of state adds +1 to its new status and −1 to its old
 * one on the day it starts to count, and a running sum over the days turns the changes into counts. A case
 * counts from the day its first step counts (an uncertain date once its latest moment has passed); a case
 * whose record has no dated event is `unknown` every day, as `summarize` has it.
 */
export function summarySeries(
  timelines: Iterable<CaseTimeline>,
  { from, to }: { from: string; to: string },
): SummarySeries {
  const length = daysBetween(from, to) + 1;
  if (length < 1 || length > MAX_SERIES_DAYS) {
    throw new RangeError(`a series is 1 to ${MAX_SERIES_DAYS} days: ${from} to ${to}`);
  }
  const start = endOfDay(from);
  const changes = Array.from({ length }, () => new Map<CaseStatus, number>());
  const change = (index: number, status: CaseStatus, by: number) => {
    const day = changes[index]!;
    day.set(status, (day.get(status) ?? 0) + by);
  };
  for (const timeline of timelines) {
    let current: CaseStatus | undefined;
    for (const step of effectiveSteps(timeline)) {
      // A change on or before the first day's end is part of the state that day starts the series with.
      const index = step.at <= start ? 0 : daysBetween(from, dayOf(step.at));
      if (index >= length) break;
      if (current !== undefined) change(index, current, -1);
      change(index, step.status, +1);
      current = step.status;
    }
  }
  const running = Object.fromEntries(caseStatuses.map((status) => [status, 0])) as Record<CaseStatus, number>;
  const days = changes.map((dayChanges, index) => {
    for (const [status, by] of dayChanges) running[status] += by;
    const byStatus = { ...running };
    const held = caseStatuses.reduce(
      (sum, status) => (custodyStatuses.has(status) ? sum + byStatus[status] : sum),
      0,
    );
    return { day: addDays(from, index), byStatus, held };
  });
  return { from, to, statuses: [...caseStatuses], days };
}
