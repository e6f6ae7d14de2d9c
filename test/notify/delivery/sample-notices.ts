import type { Alert } from '../../../domain/alerts.ts';
import type { AlertMention, EventMention, Notice, NoticeBody } from '../../../domain/notifications/notice.ts';
import type { NoticeLanguage } from '../../../domain/notifications/subscription.ts';
import type { NoticeLinks } from '../../../functions/notify/ports.ts';

/** Notices of every kind for delivery tests: case ids, groups, dates and kinds only, as the real ones. */

export const links: NoticeLinks = {
  caseUrl: (caseId) => `https://ledger.example.org/app/cases/${encodeURIComponent(caseId)}`,
  unsubscribeUrl: 'https://ledger.example.org/app/unsubscribe?token=tok-unsub',
  unsubscribePostUrl: 'https://api.ledger.example.org/notifications/unsubscribe?token=tok-unsub',
  confirmUrl: 'https://ledger.example.org/app/confirm?token=tok-confirm',
  subscriptionsUrl: 'https://ledger.example.org/app/subscriptions',
};

export const overdue: Alert = {
  caseId: 'C-1042',
  kind: 'consular_visit_overdue',
  since: '2026-01-16',
  days: 45,
};
export const expiring: Alert = {
  caseId: 'C-1043',
  kind: 'custody_term_expiring',
  due: '2026-03-27',
  days: 22,
};
export const lapsed: Alert = { caseId: 'C-1044', kind: 'custody_term_lapsed', since: '2026-02-08', days: 21 };
export const noNews: Alert = { caseId: 'C-1045', kind: 'no_news', since: '2025-12-31', days: 1 };
export const tampered: Alert = {
  caseId: 'C-1046',
  kind: 'ledger_tampered',
  since: '2026-03-01T09:30:00Z',
  days: 4,
  version: 7,
  change: 'removed',
};

export const mention = (alert: Alert, extra: Partial<AlertMention> = {}): AlertMention => ({
  alert,
  groupId: 'G-north',
  raisedAt: '2026-03-02T06:00:00Z',
  ...extra,
});

export const hearing: EventMention = {
  caseId: 'C-1042',
  groupId: 'G-north',
  eventId: '6f1c2d4e-0000-4000-8000-000000000001',
  version: 9,
  type: 'HearingScheduled',
  occurredAt: '2026-03-04',
  recordedAt: '2026-03-05T10:15:00Z',
};

export const bodies = {
  alert_raised: { kind: 'alert_raised', mention: mention(overdue) },
  alert_resolved: {
    kind: 'alert_resolved',
    mention: mention(lapsed, { raisedAt: '2026-02-08T06:00:00Z', resolvedAt: '2026-03-01T06:00:00Z' }),
  },
  case_event: { kind: 'case_event', event: hearing },
  digest: {
    kind: 'digest',
    day: '2026-03-05',
    timeZone: 'Europe/Vilnius',
    raised: [mention(expiring)],
    open: [mention(overdue), mention(noNews, { groupId: null })],
    resolved: [mention(lapsed, { resolvedAt: '2026-03-05T07:00:00Z' })],
    events: [hearing],
  },
  confirm_subscription: { kind: 'confirm_subscription' },
  endpoint_disabled: {
    kind: 'endpoint_disabled',
    endpointId: 'E-7',
    url: 'https://hooks.example.org/ledger',
    failingSince: '2026-03-04T08:00:00Z',
  },
} as const satisfies Record<NoticeBody['kind'], NoticeBody>;

export const emptyDigest: NoticeBody = {
  kind: 'digest',
  day: '2026-03-05',
  timeZone: 'UTC',
  raised: [],
  open: [],
  resolved: [],
  events: [],
};

export function notice(body: NoticeBody, language: NoticeLanguage = 'en', id = `N-${body.kind}`): Notice {
  return { id, subscriptionId: 'S-1', createdAt: '2026-03-05T12:00:00.000Z', language, body };
}
