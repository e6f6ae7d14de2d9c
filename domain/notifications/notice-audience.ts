import type { CurrentAlert } from './alert-transitions.ts';
import type { EventMention } from './notice.ts';
import { type Subscription, watches } from './subscription.ts';

/**
 * What a subscription may be told. Alerts and case events are what the status views show, so its owner must
 * have held a reader role (viewer, auditor or admin) when subscribing; a recorder alone appends but reads
 * nothing back, and so is told nothing. Whatever the role, nothing personal goes out (see notice.ts): the
 * mentions below are built from ids, kinds and dates only.
 */
export const READER_ROLES: ReadonlySet<string> = new Set(['viewer', 'auditor', 'admin']);

export function mayBeTold(subscription: Pick<Subscription, 'ownerRoles' | 'state'>): boolean {
  return subscription.state === 'active' && subscription.ownerRoles.some((role) => READER_ROLES.has(role));
}

/** The alerts a subscription watches: of its kinds, in its scope. Empty when it may be told nothing. */
export function alertsFor(subscription: Subscription, current: readonly CurrentAlert[]): CurrentAlert[] {
  if (!mayBeTold(subscription) || subscription.alertKinds.length === 0) return [];
  const kinds = new Set<string>(subscription.alertKinds);
  return current.filter(
    (alert) => kinds.has(alert.kind) && watches(subscription.scope, alert.caseId, alert.groupId),
  );
}

/** Whether a subscription is told of an event: of a watched type, of a case in its scope. */
export function watchesEvent(subscription: Subscription, event: EventMention): boolean {
  return (
    mayBeTold(subscription) &&
    (subscription.eventTypes as readonly string[]).includes(event.type) &&
    watches(subscription.scope, event.caseId, event.groupId)
  );
}

/**
 * The mention of a stored event: its ids, type and dates, and nothing of its data, note or sources (where
 * names and free text are). Built field by field so that a field added to events never slips through.
 */
export function eventMentionOf(
  event: {
    readonly streamId: string;
    readonly eventId: string;
    readonly version: number;
    readonly type: EventMention['type'];
    readonly occurredAt: string;
    readonly recordedAt: string;
  },
  groupId: string | null,
): EventMention {
  return {
    caseId: event.streamId,
    groupId,
    eventId: event.eventId,
    version: event.version,
    type: event.type,
    occurredAt: event.occurredAt,
    recordedAt: event.recordedAt,
  };
}
