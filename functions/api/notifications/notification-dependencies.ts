import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Subscription } from '../../../domain/notifications/subscription.ts';
import { requestConfirmation } from '../../notify/confirmation-request.ts';
import { NotificationStore } from '../../notify/notification-store.ts';
import type { LinkSigner, WebhookTargetPolicy } from '../../notify/ports.ts';
import { newEndpointSecret } from './endpoint-secret.ts';
import type { NotificationDependencies, WebhookTargetCheck } from './notification-access.ts';
import { webhookTargetRefusal } from './webhook-target-refusal.ts';

/** On AWS: https to public addresses only. The local runtime and tests pass their own, allowing loopback. */
export const PUBLIC_WEBHOOK_TARGETS: WebhookTargetPolicy = { allowHttp: false, allowLoopback: false };

/**
 * The notification routes' dependencies over the notifications table: its store, the link signer, and the
 * confirmation request (by default the confirmation notice put in the outbox, for the notifier's next pass to
 * deliver; the local runtime also starts that pass at once).
 */
export function notificationDependencies(options: {
  readonly documents: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly links: LinkSigner;
  readonly requestConfirmation?: (subscription: Subscription, now: Date) => Promise<unknown>;
  /** Called once a confirmation is in the outbox: the local runtime starts a notifier pass at once. */
  readonly afterConfirmationRequested?: () => void;
  readonly webhookTargets?: WebhookTargetPolicy;
  readonly checkWebhookTarget?: WebhookTargetCheck;
  readonly newEndpointSecret?: () => string;
}): NotificationDependencies {
  const store = new NotificationStore({ documents: options.documents, tableName: options.tableName });
  return {
    store,
    links: options.links,
    // The confirmation is a notice in the outbox: written here, delivered by the notifier's next pass.
    requestConfirmation: async (subscription, now) => {
      await (
        options.requestConfirmation ?? ((s: Subscription, at: Date) => requestConfirmation(store, s, at))
      )(subscription, now);
      options.afterConfirmationRequested?.();
    },
    webhookTargets: options.webhookTargets ?? PUBLIC_WEBHOOK_TARGETS,
    checkWebhookTarget: options.checkWebhookTarget ?? webhookTargetRefusal,
    newEndpointSecret: options.newEndpointSecret ?? newEndpointSecret,
  };
}
