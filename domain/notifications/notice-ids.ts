import { createHash } from 'node:crypto';

/**
 * A notice's id from what it tells: the same parts give the same id on every run, so the outbox's conditional
 * write refuses a copy and a receiver can drop a repeat by its `webhook-id`. `msg_` and 32 hex digits (128 bits
 * of SHA-256) — Standard Webhooks ids may be any unique string; this one is also safe in a Message-ID.
 */
export function noticeIdOf(...parts: readonly (string | number)[]): string {
  const hash = createHash('sha256');
  // Each part length-prefixed, so that ('ab', 'c') and ('a', 'bc') never meet.
  for (const part of parts) {
    const text = String(part);
    hash.update(`${text.length}:${text};`, 'utf8');
  }
  return `msg_${hash.digest('hex').slice(0, 32)}`;
}

/** The ids of each kind of notice, in one place, so that every path that builds one builds the same. */
export const noticeIds = {
  alertRaised: (subscriptionId: string, caseId: string, kind: string, raisedAt: string) =>
    noticeIdOf('alert_raised', subscriptionId, caseId, kind, raisedAt),
  alertResolved: (subscriptionId: string, caseId: string, kind: string, raisedAt: string) =>
    noticeIdOf('alert_resolved', subscriptionId, caseId, kind, raisedAt),
  caseEvent: (subscriptionId: string, eventId: string) => noticeIdOf('case_event', subscriptionId, eventId),
  digest: (subscriptionId: string, day: string, part: number) =>
    noticeIdOf('digest', subscriptionId, day, part),
  confirm: (subscriptionId: string) => noticeIdOf('confirm_subscription', subscriptionId),
  endpointDisabled: (endpointId: string, failingSince: string) =>
    noticeIdOf('endpoint_disabled', endpointId, failingSince),
} as const;
