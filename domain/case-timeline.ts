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
