import type { Alert } from '../alerts.ts';
import type { AlertMention } from './notice.ts';

/** An alert as the notifier sees it now: the alert and its case's group. */
export type CurrentAlert = Alert & { readonly groupId: string | null };

export interface AlertTransitions {
  /** Open now and not before: to be told as raised. */
  readonly raised: readonly CurrentAlert[];
  /** Open before and still open, perhaps with other `days`: the stored mention and the alert as it is now. */
  readonly stillOpen: readonly { readonly stored: AlertMention; readonly current: CurrentAlert }[];
  /** Open before and gone now: to be told as resolved. */
  readonly resolved: readonly AlertMention[];
}

/**
 * An alert's identity is its case and kind: the same overdue visit a day later (`days` one more) is the same
 * open alert, not a new one. A case alerts at most once per kind (the alert rules give one of each).
 */
export function alertIdentity(alert: Pick<Alert, 'caseId' | 'kind'>): string {
  return `${alert.caseId}\u0000${alert.kind}`;
}

/** What changed between the alerts seen open (stored) and those open now. Order follows `current`, then `open`. */
export function alertTransitions(
  open: readonly AlertMention[],
  current: readonly CurrentAlert[],
): AlertTransitions {
  const before = new Map(open.map((mention) => [alertIdentity(mention.alert), mention]));
  const now = new Set<string>();
  const raised: CurrentAlert[] = [];
  const stillOpen: { stored: AlertMention; current: CurrentAlert }[] = [];
  for (const alert of current) {
    const identity = alertIdentity(alert);
    if (now.has(identity)) continue;
    now.add(identity);
    const stored = before.get(identity);
    if (stored) stillOpen.push({ stored, current: alert });
    else raised.push(alert);
  }
  const resolved = open.filter((mention) => !now.has(alertIdentity(mention.alert)));
  return { raised, stillOpen, resolved };
}

/** The alert without its group, as an `AlertMention` holds it. */
export function bareAlert(alert: CurrentAlert): Alert {
  const { groupId: _group, ...rest } = alert;
  return rest as Alert;
}
