import type { components } from '../api/ledger-api.d.ts';
import { HELD_STATUSES } from './board-query.ts';

export type SummarySeries = components['schemas']['SummarySeries'];

/** What the held-per-day chart says in one sentence: the chosen day's count and the day with the most. */
export interface HeldFacts {
  /** Held at the end of the chosen day; undefined when the day is outside the series. */
  readonly onDay: number | undefined;
  readonly most: number;
  /** The first day with the most held; undefined for an empty series. */
  readonly mostOn: string | undefined;
}

export function heldFacts(series: SummarySeries, day: string): HeldFacts {
  let most = 0;
  let mostOn: string | undefined;
  for (const entry of series.days) {
    if (mostOn === undefined || entry.held > most) {
      most = entry.held;
      mostOn = entry.day;
    }
  }
  return { onDay: series.days.find((entry) => entry.day === day)?.held, most, mostOn };
}

/** One row per day and held status, the shape a stacked chart reads. */
export function stackedRows(series: SummarySeries) {
  return series.days.flatMap((entry) =>
    HELD_STATUSES.map((status) => ({
      day: new Date(`${entry.day}T00:00:00Z`),
      status,
      count: entry.byStatus[status] ?? 0,
    })),
  );
}
