import type { LinkTokens } from '../notifier-deps.ts';
import type { NoticeLinks } from '../ports.ts';

/**
 * The links of a subscription's emails, from where the web application is served (`APP_BASE_URL`, ending in
 * `/app/`): its case, confirm, unsubscribe and subscriptions pages, and the API's one-click unsubscribe
 * (RFC 8058) at the root of the same origin, where the stack's CloudFront domain and the local runtime both
 * serve the API. Tokens go in the query, where the pages read them; they are URL-safe base64 already, and
 * encoded all the same.
 */
export function noticeLinksFor(
  appBaseUrl: string,
): (subscriptionId: string, tokens: LinkTokens) => NoticeLinks {
  const app = new URL(appBaseUrl);
  const api = new URL('/', app);
  const at = (base: URL, path: string) => new URL(path, base).toString();
  return (subscriptionId, tokens) => {
    const unsubscribe = encodeURIComponent(tokens.unsubscribe);
    return {
      caseUrl: (caseId) => at(app, `cases/${encodeURIComponent(caseId)}`),
      unsubscribeUrl: at(app, `unsubscribe?token=${unsubscribe}`),
      unsubscribePostUrl: at(api, `subscriptions/unsubscribe?token=${unsubscribe}`),
      ...(tokens.confirm !== undefined && {
        confirmUrl: at(app, `confirm?token=${encodeURIComponent(tokens.confirm)}`),
      }),
      subscriptionsUrl: at(app, `notifications#${encodeURIComponent(subscriptionId)}`),
    };
  };
}
