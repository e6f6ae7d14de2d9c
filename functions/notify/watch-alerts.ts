import {
  alertTransitions,
  bareAlert,
  type CurrentAlert,
} from '../../domain/notifications/alert-transitions.ts';
import type { AlertMention, Notice, NoticeBody } from '../../domain/notifications/notice.ts';
import { alertsFor } from '../../domain/notifications/notice-audience.ts';
import { noticeIds } from '../../domain/notifications/notice-ids.ts';
import type { Subscription } from '../../domain/notifications/subscription.ts';
import type { TransactionPart } from './notification-store.ts';
import type { NotifierDeps } from './notifier-deps.ts';

/** A subscription's language: its email's, or English for webhooks (whose receivers read the JSON). */
export function languageOf(subscription: Subscription): Notice['language'] {
  return subscription.channel.kind === 'email' ? subscription.channel.language : 'en';
}

export function noticeFor(subscription: Subscription, id: string, body: NoticeBody, now: Date): Notice {
  return {
    id,
    subscriptionId: subscription.id,
    createdAt: now.toISOString(),
    language: languageOf(subscription),
    body,
  };
}

const mentionKey = (mention: AlertMention) =>
  `${mention.alert.caseId}#${mention.alert.kind}#${mention.raisedAt}`;

/**
 * Compares what a subscription has seen open with the alerts open now and books each change with what it
 * causes, in one transaction per change: for an `immediate` subscription its notice, for a `daily` one an entry
 * for the digest. The first time a subscription is watched, the alerts open then are only booked (its digest
 * lists them as open): a new subscription is not flooded with every alert that already stood.
 */
export async function watchAlerts(
  deps: NotifierDeps,
  subscription: Subscription,
  current: readonly CurrentAlert[],
  now: Date,
): Promise<{ raised: number; resolved: number }> {
  const { store } = deps;
  const visible = alertsFor(subscription, current);
  const watch = await store.getWatch(subscription.id);
  const at = now.toISOString();

  if (watch.baselineAt === undefined) {
    for (const alert of visible) {
      // A conflict: a crashed earlier baseline booked it already.
      await store.transact([
        store.parts.putOpenAlert(subscription.id, {
          alert: bareAlert(alert),
          groupId: alert.groupId,
          raisedAt: at,
        }),
      ]);
    }
    await store.transact([
      store.parts.putWatch(subscription.id, { ...withoutRevision(watch), baselineAt: at }, watch),
    ]);
    deps.logger.info('subscription baseline recorded', {
      subscriptionId: subscription.id,
      open: visible.length,
    });
    return { raised: 0, resolved: 0 };
  }

  const { raised, resolved } = alertTransitions(await store.listOpenAlerts(subscription.id), visible);
  const daily = subscription.cadence.kind === 'daily';
  let raisedCount = 0;
  let resolvedCount = 0;

  for (const alert of raised) {
    const mention: AlertMention = { alert: bareAlert(alert), groupId: alert.groupId, raisedAt: at };
    const told: TransactionPart = daily
      ? store.parts.putPendingEntry(subscription.id, at, `raised#${mentionKey(mention)}`, {
          kind: 'raised',
          mention,
        })
      : store.parts.putNotice(
          noticeFor(
            subscription,
            noticeIds.alertRaised(subscription.id, alert.caseId, alert.kind, at),
            { kind: 'alert_raised', mention },
            now,
          ),
          { kind: 'subscription' },
          now,
        );
    if ((await store.transact([store.parts.putOpenAlert(subscription.id, mention), told])) === 'written')
      raisedCount += 1;
  }

  for (const open of resolved) {
    const mention: AlertMention = { ...open, resolvedAt: at };
    const told: TransactionPart = daily
      ? store.parts.putPendingEntry(subscription.id, at, `resolved#${mentionKey(mention)}`, {
          kind: 'resolved',
          mention,
        })
      : store.parts.putNotice(
          noticeFor(
            subscription,
            noticeIds.alertResolved(subscription.id, open.alert.caseId, open.alert.kind, open.raisedAt),
            { kind: 'alert_resolved', mention },
            now,
          ),
          { kind: 'subscription' },
          now,
        );
    if ((await store.transact([store.parts.deleteOpenAlert(subscription.id, open), told])) === 'written')
      resolvedCount += 1;
  }

  if (raisedCount + resolvedCount > 0)
    deps.logger.info('alert changes booked', {
      subscriptionId: subscription.id,
      raised: raisedCount,
      resolved: resolvedCount,
    });
  return { raised: raisedCount, resolved: resolvedCount };
}

export function withoutRevision<T extends { revision: number }>(state: T): Omit<T, 'revision'> {
  const { revision: _revision, ...rest } = state;
  return rest;
}
