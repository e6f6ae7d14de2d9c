import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import {
  type EndpointSecret,
  type EndpointState,
  SECRET_OVERLAP_MS,
  type WebhookEndpoint,
} from '../../../domain/notifications/webhook-endpoint.ts';
import { queryItems } from '../../store/query-items.ts';
import { NotificationConflictError, NotificationNotFoundError } from './not-found.ts';
import { KIND, notificationKeys } from './notification-keys.ts';
import type { TableAccess } from './subscription-records.ts';

/**
 * Endpoints are changed by admins (rotation, state) and by the notifier (failures) at once: every change is
 * conditional on the `revision` it read, so none overwrites another.
 */

interface EndpointItem {
  readonly data: WebhookEndpoint;
  readonly revision: number;
}

function endpointItem(endpoint: WebhookEndpoint, revision: number): Record<string, unknown> {
  return {
    ...notificationKeys.endpoint(endpoint.id),
    kindPk: KIND.endpoint,
    kindSk: `${endpoint.createdAt}#${endpoint.id}`,
    data: endpoint,
    revision,
  };
}

async function readItem(db: TableAccess, id: string): Promise<EndpointItem | undefined> {
  const { Item } = await db.documents.send(
    new GetCommand({ TableName: db.tableName, Key: notificationKeys.endpoint(id), ConsistentRead: true }),
  );
  return Item ? { data: Item.data as WebhookEndpoint, revision: Number(Item.revision) } : undefined;
}

export async function createEndpoint(db: TableAccess, endpoint: WebhookEndpoint): Promise<void> {
  try {
    await db.documents.send(
      new PutCommand({
        TableName: db.tableName,
        Item: endpointItem(endpoint, 1),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException)
      throw new NotificationConflictError(`Endpoint ${endpoint.id} exists already`, { cause: error });
    throw error;
  }
}

export async function getEndpoint(db: TableAccess, id: string): Promise<WebhookEndpoint | undefined> {
  return (await readItem(db, id))?.data;
}

export async function listEndpoints(db: TableAccess): Promise<WebhookEndpoint[]> {
  const found: WebhookEndpoint[] = [];
  for await (const item of queryItems(db.documents, {
    TableName: db.tableName,
    IndexName: 'byKind',
    KeyConditionExpression: 'kindPk = :k',
    ExpressionAttributeValues: { ':k': KIND.endpoint },
  }))
    found.push(item.data as WebhookEndpoint);
  return found;
}

/**
 * Reads the endpoint, applies `change` and writes it back if nobody changed it meanwhile; on a lost race, reads
 * again and retries (the change is a function of the current endpoint, so a retry is always sound).
 */
async function changeEndpoint(
  db: TableAccess,
  id: string,
  change: (current: WebhookEndpoint) => WebhookEndpoint,
): Promise<WebhookEndpoint> {
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const current = await readItem(db, id);
    if (!current) throw new NotificationNotFoundError('endpoint', id);
    const next = change(current.data);
    if (next === current.data) return next;
    try {
      await db.documents.send(
        new PutCommand({
          TableName: db.tableName,
          Item: endpointItem(next, current.revision + 1),
          ConditionExpression: 'revision = :r',
          ExpressionAttributeValues: { ':r': current.revision },
        }),
      );
      return next;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
  throw new NotificationConflictError(`Endpoint ${id} kept changing; try again`);
}

/**
 * A new newest secret; the one that was newest keeps signing until `now + SECRET_OVERLAP_MS`. At most two are
 * kept: a third rotation within an overlap drops the oldest at once.
 */
export function rotateEndpointSecret(
  db: TableAccess,
  id: string,
  newSecret: string,
  now: Date,
): Promise<WebhookEndpoint> {
  return changeEndpoint(db, id, (endpoint) => {
    const fresh: EndpointSecret = { secret: newSecret, createdAt: now.toISOString() };
    const previous = endpoint.secrets[0];
    const retiresAt = new Date(now.getTime() + SECRET_OVERLAP_MS).toISOString();
    const secrets = previous ? [fresh, { ...previous, retiresAt }] : [fresh];
    return { ...endpoint, secrets };
  });
}

/** Enabling clears the run of failures (and `disabledAt`); disabling records when. Same state: no change. */
export function setEndpointState(
  db: TableAccess,
  id: string,
  state: EndpointState,
  at: Date,
): Promise<WebhookEndpoint> {
  return changeEndpoint(db, id, (endpoint) => {
    if (endpoint.state === state) return endpoint;
    const { failingSince: _failing, disabledAt: _disabled, ...rest } = endpoint;
    return state === 'active'
      ? { ...rest, state }
      : {
          ...rest,
          ...(endpoint.failingSince && { failingSince: endpoint.failingSince }),
          state,
          disabledAt: at.toISOString(),
        };
  });
}

/** A failed delivery: starts the run of failures at `at` unless one is under way. */
export function recordEndpointFailure(db: TableAccess, id: string, at: Date): Promise<WebhookEndpoint> {
  return changeEndpoint(db, id, (endpoint) =>
    endpoint.failingSince ? endpoint : { ...endpoint, failingSince: at.toISOString() },
  );
}

/** A delivered notice ends the run of failures. */
export function recordEndpointSuccess(db: TableAccess, id: string): Promise<WebhookEndpoint> {
  return changeEndpoint(db, id, (endpoint) => {
    if (!endpoint.failingSince) return endpoint;
    const { failingSince: _failing, ...rest } = endpoint;
    return rest;
  });
}

/**
 * The transaction part that disables an endpoint, conditional on it still being active and failing since the
 * same moment, so that of two notifiers deciding at once only one disables it (and writes its notice).
 */
export function disableEndpointUpdate(db: TableAccess, endpoint: WebhookEndpoint, at: Date) {
  return {
    Update: {
      TableName: db.tableName,
      Key: notificationKeys.endpoint(endpoint.id),
      UpdateExpression: 'SET #d.#state = :disabled, #d.disabledAt = :at, revision = revision + :one',
      ConditionExpression: '#d.#state = :active AND #d.failingSince = :since',
      ExpressionAttributeNames: { '#d': 'data', '#state': 'state' },
      ExpressionAttributeValues: {
        ':disabled': 'disabled',
        ':active': 'active',
        ':at': at.toISOString(),
        ':since': endpoint.failingSince,
        ':one': 1,
      },
    },
  };
}
