import canonicalize from 'canonicalize';
import type { AlertMention, EventMention, Notice } from '../../../domain/notifications/notice.ts';
import { WEBHOOK_EVENT_TYPES } from '../../../domain/notifications/notice.ts';

/**
 * The body of a webhook (Standard Webhooks: `type`, `timestamp`, `data`). Only what the notice holds — case
 * ids, groups, dates, kinds — never names or notes; the receiver asks the API for more, with its own rights.
 */
export interface WebhookPayload {
  readonly type: (typeof WEBHOOK_EVENT_TYPES)[keyof typeof WEBHOOK_EVENT_TYPES];
  /** When the notifier decided to send it (ISO instant): the same on every retry. */
  readonly timestamp: string;
  readonly data: Readonly<Record<string, unknown>>;
}

function alertData(mention: AlertMention) {
  return {
    caseId: mention.alert.caseId,
    groupId: mention.groupId,
    alert: mention.alert,
    raisedAt: mention.raisedAt,
    ...(mention.resolvedAt !== undefined ? { resolvedAt: mention.resolvedAt } : {}),
  };
}

function eventData(event: EventMention) {
  return {
    caseId: event.caseId,
    groupId: event.groupId,
    eventId: event.eventId,
    version: event.version,
    eventType: event.type,
    occurredAt: event.occurredAt,
    recordedAt: event.recordedAt,
  };
}

function dataOf(notice: Notice): Record<string, unknown> {
  const body = notice.body;
  const common = { noticeId: notice.id, subscriptionId: notice.subscriptionId };
  switch (body.kind) {
    case 'alert_raised':
    case 'alert_resolved':
      return { ...common, ...alertData(body.mention) };
    case 'case_event':
      return { ...common, ...eventData(body.event) };
    case 'digest':
      return {
        ...common,
        day: body.day,
        timeZone: body.timeZone,
        raised: body.raised.map(alertData),
        resolved: body.resolved.map(alertData),
        open: body.open.map(alertData),
        events: body.events.map(eventData),
      };
    case 'confirm_subscription':
      return common;
    case 'endpoint_disabled':
      return { ...common, endpointId: body.endpointId, url: body.url, failingSince: body.failingSince };
  }
}

export function webhookPayload(notice: Notice): WebhookPayload {
  return { type: WEBHOOK_EVENT_TYPES[notice.body.kind], timestamp: notice.createdAt, data: dataOf(notice) };
}

/**
 * The exact bytes sent and signed: canonical JSON (RFC 8785), so the same notice gives the same body on every
 * attempt, whatever order its fields were built in.
 */
export function webhookBody(notice: Notice): string {
  return canonicalize(webhookPayload(notice))!;
}
