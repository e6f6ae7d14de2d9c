import { noticeIds } from '../../domain/notifications/notice-ids.ts';
import type { Subscription } from '../../domain/notifications/subscription.ts';
import type { NotificationStore } from './notification-store.ts';
import { noticeFor } from './watch-alerts.ts';

/**
 * Puts a pending email subscription's `confirm_subscription` notice in the outbox, once (its id is derived from
 * the subscription, so a second request changes nothing). Only a write: the notifier's next pass delivers it,
 * so the API can ask for it without holding a mail transport.
 */
export async function requestConfirmation(
  store: NotificationStore,
  subscription: Subscription,
  now: Date,
): Promise<string> {
  const id = noticeIds.confirm(subscription.id);
  await store.transact([
    store.parts.putNotice(
      noticeFor(subscription, id, { kind: 'confirm_subscription' }, now),
      { kind: 'subscription' },
      now,
    ),
  ]);
  return id;
}
