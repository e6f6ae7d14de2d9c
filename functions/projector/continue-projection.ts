import type { TimelineStep } from '../../domain/case-timeline.ts';
import type { CaseView } from '../../domain/case-view.ts';
import type { CaseFacts, DatedEvent } from '../../domain/evolve-case.ts';
import { byOccurrence, extendTimeline } from '../../domain/fold-case.ts';
import { occurredAtOf } from '../../domain/occurred-at.ts';
import { PROJECTION_REVISION } from '../../domain/projection-revision.ts';
import type { StoredEvent } from '../../domain/stored-event.ts';
import type { Projection, StoredView } from '../store/stored-view.ts';

/** Why a case is folded again from its whole stream instead of from its stored view. */
export type RefoldReason =
  /** No view yet, or one written by another revision of the fold: nothing this code can build on. */
  | 'no-view'
  | 'other-revision'
  /** The stored view waits for an uncertain date to end: that event must find its place among the rest. */
  | 'pending'
  /**
   * The stored view was folded before its last event was recorded (clocks of different machines), so an event
   * it holds may not have counted yet; or this fold's clock is behind the stored one's.
   */
  | 'clock'
  /** The new events do not start right after the stored version. */
  | 'gap'
  /** A new event opens the case again or retracts an earlier one: the standing events change. */
  | 'record-change'
  /** A new event has not fully occurred yet at the moment of the fold: it is pending, or ahead of the clock. */
  | 'not-yet-counted'
  /** A new event occurred before the last event the stored view counted: it lands in the past. */
  | 'past-event';

/** The facts part of a view: what `evolveCase` works on. */
function factsOf(view: CaseView): CaseFacts {
  const { caseId: _c, pending: _p, pendingUntil: _u, version: _v, lastRecordedAt: _r, ...facts } = view;
  return facts;
}

/**
 * Whether new events may be folded onto `stored` at all, before reading them; the reason to refold when not.
 * The fold of a stored view can be continued only when every event it holds counted in it: no pending event,
 * and it was folded after its last event was recorded. The ledger refuses events dated after the moment they
 * are recorded, so an event recorded by then had begun by then: it counted, or it would be pending.
 */
export function refoldReasonOf(stored: StoredView | undefined): RefoldReason | undefined {
  if (stored === undefined) return 'no-view';
  if (stored.projectionRevision !== PROJECTION_REVISION || stored.timeline === undefined)
    return 'other-revision';
  if (stored.view.pending.length > 0) return 'pending';
  const lastRecordedAt = stored.view.lastRecordedAt;
  if (
    stored.projectedAt === undefined ||
    lastRecordedAt === null ||
    stored.projectedAt.getTime() < Date.parse(lastRecordedAt)
  ) {
    return 'clock';
  }
  return undefined;
}

/** Whether `item` sorts after an event whose occurred-at text is `earlier`, in the order `foldCase` folds. */
function sortsAfter(item: DatedEvent, earlier: string): boolean {
  const bounds = occurredAtOf(earlier);
  // Equal bounds tie on version, and every new event has a higher version than every stored one.
  return (
    item.occurred.latest > bounds.latest ||
    (item.occurred.latest === bounds.latest && item.occurred.earliest >= bounds.earliest)
  );
}

/**
 * Whether `first` sorts after every event the stored view was folded from. `lastOccurredAt` is the date of the
 * last event `evolveCase` applied that changed the facts (it stamps each such event's date on them). An event
 * it leaves the facts unchanged by can sort later, and matters only as the first event of all: it makes the
 * timeline's first step. So the new events must also sort after the event that made the timeline's last step.
 */
function comesAfterStored(first: DatedEvent, view: CaseView, steps: readonly TimelineStep[]): boolean {
  const lastStep = steps.at(-1);
  return (
    (view.lastOccurredAt === null || sortsAfter(first, view.lastOccurredAt)) &&
    (lastStep === undefined || sortsAfter(first, lastStep.from))
  );
}

/**
 * The projection of a case at `projectedAt` from its stored view and the events recorded after it — the same
 * view and timeline `foldCase` and `caseTimeline` make from the whole stream — or the reason it cannot be
 * made so and the whole stream must be folded again.
 *
 * The stored facts are the fold of every event they hold, in the order the events occurred. New events that
 * all occurred after the last of those, and all count at `projectedAt`, come after them in that order, so
 * evolving the stored facts over them gives what the whole fold gives. A new event that lands in the past,
 * is still pending, or changes which events stand (a retraction) changes the order or the set: refold.
 *
 * @example
 * ```ts
 * const stored = await views.get(caseId); // a view whose `refoldReasonOf` is undefined
 * const next = continueProjection(stored, eventsAfterItsVersion, new Date());
 * if (typeof next === 'string') {
 *   // refold, for the reason `next` names: foldCase(caseId, await ledger.readStream(caseId), { asOf })
 * }
 * ```
 */
export function continueProjection(
  stored: StoredView,
  fresh: readonly StoredEvent[],
  projectedAt: Date,
): Projection | RefoldReason {
  const reason = refoldReasonOf(stored);
  if (reason !== undefined) return reason;
  const { view, timeline } = stored;
  if (timeline === undefined || stored.projectedAt === undefined) return 'other-revision';
  if (projectedAt.getTime() < stored.projectedAt.getTime()) return 'clock';
  if (fresh.some((event, index) => event.version !== view.version + index + 1)) return 'gap';
  if (fresh.some((event) => event.type === 'Retracted' || event.type === 'CaseOpened'))
    return 'record-change';
  const horizon = projectedAt.getTime();
  const dated = fresh
    .map((event): DatedEvent => ({ event, occurred: occurredAtOf(event.occurredAt) }))
    .sort(byOccurrence);
  if (dated.some((item) => item.occurred.latest > horizon)) return 'not-yet-counted';
  const first = dated[0];
  if (first !== undefined && !comesAfterStored(first, view, timeline.steps)) return 'past-event';

  const run = extendTimeline({ facts: factsOf(view), steps: timeline.steps }, dated);
  // ISO 8601 instants in UTC with milliseconds: text order is time order, as in `foldCase`.
  const recorded = [view.lastRecordedAt, ...fresh.map((event) => event.recordedAt)];
  const lastRecordedAt =
    recorded
      .filter((at): at is string => at !== null)
      .sort()
      .at(-1) ?? null;
  return {
    view: {
      caseId: view.caseId,
      ...run.facts,
      pending: [],
      pendingUntil: null,
      version: fresh.at(-1)?.version ?? view.version,
      lastRecordedAt,
    },
    timeline: { ...timeline, steps: run.steps },
    projectedAt,
  };
}
