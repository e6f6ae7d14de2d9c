import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import type { CurrentAlert } from '../../domain/notifications/alert-transitions.ts';
import { mayBeTold } from '../../domain/notifications/notice-audience.ts';
import { retryDelayMs } from '../../domain/notifications/retry-schedule.ts';
import type { Subscription } from '../../domain/notifications/subscription.ts';
import { requestConfirmation } from './confirmation-request.ts';
import { makeDigest } from './daily-digest.ts';
import { type DeliveryOutcome, deliverNotice, destinationOf } from './deliver-notice.ts';
import { ledgerRecordsHandler } from './ledger-records.ts';
import type { NotifierDeps, RunSummary } from './notifier-deps.ts';
import { watchAlerts } from './watch-alerts.ts';

export type { LinkTokens, NotifierDeps, RunSummary, WebhookDelivery } from './notifier-deps.ts';

export interface Notifier {
  /**
   * One pass: every active subscription's alert changes and due digests booked with their notices, then every
   * due notice delivered (or, for webhooks in queue mode, handed to the queue).
   */
  run(now?: Date): Promise<RunSummary>;
  /** The ledger stream's records: events of watched cases told or kept for digests. */
  onLedgerRecords(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse>;
  /** One attempt at one notice (the queue's consumer calls this). */
  deliverNotice(noticeId: string, now?: Date): Promise<DeliveryOutcome>;
  /** Writes a pending email subscription's `confirm_subscription` notice, once; its id is the notice's. */
  requestConfirmation(subscription: Subscription, now?: Date): Promise<string>;
}

/**
 * The notifier: reads the alerts open now and compares them with what each subscription has seen, books each
 * change with its notice in one conditional transaction (a crash neither tells twice nor forgets), and delivers
 * the outbox with retries. It holds no state between calls: everything is in the notifications table.
 */
export function createNotifier(deps: NotifierDeps): Notifier {
  const { store, logger } = deps;

  const deliverDue = async (now: Date, summary: RunSummary) => {
    for (const noticeId of await store.dueNoticeIds(now)) {
      try {
        if (deps.webhooks.mode === 'queue' && (await handedToQueue(noticeId, now))) continue;
        const outcome = await deliverNotice(deps, noticeId, now);
        if (outcome === 'delivered') summary.delivered += 1;
        else if (outcome === 'failed' || outcome === 'retry') summary.failed += 1;
      } catch (error) {
        summary.failed += 1;
        logger.error('notice delivery broke off', {
          noticeId,
          error: error instanceof Error ? error.name : 'unknown',
        });
      }
    }
  };

  /** In queue mode, a webhook notice is enqueued and postponed by the retry's delay, so the next run skips it. */
  const handedToQueue = async (noticeId: string, now: Date): Promise<boolean> => {
    if (deps.webhooks.mode !== 'queue') return false;
    const entry = await store.getNotice(noticeId);
    if (entry?.status !== 'pending') return true;
    if ((await destinationOf(deps, entry)).kind !== 'webhook') return false;
    const until = new Date(now.getTime() + retryDelayMs(entry.attempts + 1));
    if (await store.postpone(noticeId, entry.attempts, until)) await deps.webhooks.enqueue(noticeId);
    return true;
  };

  const watchSubscription = async (
    subscription: Subscription,
    current: CurrentAlert[],
    now: Date,
    summary: RunSummary,
  ) => {
    const changes = await watchAlerts(deps, subscription, current, now);
    summary.raised += changes.raised;
    summary.resolved += changes.resolved;
    summary.digests += await makeDigest(deps, subscription, now);
  };

  return {
    async run(now = deps.clock()) {
      const summary: RunSummary = { raised: 0, resolved: 0, digests: 0, delivered: 0, failed: 0 };
      const subscriptions = (await store.listSubscriptions()).filter(
        (subscription) =>
          mayBeTold(subscription) && subscription.alertKinds.length + subscription.eventTypes.length > 0,
      );
      const current = subscriptions.some((s) => s.alertKinds.length > 0) ? await deps.currentAlerts(now) : [];
      for (const subscription of subscriptions) {
        try {
          await watchSubscription(subscription, current, now, summary);
        } catch (error) {
          // One subscription's trouble must not keep the others from being told.
          logger.error('subscription could not be watched', {
            subscriptionId: subscription.id,
            error: error instanceof Error ? error.name : 'unknown',
          });
        }
      }
      await deliverDue(now, summary);
      logger.info('notifier run', { at: now.toISOString(), subscriptions: subscriptions.length, ...summary });
      return summary;
    },

    onLedgerRecords: ledgerRecordsHandler(deps),

    deliverNotice: (noticeId, now = deps.clock()) => deliverNotice(deps, noticeId, now),

    requestConfirmation: (subscription, now = deps.clock()) => requestConfirmation(store, subscription, now),
  };
}
