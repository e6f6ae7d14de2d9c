import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DeliveryAttempt } from '../../../domain/notifications/webhook-endpoint.ts';
import { queryItems } from '../../store/query-items.ts';
import { notificationKeys, SK_PREFIX } from './notification-keys.ts';
import type { TableAccess } from './subscription-records.ts';

/** A page of an endpoint's delivery log, newest first; `before` asks for the page after it. */
export interface DeliveryLogPage {
  readonly attempts: DeliveryAttempt[];
  /** Pass as `before` for the next (older) page; absent on the last page. */
  readonly before?: string;
}

/** How long an attempt stays in the log: DynamoDB's TTL removes it after (the attribute `expiresAt`). */
const DELIVERY_LOG_DAYS = 30;

export const MAX_DELIVERY_PAGE = 100;
const DEFAULT_DELIVERY_PAGE = 20;

/** Every attempt is its own item: two attempts never overwrite each other (their keys differ by attempt). */
export async function recordDeliveryAttempt(db: TableAccess, attempt: DeliveryAttempt): Promise<void> {
  const key = notificationKeys.delivery(attempt.endpointId, attempt.at, attempt.noticeId, attempt.attempt);
  await db.documents.send(
    new PutCommand({
      TableName: db.tableName,
      Item: {
        ...key,
        data: attempt,
        expiresAt: Math.floor(Date.parse(attempt.at) / 1000) + DELIVERY_LOG_DAYS * 86_400,
      },
    }),
  );
}

/**
 * The endpoint's attempts newest first, `limit` (1-100) at a time. `before` is the cursor the previous page
 * answered (an attempt's sort key), so pages never overlap nor skip, even among attempts of the same instant.
 */
export async function listDeliveries(
  db: TableAccess,
  endpointId: string,
  options: { limit: number; before?: string },
): Promise<DeliveryLogPage> {
  const asked = Number.isFinite(options.limit) ? Math.floor(options.limit) : DEFAULT_DELIVERY_PAGE;
  const limit = Math.max(1, Math.min(MAX_DELIVERY_PAGE, asked));
  const { pk } = notificationKeys.endpoint(endpointId);
  const upper = options.before?.startsWith(SK_PREFIX.delivery) ? options.before : undefined;
  const attempts: DeliveryAttempt[] = [];
  let lastSk: string | undefined;
  for await (const item of queryItems(db.documents, {
    TableName: db.tableName,
    KeyConditionExpression: upper
      ? 'pk = :pk AND sk BETWEEN :lo AND :hi'
      : 'pk = :pk AND begins_with(sk, :lo)',
    ExpressionAttributeValues: {
      ':pk': pk,
      ':lo': SK_PREFIX.delivery,
      ...(upper && { ':hi': upper }),
    },
    ScanIndexForward: false,
    // One more than asked, to know whether an older page exists; BETWEEN includes `before` itself, so one more.
    Limit: limit + 2,
  })) {
    if (item.sk === upper) continue;
    if (attempts.length === limit) return { attempts, ...(lastSk && { before: lastSk }) };
    attempts.push(item.data as DeliveryAttempt);
    lastSk = String(item.sk);
  }
  return { attempts };
}
