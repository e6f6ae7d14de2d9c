import { type CaseTimeline, caseTimelineSchema } from '../../domain/case-timeline.ts';
import { type CaseView, caseViewSchema } from '../../domain/case-view.ts';

/** What the projector writes for a case: the view as of `projectedAt`, and the timeline of every event. */
export interface Projection {
  readonly view: CaseView;
  readonly timeline: CaseTimeline;
  /** The moment the view was folded as of: it holds from then until its first pending event counts. */
  readonly projectedAt: Date;
}

/** A view as stored: the view, its timeline and the projection revision that wrote them. */
export interface StoredView {
  readonly view: CaseView;
  /** Absent on views written before timelines were stored (projection revision 1). */
  readonly timeline?: CaseTimeline;
  readonly projectedAt?: Date;
  readonly projectionRevision: number;
}

/**
 * Whether a stored view is the case's view as of `at` (epoch ms) too, so the ledger need not be read: from the
 * moment it was folded (after every event it holds was recorded) until its first pending event starts to count,
 * no event can start or stop counting.
 */
export function storedViewHoldsAt(stored: StoredView, at: number): boolean {
  if (stored.projectedAt === undefined || at < stored.projectedAt.getTime()) return false;
  return stored.view.pendingUntil === null || at < Date.parse(stored.view.pendingUntil);
}

/** The attributes of a view item that `StoredView` needs, but the timeline. */
export const VIEW_ONLY = {
  ProjectionExpression: '#view, projectedAt, projectionRevision',
  ExpressionAttributeNames: { '#view': 'view' },
} as const;

/** Every attribute of a view item that `StoredView` needs, and its case id; not its index keys. */
export const STORED_VIEW = {
  ProjectionExpression: 'caseId, #view, timeline, projectedAt, projectionRevision',
  ExpressionAttributeNames: { '#view': 'view' },
} as const;

/**
 * A stored view, read back through its schema: DynamoDB maps keep no key order, and a view written by an
 * older projection revision must not leak fields the contract no longer has. The item may be a list index's
 * copy, which holds the view and the keys alone.
 */
export function viewOfItem(item: Record<string, unknown>): CaseView {
  return caseViewSchema.parse(item.view);
}

/** A view item read back as a `StoredView`: the view and timeline through their schemas. */
export function toStored(item: Record<string, unknown>): StoredView {
  return {
    view: viewOfItem(item),
    ...(item.timeline !== undefined && { timeline: caseTimelineSchema.parse(item.timeline) }),
    ...(typeof item.projectedAt === 'string' && { projectedAt: new Date(item.projectedAt) }),
    projectionRevision: Number(item.projectionRevision),
  };
}
