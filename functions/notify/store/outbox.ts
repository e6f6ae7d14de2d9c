import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Notice } from '../../../domain/notifications/notice.ts';
import { queryItems } from '../../store/query-items.ts';
import type { NoticeTarget, OutboxEntry, OutboxStatus, TransactionPart } from './notice-writes.ts';
import { DUE_SHARDS, notificationKeys } from './notification-keys.ts';
import type { TableAccess } from './subscription-records.ts';

/**
 * The outbox: notices written with the change that caused them, delivered after. A delivery first claims its
 * attempt (attempts + 1, next due at the retry's time) by a conditional write, then sends, then books the outcome
 * conditional on the attempt it claimed. So two deliverers never send the same attempt, and a deliverer that
 * dies after sending and before booking leaves the notice due again at its retry time: sent again with the same
 * id (receivers drop it), never lost.
 */

function entryOf(item: Record<string, unknown>): OutboxEntry {
  return {
    notice: item.data as Notice,
    target: item.target as NoticeTarget,
    status: item.status as OutboxStatus,
    attempts: Number(item.attempts ?? 0),
    ...(typeof item.dueAt === 'string' && { dueAt: item.dueAt }),
    ...(typeof item.deliveredAt === 'string' && { deliveredAt: item.deliveredAt }),
    ...(typeof item.failedAt === 'string' && { failedAt: item.failedAt }),
    ...(typeof item.lastError === 'string' && { lastError: item.lastError }),
  };
}

/** `written`, or `conflict` when a condition failed: another run (or a retry of this one) got there first. */
export async function transact(
  db: TableAccess,
  parts: readonly TransactionPart[],
): Promise<'written' | 'conflict'> {
  if (parts.length === 0) return 'written';
  try {
    await db.documents.send(new TransactWriteCommand({ TransactItems: [...parts] }));
    return 'written';
  } catch (error) {
    if (
      error instanceof TransactionCanceledException &&
      error.CancellationReasons?.some((reason) => reason.Code === 'ConditionalCheckFailed')
    )
      return 'conflict';
    throw error;
  }
}

export async function getNotice(db: TableAccess, id: string): Promise<OutboxEntry | undefined> {
  const { Item } = await db.documents.send(
    new GetCommand({ TableName: db.tableName, Key: notificationKeys.notice(id), ConsistentRead: true }),
  );
  return Item ? entryOf(Item) : undefined;
}

/** The ids of the notices due at `now`, soonest first within each shard (byDue holds only pending ones). */
export async function dueNoticeIds(db: TableAccess, now: Date, limit = 500): Promise<string[]> {
  const ids: string[] = [];
  for (let shard = 0; shard < DUE_SHARDS && ids.length < limit; shard += 1) {
    for await (const item of queryItems(db.documents, {
      TableName: db.tableName,
      IndexName: 'byDue',
      KeyConditionExpression: 'duePk = :p AND dueSk <= :now',
      // Every key of a notice due at `now` sorts before `now` followed by '~'.
      ExpressionAttributeValues: { ':p': `due#${shard}`, ':now': `${now.toISOString()}~` },
      ProjectionExpression: 'pk',
    })) {
      ids.push(String(item.pk).slice('notice#'.length));
      if (ids.length >= limit) break;
    }
  }
  return ids;
}

async function conditionalUpdate(
  db: TableAccess,
  input: Omit<ConstructorParameters<typeof UpdateCommand>[0], 'TableName'>,
) {
  try {
    await db.documents.send(new UpdateCommand({ TableName: db.tableName, ...input }));
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/**
 * Claims attempt `attempts + 1` of a pending notice, rescheduling it to `retryAt` in case this attempt never
 * books its outcome; `false` when another deliverer claimed it, or it is no longer pending.
 */
export function claimAttempt(db: TableAccess, id: string, attempts: number, retryAt: Date): Promise<boolean> {
  const due = retryAt.toISOString();
  return conditionalUpdate(db, {
    Key: notificationKeys.notice(id),
    UpdateExpression: 'SET attempts = :next, dueAt = :due, dueSk = :dueSk',
    ConditionExpression: '#s = :pending AND attempts = :n',
    ExpressionAttributeNames: { '#s': 'status' },
    ExpressionAttributeValues: {
      ':next': attempts + 1,
      ':due': due,
      ':dueSk': `${due}#${id}`,
      ':pending': 'pending',
      ':n': attempts,
    },
  });
}

/** Books the claimed attempt's outcome: delivered or failed for good (the notice leaves byDue). */
export function finishNotice(
  db: TableAccess,
  id: string,
  claimed: number,
  outcome: { status: 'delivered' | 'failed'; at: Date; error?: string },
): Promise<boolean> {
  const field = outcome.status === 'delivered' ? 'deliveredAt' : 'failedAt';
  return conditionalUpdate(db, {
    Key: notificationKeys.notice(id),
    UpdateExpression: `SET #s = :status, ${field} = :at${outcome.error ? ', lastError = :e' : ''} REMOVE duePk, dueSk, dueAt`,
    ConditionExpression: '#s = :pending AND attempts = :n',
    ExpressionAttributeNames: { '#s': 'status' },
    ExpressionAttributeValues: {
      ':status': outcome.status,
      ':at': outcome.at.toISOString(),
      ':pending': 'pending',
      ':n': claimed,
      ...(outcome.error && { ':e': outcome.error }),
    },
  });
}

/** Books a failed attempt that will be retried at the time its claim set: only the reason is kept. */
export function noteRetry(db: TableAccess, id: string, claimed: number, error: string): Promise<boolean> {
  return conditionalUpdate(db, {
    Key: notificationKeys.notice(id),
    UpdateExpression: 'SET lastError = :e',
    ConditionExpression: '#s = :pending AND attempts = :n',
    ExpressionAttributeNames: { '#s': 'status' },
    ExpressionAttributeValues: { ':e': error, ':pending': 'pending', ':n': claimed },
  });
}

/**
 * Moves a pending notice's next try to `until` without starting an attempt: a notice handed to a queue is not
 * handed again by the next run, yet comes back due if the queue loses it.
 */
export function postpone(db: TableAccess, id: string, attempts: number, until: Date): Promise<boolean> {
  const due = until.toISOString();
  return conditionalUpdate(db, {
    Key: notificationKeys.notice(id),
    UpdateExpression: 'SET dueAt = :due, dueSk = :dueSk',
    ConditionExpression: '#s = :pending AND attempts = :n',
    ExpressionAttributeNames: { '#s': 'status' },
    ExpressionAttributeValues: {
      ':due': due,
      ':dueSk': `${due}#${id}`,
      ':pending': 'pending',
      ':n': attempts,
    },
  });
}
