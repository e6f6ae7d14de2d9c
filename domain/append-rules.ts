import canonicalize from 'canonicalize';
import { type FieldIssue, RuleViolationError, ValidationError } from './errors.ts';
import type { RecordableEvent } from './event-catalogue.ts';
import { isNotInFuture, occurredAtOf } from './occurred-at.ts';

/**
 * The most events one append may carry. An append is one DynamoDB transaction (at most 100 items), and each
 * event takes two items: the event and the guard that makes its `eventId` unique. So 50, not 100.
 */
export const MAX_EVENTS_PER_APPEND = 50;

/**
 * The largest event, as canonical JSON. DynamoDB items stop at 400 KB; events are facts and sources, not
 * documents, so a far smaller bound keeps a full transaction under its 4 MB cap and catches pasted files.
 */
export const MAX_EVENT_BYTES = 64 * 1024;

/** What the ledger knows about an event that a `Retracted` names. */
export interface RetractionTarget {
  readonly streamId: string;
  readonly type: RecordableEvent['type'];
}

/** What the append rules need to know about the stream, looked up by the caller before deciding. */
export interface AppendContext {
  readonly caseId: string;
  /** The stream's head version; 0 for a stream that does not exist yet. */
  readonly headVersion: number;
  /** The moment of the append, for refusing events dated in the future. */
  readonly now: Date;
  /** The ledger's events named by the `Retracted` events of the request, by event id. */
  readonly retractionTargets: ReadonlyMap<string, RetractionTarget>;
}

/** An event of the request with the id it will be stored under. */
export type IdentifiedEvent = RecordableEvent & { readonly eventId: string };

function shapeIssues(events: readonly IdentifiedEvent[], context: AppendContext): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (events.length === 0) issues.push({ path: 'events', message: 'at least one event' });
  if (events.length > MAX_EVENTS_PER_APPEND) {
    issues.push({ path: 'events', message: `at most ${MAX_EVENTS_PER_APPEND} events in one append` });
  }
  const seen = new Set<string>();
  for (const [index, event] of events.entries()) {
    if (seen.has(event.eventId))
      issues.push({ path: `events.${index}.eventId`, message: 'repeats an earlier event' });
    seen.add(event.eventId);
    if (!isNotInFuture(occurredAtOf(event.occurredAt), context.now)) {
      issues.push({ path: `events.${index}.occurredAt`, message: 'is in the future' });
    }
    const bytes = Buffer.byteLength(canonicalize(event) ?? '', 'utf8');
    if (bytes > MAX_EVENT_BYTES) {
      issues.push({ path: `events.${index}`, message: `is ${bytes} bytes; at most ${MAX_EVENT_BYTES}` });
    }
  }
  return issues;
}

function retractionIssue(
  event: IdentifiedEvent,
  index: number,
  earlier: readonly IdentifiedEvent[],
  context: AppendContext,
): FieldIssue | undefined {
  if (event.type !== 'Retracted') return undefined;
  const path = `events.${index}.data.eventId`;
  const stored = context.retractionTargets.get(event.data.eventId);
  const target =
    stored?.streamId === context.caseId ? stored : earlier.find((e) => e.eventId === event.data.eventId);
  if (!target) return { path, message: 'names no event of this case' };
  if (target.type === 'CaseOpened' || target.type === 'Retracted' || target.type === 'Erased') {
    return { path, message: `a ${target.type} event cannot be retracted` };
  }
  return undefined;
}

function streamIssues(events: readonly IdentifiedEvent[], context: AppendContext): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const [index, event] of events.entries()) {
    const opensStream = context.headVersion === 0 && index === 0;
    if (opensStream && event.type !== 'CaseOpened') {
      issues.push({ path: `events.${index}.type`, message: 'a case must begin with CaseOpened' });
    }
    if (!opensStream && event.type === 'CaseOpened') {
      issues.push({ path: `events.${index}.type`, message: 'the case is already open' });
    }
    const retraction = retractionIssue(event, index, events.slice(0, index), context);
    if (retraction) issues.push(retraction);
  }
  return issues;
}

/**
 * Decides whether a list of events may be appended to a case, all or nothing. Throws `ValidationError` for
 * input that is wrong on its face (empty, too many, future dates, oversized, repeated ids) and
 * `RuleViolationError` for input that is well formed but breaks the ledger's rules for this stream.
 */
export function checkAppend(events: readonly IdentifiedEvent[], context: AppendContext): void {
  const shape = shapeIssues(events, context);
  if (shape.length > 0) throw new ValidationError(shape);
  const rules = streamIssues(events, context);
  if (rules.length > 0) throw new RuleViolationError(rules);
}
