import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Subscription } from '../../domain/notifications/subscription.ts';
import type {
  DeliveryAttempt,
  EndpointState,
  WebhookEndpoint,
} from '../../domain/notifications/webhook-endpoint.ts';
import * as deliveryLog from './store/delivery-log.ts';
import * as endpoints from './store/endpoint-records.ts';
import type { NoticeTarget, OutboxEntry, TransactionPart } from './store/notice-writes.ts';
import * as writes from './store/notice-writes.ts';
import * as outbox from './store/outbox.ts';
import type { TableAccess } from './store/subscription-records.ts';
import * as subscriptions from './store/subscription-records.ts';
import * as watch from './store/subscription-watch.ts';

export type { DeliveryLogPage } from './store/delivery-log.ts';
export { NotificationConflictError, NotificationNotFoundError } from './store/not-found.ts';
export type { NoticeTarget, OutboxEntry, TransactionPart } from './store/notice-writes.ts';
export type { PendingEntry, StoredPendingEntry, WatchState } from './store/subscription-watch.ts';

/**
 * The notifications table: subscriptions, webhook endpoints and their delivery log (for the API and the
 * notifier), and the notifier's own bookkeeping — open alerts, digest entries, the outbox — whose changes are
 * written as conditional transactions of `TransactionPart`s (see `store/notice-writes.ts`). A missing id reads
 * as `undefined`; a change of a missing one throws `NotificationNotFoundError`.
 */
export class NotificationStore {
  readonly #db: TableAccess;

  constructor(options: { documents: DynamoDBDocumentClient; tableName: string }) {
    this.#db = { documents: options.documents, tableName: options.tableName };
  }

  // Subscriptions.
  createSubscription(subscription: Subscription): Promise<void> {
    return subscriptions.createSubscription(this.#db, subscription);
  }
  getSubscription(id: string): Promise<Subscription | undefined> {
    return subscriptions.getSubscription(this.#db, id);
  }
  listSubscriptions(options: { owner?: string } = {}): Promise<Subscription[]> {
    return subscriptions.listSubscriptions(this.#db, options);
  }
  confirmSubscription(id: string, at: Date): Promise<Subscription> {
    return subscriptions.confirmSubscription(this.#db, id, at);
  }
  unsubscribe(id: string, at: Date): Promise<Subscription> {
    return subscriptions.unsubscribe(this.#db, id, at);
  }
  deleteSubscription(id: string): Promise<boolean> {
    return subscriptions.deleteSubscription(this.#db, id);
  }

  // Webhook endpoints and their delivery log.
  createEndpoint(endpoint: WebhookEndpoint): Promise<void> {
    return endpoints.createEndpoint(this.#db, endpoint);
  }
  getEndpoint(id: string): Promise<WebhookEndpoint | undefined> {
    return endpoints.getEndpoint(this.#db, id);
  }
  listEndpoints(): Promise<WebhookEndpoint[]> {
    return endpoints.listEndpoints(this.#db);
  }
  rotateEndpointSecret(id: string, newSecret: string, now: Date): Promise<WebhookEndpoint> {
    return endpoints.rotateEndpointSecret(this.#db, id, newSecret, now);
  }
  setEndpointState(id: string, state: EndpointState, at: Date): Promise<WebhookEndpoint> {
    return endpoints.setEndpointState(this.#db, id, state, at);
  }
  recordEndpointFailure(id: string, at: Date): Promise<WebhookEndpoint> {
    return endpoints.recordEndpointFailure(this.#db, id, at);
  }
  recordEndpointSuccess(id: string): Promise<WebhookEndpoint> {
    return endpoints.recordEndpointSuccess(this.#db, id);
  }
  recordDeliveryAttempt(attempt: DeliveryAttempt): Promise<void> {
    return deliveryLog.recordDeliveryAttempt(this.#db, attempt);
  }
  listDeliveries(
    endpointId: string,
    options: { limit: number; before?: string },
  ): Promise<deliveryLog.DeliveryLogPage> {
    return deliveryLog.listDeliveries(this.#db, endpointId, options);
  }

  // The notifier's bookkeeping.
  getWatch(subscriptionId: string): Promise<watch.WatchState> {
    return watch.getWatch(this.#db, subscriptionId);
  }
  listOpenAlerts(subscriptionId: string) {
    return watch.listOpenAlerts(this.#db, subscriptionId);
  }
  listPendingEntries(subscriptionId: string, limit: number) {
    return watch.listPendingEntries(this.#db, subscriptionId, limit);
  }
  /** The builders of transaction parts, bound to this table. */
  readonly parts = {
    putNotice: (notice: OutboxEntry['notice'], target: NoticeTarget, dueAt: Date) =>
      writes.putNotice(this.#db, notice, target, dueAt),
    putOpenAlert: (subscriptionId: string, mention: Parameters<typeof writes.putOpenAlert>[2]) =>
      writes.putOpenAlert(this.#db, subscriptionId, mention),
    deleteOpenAlert: (subscriptionId: string, mention: Parameters<typeof writes.deleteOpenAlert>[2]) =>
      writes.deleteOpenAlert(this.#db, subscriptionId, mention),
    putPendingEntry: (subscriptionId: string, at: string, key: string, entry: watch.PendingEntry) =>
      writes.putPendingEntry(this.#db, subscriptionId, at, key, entry),
    deletePendingEntry: (subscriptionId: string, sk: string) =>
      writes.deletePendingEntry(this.#db, subscriptionId, sk),
    putWatch: (subscriptionId: string, next: Omit<watch.WatchState, 'revision'>, read: watch.WatchState) =>
      writes.putWatch(this.#db, subscriptionId, next, read),
    disableEndpoint: (endpoint: WebhookEndpoint, at: Date) =>
      endpoints.disableEndpointUpdate(this.#db, endpoint, at),
  };
  /** Writes the parts in one transaction: `conflict` when a condition failed and nothing was written. */
  transact(parts: readonly TransactionPart[]): Promise<'written' | 'conflict'> {
    return outbox.transact(this.#db, parts);
  }

  // The outbox.
  getNotice(id: string): Promise<OutboxEntry | undefined> {
    return outbox.getNotice(this.#db, id);
  }
  dueNoticeIds(now: Date, limit?: number): Promise<string[]> {
    return outbox.dueNoticeIds(this.#db, now, limit);
  }
  claimAttempt(id: string, attempts: number, retryAt: Date): Promise<boolean> {
    return outbox.claimAttempt(this.#db, id, attempts, retryAt);
  }
  finishNotice(
    id: string,
    claimed: number,
    outcome: { status: 'delivered' | 'failed'; at: Date; error?: string },
  ) {
    return outbox.finishNotice(this.#db, id, claimed, outcome);
  }
  noteRetry(id: string, claimed: number, error: string): Promise<boolean> {
    return outbox.noteRetry(this.#db, id, claimed, error);
  }
  postpone(id: string, attempts: number, until: Date): Promise<boolean> {
    return outbox.postpone(this.#db, id, attempts, until);
  }
}
