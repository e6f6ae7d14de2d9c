import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { AlertMention, Notice } from '../../../domain/notifications/notice.ts';
import { dueShardOf, notificationKeys } from './notification-keys.ts';
import type { TableAccess } from './subscription-records.ts';
import type { PendingEntry, WatchState } from './subscription-watch.ts';

/**
 * The parts of the transactions in which a change of what the notifier knows is written together with the
 * notice it causes: an alert seen open and its `alert_raised` notice, a digest and the entries it consumed.
 * Each part is conditional, so that a run repeated (after a crash, or beside another) cancels rather than
 * telling twice; and nothing is told without the change being booked, nor booked without being told.
 */
export type TransactionPart = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** Where a notice goes: its subscription's channel, or (endpoint_disabled) the endpoint's contact address. */
export type NoticeTarget =
  | { readonly kind: 'subscription' }
  | { readonly kind: 'endpoint_contact'; readonly endpointId: string };

export type OutboxStatus = 'pending' | 'delivered' | 'failed';

/** A notice in the outbox, with what its delivery has come to. */
export interface OutboxEntry {
  readonly notice: Notice;
  readonly target: NoticeTarget;
  readonly status: OutboxStatus;
  /** Attempts started so far. */
  readonly attempts: number;
  /** When it is next tried (pending only). */
  readonly dueAt?: string;
  readonly deliveredAt?: string;
  readonly failedAt?: string;
  /** The last failure, in plain words, without addresses or secrets. */
  readonly lastError?: string;
}

/** Puts a new notice into the outbox, due at `dueAt`; cancels the transaction if a notice of that id exists. */
export function putNotice(
  db: TableAccess,
  notice: Notice,
  target: NoticeTarget,
  dueAt: Date,
): TransactionPart {
  const due = dueAt.toISOString();
  return {
    Put: {
      TableName: db.tableName,
      Item: {
        ...notificationKeys.notice(notice.id),
        data: notice,
        target,
        status: 'pending',
        attempts: 0,
        dueAt: due,
        duePk: dueShardOf(notice.id),
        dueSk: `${due}#${notice.id}`,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/** Books an alert as seen open; cancels if it is booked already (another run saw it first). */
export function putOpenAlert(
  db: TableAccess,
  subscriptionId: string,
  mention: AlertMention,
): TransactionPart {
  return {
    Put: {
      TableName: db.tableName,
      Item: {
        ...notificationKeys.openAlert(subscriptionId, mention.alert.caseId, mention.alert.kind),
        data: mention,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/** Books an alert as resolved; cancels unless it is still booked open with the same `raisedAt`. */
export function deleteOpenAlert(
  db: TableAccess,
  subscriptionId: string,
  mention: AlertMention,
): TransactionPart {
  return {
    Delete: {
      TableName: db.tableName,
      Key: notificationKeys.openAlert(subscriptionId, mention.alert.caseId, mention.alert.kind),
      ConditionExpression: '#d.raisedAt = :raised',
      ExpressionAttributeNames: { '#d': 'data' },
      ExpressionAttributeValues: { ':raised': mention.raisedAt },
    },
  };
}

/**
 * Keeps an entry for a daily subscription's digest. `key` makes it unique (an event's id, an alert's identity
 * and moment); a second put of the same entry cancels, so stream retries never add it twice.
 */
export function putPendingEntry(
  db: TableAccess,
  subscriptionId: string,
  at: string,
  key: string,
  entry: PendingEntry,
): TransactionPart {
  return {
    Put: {
      TableName: db.tableName,
      Item: { ...notificationKeys.pendingForDigest(subscriptionId, at, key), data: entry },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/** Consumes a digest entry; cancels if another digest consumed it first. */
export function deletePendingEntry(db: TableAccess, subscriptionId: string, sk: string): TransactionPart {
  return {
    Delete: {
      TableName: db.tableName,
      Key: { pk: notificationKeys.subscription(subscriptionId).pk, sk },
      ConditionExpression: 'attribute_exists(pk)',
    },
  };
}

/** Writes the watch state over the revision read; cancels if it changed since. */
export function putWatch(
  db: TableAccess,
  subscriptionId: string,
  next: Omit<WatchState, 'revision'>,
  read: WatchState,
): TransactionPart {
  return {
    Put: {
      TableName: db.tableName,
      Item: { ...notificationKeys.watch(subscriptionId), ...next, revision: read.revision + 1 },
      ConditionExpression: read.revision === 0 ? 'attribute_not_exists(pk)' : 'revision = :r',
      ...(read.revision !== 0 && { ExpressionAttributeValues: { ':r': read.revision } }),
    },
  };
}
