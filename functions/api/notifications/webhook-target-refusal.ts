import { checkWebhookTarget } from '../../notify/webhooks/target-check.ts';
import type { WebhookTargetCheck } from './notification-access.ts';

/**
 * Why an admin may not register a webhook URL, in the delivery code's words; undefined when it may. A name
 * that does not resolve now is refused too: the admin sees the typo at once, not a day of failed deliveries.
 * Delivery checks again before every send, since a name may point elsewhere later.
 */
export const webhookTargetRefusal: WebhookTargetCheck = async (url, policy) => {
  const checked = await checkWebhookTarget(url, policy);
  return checked.ok ? undefined : checked.reason;
};
