import { Webhook } from 'standardwebhooks';
import { type Notice, WEBHOOK_EVENT_TYPES } from '../../../domain/notifications/notice.ts';
import { signingSecrets, type WebhookEndpoint } from '../../../domain/notifications/webhook-endpoint.ts';
import type { NoticeLinks, WebhookDeliveryResult, WebhookSender } from '../../../functions/notify/ports.ts';

/**
 * Stand-ins for the delivery side's renderer and sender, for the notifier's tests: the smallest honest versions
 * (the email says the notice's body as JSON; the webhook is signed with Standard Webhooks and posted). They
 * render what the notice holds, so a personal datum that reached a notice would reach the message.
 */
export function renderNoticeAsJson(notice: Notice, links: NoticeLinks) {
  return {
    subject: `[ledger] ${notice.body.kind}`,
    text: `${JSON.stringify(notice.body, null, 2)}\n\nUnsubscribe: ${links.unsubscribeUrl}\n${links.confirmUrl ?? ''}`,
    html: `<pre>${JSON.stringify(notice.body)}</pre>`,
    messageId: `<${notice.id}@ledger.test>`,
    headers: {
      'List-Unsubscribe': `<${links.unsubscribePostUrl}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    },
  };
}

export function testLinks(
  subscriptionId: string,
  tokens: { unsubscribe: string; confirm?: string },
): NoticeLinks {
  return {
    caseUrl: (caseId) => `https://ledger.example.org/app/cases/${caseId}`,
    unsubscribeUrl: `https://ledger.example.org/app/unsubscribe?token=${tokens.unsubscribe}`,
    unsubscribePostUrl: `https://ledger.example.org/notifications/unsubscribe?token=${tokens.unsubscribe}`,
    ...(tokens.confirm && { confirmUrl: `https://ledger.example.org/app/confirm?token=${tokens.confirm}` }),
    subscriptionsUrl: `https://ledger.example.org/app/subscriptions#${subscriptionId}`,
  };
}

export const postingWebhookSender: WebhookSender = {
  async deliver(endpoint: WebhookEndpoint, notice: Notice, now: Date): Promise<WebhookDeliveryResult> {
    const payload = JSON.stringify({
      type: WEBHOOK_EVENT_TYPES[notice.body.kind],
      timestamp: notice.createdAt,
      data: notice.body,
    });
    // Signed at the wall clock's time: receivers check the timestamp against theirs, whatever the test's clock.
    const signedAt = new Date();
    const signature = signingSecrets(endpoint, now)
      .map((secret) => new Webhook(secret).sign(notice.id, signedAt, payload))
      .join(' ');
    const started = performance.now();
    try {
      const response = await fetch(endpoint.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'webhook-id': notice.id,
          'webhook-timestamp': String(Math.floor(signedAt.getTime() / 1000)),
          'webhook-signature': signature,
        },
        body: payload,
        signal: AbortSignal.timeout(10_000),
      });
      const durationMs = Math.round(performance.now() - started);
      if (response.ok) return { outcome: 'delivered', status: response.status, durationMs, retryable: false };
      const retryable = response.status >= 500 || response.status === 429;
      return {
        outcome: 'failed',
        status: response.status,
        detail: `receiver answered ${response.status}`,
        durationMs,
        retryable,
      };
    } catch (error) {
      const durationMs = Math.round(performance.now() - started);
      return {
        outcome: 'failed',
        detail: `no answer: ${(error as Error).name}`,
        durationMs,
        retryable: true,
      };
    }
  },
};
