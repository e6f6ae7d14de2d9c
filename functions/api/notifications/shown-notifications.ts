import type { Subscription } from '../../../domain/notifications/subscription.ts';
import type { WebhookEndpoint } from '../../../domain/notifications/webhook-endpoint.ts';

/** A subscription as the API shows it: without the roles it was made under, which are the notifier's business. */
export function shownSubscription(subscription: Subscription) {
  const { ownerRoles: _roles, ...shown } = subscription;
  return { ...shown, alertKinds: [...shown.alertKinds], eventTypes: [...shown.eventTypes] };
}

/** An endpoint as the API shows it: when each secret was made and retires, never a secret itself. */
export function shownEndpoint(endpoint: WebhookEndpoint) {
  const { secrets, ...rest } = endpoint;
  return {
    ...rest,
    secrets: secrets.map(({ createdAt, retiresAt }) => ({ createdAt, ...(retiresAt && { retiresAt }) })),
  };
}
