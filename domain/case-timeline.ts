import * as z from 'zod';
import { type CaseStatus, caseStatuses } from './case-status.ts';

/** One change of where, and in what status, a person was: from the event that occurred at `from`. */
export const timelineStepSchema = z.object({
  /** The occurred-at text of the event that made the change. */
  from: z.string(),
  /** The moment the change counts from: the latest bound of `from` (an uncertain date counts once it is over). */
  countsFrom: z.number(),
  status: z.enum(caseStatuses),
  facility: z.string().nullable(),
});

/** A case's status and facility over valid time, with what never changes: nationality and group. */
export const caseTimelineSchema = z.object({
  nationality: z.string().nullable(),
  groupId: z.string().nullable(),
  steps: z.array(timelineStepSchema),
});

export type TimelineStep = z.output<typeof timelineStepSchema>;
export type CaseTimeline = z.output<typeof caseTimelineSchema>;

/** Where a case stood at a moment; `undefined` when nothing about the person had occurred by then. */
export interface CaseState {
  readonly status: CaseStatus;
  readonly facility: string | null;
}

/**
 * The state at `at` (epoch ms): the last step that counts by then. A case whose record holds no dated event
 * at all is `unknown` at every moment — it is in the record, and nothing is known of the person.
 */
export function stateAt(timeline: CaseTimeline, at: number): CaseState | undefined {
  if (timeline.steps.length === 0) return { status: 'unknown', facility: null };
  let state: CaseState | undefined;
  for (const step of timeline.steps) {
    if (step.countsFrom > at) break;
    state = { status: step.status, facility: step.facility };
  }
  return state;
}

/** A step as it counts: from `at`, the running latest of the steps' `countsFrom` up to it. */
export interface EffectiveStep {
  readonly at: number;
  readonly status: CaseStatus;
  readonly facility: string | null;
}

/**
 * The moment each step starts to be the case's state. The fold orders steps by their latest bound, so
 * `countsFrom` only grows; `stateAt` reads a step only once every step before it counts, so the running latest
 * moment keeps whatever reads these steps to what `stateAt` says of any timeline, however it was made. A
 * timeline without dated events is one `unknown` step from the beginning of time (`at` is −∞).
 */
export function effectiveSteps(timeline: CaseTimeline): EffectiveStep[] {
  if (timeline.steps.length === 0)
    return [{ at: Number.NEGATIVE_INFINITY, status: 'unknown', facility: null }];
  let latest = Number.NEGATIVE_INFINITY;
  return timeline.steps.map((step) => {
    latest = Math.max(latest, step.countsFrom);
    return { at: latest, status: step.status, facility: step.facility };
  });
}
