import { type CaseStatus, caseStatuses, custodyStatuses } from './case-status.ts';
import { type CaseTimeline, stateAt } from './case-timeline.ts';

/** The counts of `GET /summary`, at one moment. */
export interface Summary {
  /** Cases with a status at the moment: those where something about the person had occurred by then. */
  readonly total: number;
  /** Every status, zeros included, so that a missing key never has to be read as zero. */
  readonly byStatus: Record<CaseStatus, number>;
  /** People held at the moment (detained, under house arrest or sentenced), by the facility holding them. */
  readonly byFacility: Record<string, number>;
  /** People held at the moment whose facility the record does not name. */
  readonly heldAtUnknownFacility: number;
  /** Counted cases by nationality; `unknown` where the record gives none. */
  readonly byNationality: Record<string, number>;
}

function increment(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

/**
 * Counts cases by status, facility and nationality as of `asOf` (epoch ms), from their timelines. Pure: the
 * same timelines give the same summary whether they came from stored views or from folding the ledger.
 */
export function summarize(timelines: Iterable<CaseTimeline>, asOf: number): Summary {
  const byStatus = Object.fromEntries(caseStatuses.map((status) => [status, 0])) as Record<
    CaseStatus,
    number
  >;
  // Keys are recorded text: a prototype-free object keeps a facility called `__proto__` an ordinary count.
  const byFacility: Record<string, number> = Object.create(null);
  const byNationality: Record<string, number> = Object.create(null);
  let total = 0;
  let heldAtUnknownFacility = 0;
  for (const timeline of timelines) {
    const state = stateAt(timeline, asOf);
    if (state === undefined) continue;
    total += 1;
    byStatus[state.status] += 1;
    increment(byNationality, timeline.nationality ?? 'unknown');
    if (custodyStatuses.has(state.status)) {
      if (state.facility === null) heldAtUnknownFacility += 1;
      else increment(byFacility, state.facility);
    }
  }
  return { total, byStatus, byFacility, heldAtUnknownFacility, byNationality };
}
