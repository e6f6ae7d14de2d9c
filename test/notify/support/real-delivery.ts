import type { Notice } from '../../../domain/notifications/notice.ts';
import { renderEmail } from '../../../functions/notify/email/render-email.ts';
import type { NoticeLinks } from '../../../functions/notify/ports.ts';
import { webhookSender } from '../../../functions/notify/webhooks/webhook-sender.ts';

/** The Message-ID's right-hand side in the notifier's tests: `<notice-id@ledger.test>`. */
export const MAIL_HOST = 'ledger.test';

/** The real renderer, as the notifier calls it: the notifier fills in `to` itself. */
export function renderTestEmail(notice: Notice, links: NoticeLinks) {
  return renderEmail(notice, links, { to: '', host: MAIL_HOST });
}

/** The real sender, allowed to post to receivers on loopback over plain HTTP (as the local runtime is). */
export function loopbackWebhookSender() {
  return webhookSender({ policy: { allowHttp: true, allowLoopback: true }, timeoutMs: 10_000 });
}
