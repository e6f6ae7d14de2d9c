import type { Subscription } from '../../../domain/notifications/subscription.ts';
import type {
  DeliveryAttempt,
  EndpointState,
  WebhookEndpoint,
} from '../../../domain/notifications/webhook-endpoint.ts';
import type { LinkSigner, WebhookTargetPolicy } from '../../notify/ports.ts';

/**
 * What the API asks of the notifications table: the subscription and endpoint methods of the notification
 * store (functions/notify/notification-store.ts), named as it names them, so the store is passed as it is.
 */
export interface NotificationAccess {
  createSubscription(subscription: Subscription): Promise<unknown>;
  getSubscription(id: string): Promise<Subscription | undefined>;
  listSubscriptions(options?: { owner?: string }): Promise<readonly Subscription[]>;
  confirmSubscription(id: string, at: Date): Promise<unknown>;
  unsubscribe(id: string, at: Date): Promise<unknown>;
  createEndpoint(endpoint: WebhookEndpoint): Promise<unknown>;
  getEndpoint(id: string): Promise<WebhookEndpoint | undefined>;
  listEndpoints(): Promise<readonly WebhookEndpoint[]>;
  rotateEndpointSecret(id: string, secret: string, now: Date): Promise<unknown>;
  setEndpointState(id: string, state: EndpointState, at: Date): Promise<unknown>;
  listDeliveries(
    endpointId: string,
    options: { limit: number; before?: string },
  ): Promise<{ readonly attempts: readonly DeliveryAttempt[]; readonly before?: string }>;
}

/** Why a webhook target is refused, in plain words; undefined when it may be sent to. */
export type WebhookTargetCheck = (url: string, policy: WebhookTargetPolicy) => Promise<string | undefined>;

/** Everything the notification routes need, as one optional part of the API's dependencies. */
export interface NotificationDependencies {
  readonly store: NotificationAccess;
  readonly links: LinkSigner;
  /** Sends the confirmation of a new email subscription (the notifier's `requestConfirmation`). */
  readonly requestConfirmation?: (subscription: Subscription, now: Date) => Promise<unknown>;
  readonly webhookTargets: WebhookTargetPolicy;
  readonly checkWebhookTarget: WebhookTargetCheck;
  /** Makes a new endpoint signing secret (`whsec_` + base64). */
  readonly newEndpointSecret: () => string;
}
