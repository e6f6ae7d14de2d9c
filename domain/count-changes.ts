import { type CaseStatus, custodyStatuses } from './case-status.ts';
import { type CaseTimeline, effectiveSteps } from './case-timeline.ts';

/**
 * What a case is counted under in `GET /summary`, one key each: every counted case under `total` and its
 * nationality; its status; and, while held, its facility (or the unknown facility). `custodyEntered` counts the
 * first time each case entered custody, and never goes down: the day it first rises is where a held-per-day
 * series starts.
 */
export const countKey = {
  total: 'total',
  status: (status: string) => `status:${status}`,
  facility: (facility: string) => `facility:${facility}`,
  unknownFacility: 'unknownFacility',
  nationality: (nationality: string) => `nationality:${nationality}`,
  custodyEntered: 'custodyEntered',
} as const;

/** One change of a count: `by` (±1, or a sum of them) to `key` from the moment `at` (epoch ms) on. */
export interface CountChange {
  readonly at: number;
  readonly key: string;
  readonly by: number;
}

/** The keys a case counts under while in one step, given what never changes: its nationality. */
function keysOf(status: CaseStatus, facility: string | null): string[] {
  const keys = [countKey.status(status)];
  if (custodyStatuses.has(status)) {
    keys.push(facility === null ? countKey.unknownFacility : countKey.facility(facility));
  }
  return keys;
}

/**
 * The changes of the counts that one case's timeline makes, in moment order: +1 to each key it enters and −1 to
 * each it leaves, at the moment the step starts to count (an uncertain date once its latest moment has passed).
 * Summed over every case up to a moment T they give `summarize(timelines, T)`, because a step counts at T exactly
 * when `stateAt` would read it then. A timeline without dated events counts as `unknown` from the beginning of
 * time (`at` is −∞), as `stateAt` has it.
 */
export function countChangesOf(timeline: CaseTimeline): CountChange[] {
  const steps = effectiveSteps(timeline);
  const changes: CountChange[] = [];
  const first = steps[0];
  if (first === undefined) return changes;
  changes.push({ at: first.at, key: countKey.total, by: 1 });
  changes.push({ at: first.at, key: countKey.nationality(timeline.nationality ?? 'unknown'), by: 1 });
  let current: string[] = [];
  let enteredCustody = false;
  for (const step of steps) {
    const next = keysOf(step.status, step.facility);
    for (const key of current) if (!next.includes(key)) changes.push({ at: step.at, key, by: -1 });
    for (const key of next) if (!current.includes(key)) changes.push({ at: step.at, key, by: 1 });
    if (!enteredCustody && custodyStatuses.has(step.status) && Number.isFinite(step.at)) {
      enteredCustody = true;
      changes.push({ at: step.at, key: countKey.custodyEntered, by: 1 });
    }
    current = next;
  }
  return changes;
}

/**
 * What the counts must change by when a case's counted timeline `before` becomes `after` (either absent: the
 * case was not counted, or is no longer), netted per moment and key, with the changes that cancel out left out — most of a case's
 * history is the same before and after an event, and only what differs is written.
 */
export function countDelta(before: CaseTimeline | undefined, after: CaseTimeline | undefined): CountChange[] {
  const net = new Map<number, Map<string, number>>();
  const add = (change: CountChange, sign: number) => {
    let keys = net.get(change.at);
    if (keys === undefined) {
      keys = new Map();
      net.set(change.at, keys);
    }
    keys.set(change.key, (keys.get(change.key) ?? 0) + sign * change.by);
  };
  if (before !== undefined) for (const change of countChangesOf(before)) add(change, -1);
  if (after !== undefined) for (const change of countChangesOf(after)) add(change, 1);
  const delta: CountChange[] = [];
  for (const at of [...net.keys()].sort((a, b) => a - b)) {
    for (const [key, by] of net.get(at)!) if (by !== 0) delta.push({ at, key, by });
  }
  return delta;
}
