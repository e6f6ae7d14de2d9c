import { parseOccurredAt } from '../../../domain/occurred-at.ts';
import type { CaseAnswer } from './case-queries.ts';

export type CaseStatus = CaseAnswer['status'];

/** One interval of the status history as the chart draws it: from its first moment to the next one's. */
export interface StatusBand {
  readonly status: CaseStatus;
  readonly from: string;
  readonly to: string | null;
  readonly start: Date;
  readonly end: Date;
}

const startOf = (text: string) => {
  const parsed = parseOccurredAt(text);
  return parsed.ok ? parsed.value.earliest : undefined;
};

/**
 * The view's status history as bands in time: an interval runs from the first moment of its `from` to the
 * first moment of its `to` (the next interval's start), or to `until` while it lasts.
 */
export function statusBands(history: CaseAnswer['statusHistory'], until: number): StatusBand[] {
  return history.flatMap((interval) => {
    const start = startOf(interval.from);
    if (start === undefined) return [];
    const end = interval.to === null ? until : (startOf(interval.to) ?? until);
    return [{ ...interval, start: new Date(start), end: new Date(Math.max(end, start)) }];
  });
}
