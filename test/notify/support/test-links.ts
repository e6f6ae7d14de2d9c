import type { NoticeLinks } from '../../../functions/notify/ports.ts';

/**
 * The links of a subscription's notices as the deployed notifier makes them: the web application's pages, and
 * the API's one-click unsubscribe route (`POST /subscriptions/unsubscribe?token=`) for `List-Unsubscribe`.
 */
export function testLinks(
  subscriptionId: string,
  tokens: { unsubscribe: string; confirm?: string },
): NoticeLinks {
  return {
    caseUrl: (caseId) => `https://ledger.example.org/app/cases/${caseId}`,
    unsubscribeUrl: `https://ledger.example.org/app/unsubscribe?token=${tokens.unsubscribe}`,
    unsubscribePostUrl: `https://ledger.example.org/subscriptions/unsubscribe?token=${tokens.unsubscribe}`,
    ...(tokens.confirm && { confirmUrl: `https://ledger.example.org/app/confirm?token=${tokens.confirm}` }),
    subscriptionsUrl: `https://ledger.example.org/app/subscriptions#${subscriptionId}`,
  };
}
