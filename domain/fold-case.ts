import type { CaseTimeline, TimelineStep } from './case-timeline.ts';
import type { CaseView } from './case-view.ts';
import { type CaseFacts, type DatedEvent, evolveCase, initialFacts, openCase } from './evolve-case.ts';
import { occurredAtOf } from './occurred-at.ts';
import type { StoredEvent } from './stored-event.ts';

/** The two clocks (docs/architecture.md). Either, both or neither may be given. */
export interface FoldOptions {
  /** Valid time: only events that had occurred by this moment count. Absent: everything that has occurred. */
  readonly asOf?: Date;
  /** Transaction time: only events the ledger had recorded by this moment count. Absent: all of them. */
  readonly knownAt?: Date;
}

/** Orders by when events occurred: the latest possible moment first decides, then the earliest, then version. */
export function byOccurrence(a: DatedEvent, b: DatedEvent): number {
  return (
    a.occurred.latest - b.occurred.latest ||
    a.occurred.earliest - b.occurred.earliest ||
    a.event.version - b.event.version
  );
}

/** The events the ledger knew at `knownAt`, in stored order. */
export function knownEvents(events: readonly StoredEvent[], knownAt?: Date): StoredEvent[] {
  if (knownAt === undefined) return [...events];
  const limit = knownAt.getTime();
  return events.filter((event) => Date.parse(event.recordedAt) <= limit);
}

/** The events that count as facts: every known event but retractions and the events they retract. */
export function standingEvents(known: readonly StoredEvent[]): StoredEvent[] {
  const retracted = new Set(
    known.flatMap((event) => (event.type === 'Retracted' ? [event.data.eventId] : [])),
  );
  return known.filter((event) => event.type !== 'Retracted' && !retracted.has(event.eventId));
}

/** The opening facts and the standing dated events in the order they occurred: what every fold starts from. */
function orderedFacts(known: readonly StoredEvent[]): { opened: CaseFacts; dated: DatedEvent[] } {
  const standing = standingEvents(known);
  const opened = standing.filter((event) => event.type === 'CaseOpened').reduce(openCase, initialFacts());
  const dated = standing
    .filter((event) => event.type !== 'CaseOpened')
    .map((event): DatedEvent => ({ event, occurred: occurredAtOf(event.occurredAt) }))
    .sort(byOccurrence);
  return { opened, dated };
}

/**
 * Folds a case's stored events into its view.
 *
 * - `knownAt` keeps the events recorded by then, retractions included: a retraction is a change of the record,
 *   so it counts from when it was recorded, whatever its occurred date.
 * - `CaseOpened` is record-keeping, not a fact in the world: it is dated when the case was opened, often long
 *   after the detention, so it applies first and whatever `asOf` says.
 * - The other standing events are ordered by when they occurred; ties go by version (recorded order).
 * - `asOf` T: an event counts once its latest possible moment is ≤ T; while T falls inside its date range it is
 *   listed under `pending` and the view keeps what was true before it.
 * - `version` and `lastRecordedAt` describe the part of the stream that was read, pending or not.
 */
export function foldCase(
  caseId: string,
  events: readonly StoredEvent[],
  options: FoldOptions = {},
): CaseView {
  const known = knownEvents(events, options.knownAt);
  return viewOf(caseId, known, orderedFacts(known), options.asOf);
}

/** The view of `known` events, already ordered, as of `asOf`. */
function viewOf(
  caseId: string,
  known: readonly StoredEvent[],
  { opened, dated }: { opened: CaseFacts; dated: readonly DatedEvent[] },
  asOf: Date | undefined,
): CaseView {
  const horizon = asOf?.getTime() ?? Number.POSITIVE_INFINITY;
  const counted = dated.filter((item) => item.occurred.latest <= horizon);
  const pending = dated.filter((item) => item.occurred.earliest <= horizon && item.occurred.latest > horizon);
  const facts = counted.reduce(evolveCase, opened);
  const pendingUntil =
    pending.length > 0 ? Math.min(...pending.map((item) => item.occurred.latest)) : undefined;
  return {
    caseId,
    ...facts,
    pending: pending.map((item) => item.event.eventId),
    pendingUntil: pendingUntil === undefined ? null : new Date(pendingUntil).toISOString(),
    version: known.reduce((max, event) => Math.max(max, event.version), 0),
    lastRecordedAt: known.reduce<string | null>(
      (latest, event) => (latest === null || event.recordedAt > latest ? event.recordedAt : latest),
      null,
    ),
  };
}

/**
 * Where the person was, and in what status, after each event in the order events occurred — every event
 * counted, however far its uncertain date runs. `stateAt` reads it at any moment, so a stored timeline answers
 * "as of T" for every T without the ledger: the events that count at T are exactly a prefix of it, because the
 * fold orders by the latest bound and counts an event once that bound has passed.
 */
export function caseTimeline(
  events: readonly StoredEvent[],
  options: Pick<FoldOptions, 'knownAt'> = {},
): CaseTimeline {
  return timelineOf(orderedFacts(knownEvents(events, options.knownAt)));
}

function timelineOf({ opened, dated }: { opened: CaseFacts; dated: readonly DatedEvent[] }): CaseTimeline {
  const { steps } = extendTimeline({ facts: opened, steps: [] }, dated);
  return { nationality: opened.nationality, groupId: opened.groupId, steps };
}

/**
 * `foldCase` and `caseTimeline` of the whole stream at once, as a projection stores them: each event's date is
 * parsed once for both, which halves the cost of folding a long stream.
 */
export function foldCaseWithTimeline(
  caseId: string,
  events: readonly StoredEvent[],
  options: Pick<FoldOptions, 'asOf'> = {},
): { view: CaseView; timeline: CaseTimeline } {
  const ordered = orderedFacts(events);
  return { view: viewOf(caseId, events, ordered, options.asOf), timeline: timelineOf(ordered) };
}

/** The facts after a run of events, and the timeline steps up to them. */
export interface TimelineRun {
  readonly facts: CaseFacts;
  readonly steps: readonly TimelineStep[];
}

/**
 * Evolves `from.facts` over dated events given in the order they occurred, adding a timeline step at each
 * change of status or facility. `caseTimeline` runs it from the opening over a whole stream; a projector that
 * holds the facts and steps of every earlier event runs it over events that occurred after all of those.
 */
export function extendTimeline(
  from: TimelineRun,
  dated: readonly DatedEvent[],
): { facts: CaseFacts; steps: TimelineStep[] } {
  const steps = [...from.steps];
  let facts = from.facts;
  for (const item of dated) {
    facts = evolveCase(facts, item);
    const last = steps.at(-1);
    if (last === undefined || last.status !== facts.status || last.facility !== facts.facility) {
      steps.push({
        from: item.event.occurredAt,
        countsFrom: item.occurred.latest,
        status: facts.status,
        facility: facts.facility,
      });
    }
  }
  return { facts, steps };
}
