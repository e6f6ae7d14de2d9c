import type { Alert } from '../alerts.ts';
import type { RecordableEvent } from '../event-catalogue.ts';
import type { NoticeLanguage } from './subscription.ts';

/**
 * A notice: one thing told to one subscription. It is built by the notifier, kept in the outbox until it is
 * delivered, and rendered as an email or a webhook body. It never holds personal data: no names, no notes, no
 * source titles, only case ids, groups, dates and the kinds of things that happened — email and other
 * systems are not where the ledger's sealed data may go; the link leads back to the application, where roles and
 * `pii` decide what is shown.
 */

/** An event of a watched case, as a notice tells it. */
export interface EventMention {
  readonly caseId: string;
  readonly groupId: string | null;
  readonly eventId: string;
  readonly version: number;
  readonly type: RecordableEvent['type'];
  readonly occurredAt: string;
  readonly recordedAt: string;
}

/** An alert's change of life, as a digest lists it. */
export interface AlertMention {
  readonly alert: Alert;
  /** The case's group, so a desk can sort what it is told. */
  readonly groupId: string | null;
  /** When the notifier first saw it open. */
  readonly raisedAt: string;
  /** When the notifier saw it gone (resolved mentions only). */
  readonly resolvedAt?: string;
}

export type NoticeBody =
  | { readonly kind: 'alert_raised'; readonly mention: AlertMention }
  | { readonly kind: 'alert_resolved'; readonly mention: AlertMention }
  | { readonly kind: 'case_event'; readonly event: EventMention }
  | {
      readonly kind: 'digest';
      /** The local day the digest is for, in the subscription's time zone. */
      readonly day: string;
      readonly timeZone: string;
      readonly raised: readonly AlertMention[];
      readonly open: readonly AlertMention[];
      readonly resolved: readonly AlertMention[];
      readonly events: readonly EventMention[];
    }
  | { readonly kind: 'confirm_subscription' }
  | {
      readonly kind: 'endpoint_disabled';
      readonly endpointId: string;
      readonly url: string;
      readonly failingSince: string;
    };

export type NoticeKind = NoticeBody['kind'];

/** A notice addressed to one subscription (or, for `endpoint_disabled`, to an endpoint's contact). */
export interface Notice {
  /**
   * Stable and unique: derived from what it tells (subscription, case, kind, the transition's moment), never
   * random, so a notifier run again builds the same id and the outbox's conditional write refuses the copy. It
   * is the webhook's `webhook-id` and the email's Message-ID, by which receivers drop a repeat.
   */
  readonly id: string;
  readonly subscriptionId: string;
  /** When the notifier decided to send it (ISO instant). */
  readonly createdAt: string;
  readonly language: NoticeLanguage;
  readonly body: NoticeBody;
}

/**
 * The stable event type a webhook receiver switches on, per notice kind (Standard Webhooks' `type`). Renaming
 * one breaks receivers: add new ones instead.
 */
export const WEBHOOK_EVENT_TYPES = {
  alert_raised: 'alert.raised',
  alert_resolved: 'alert.resolved',
  case_event: 'case.event_recorded',
  digest: 'digest.daily',
  confirm_subscription: 'subscription.confirm',
  endpoint_disabled: 'endpoint.disabled',
} as const satisfies Record<NoticeKind, string>;
