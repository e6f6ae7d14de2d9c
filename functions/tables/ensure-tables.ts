import { setTimeout as sleep } from 'node:timers/promises';
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  type DynamoDBClient,
  type KeySchemaElement,
  type Projection,
  ResourceInUseException,
  ResourceNotFoundException,
  type TableDescription,
  UpdateTableCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import {
  caseKeysTable,
  ledgerTable,
  logTable,
  notificationsTable,
  type TableDefinition,
  viewsTable,
} from './table-definitions.ts';
import { toCreateTableInput } from './to-create-table-input.ts';

export interface TableNames {
  readonly ledger: string;
  readonly views: string;
  /** The per-case keys of personal data. */
  readonly keys: string;
  /** Subscriptions, webhook endpoints, alert states and the outbox of notices. */
  readonly notifications: string;
  /** The transparency log's state, event indexes, leaves and checkpoints. */
  readonly log: string;
}

/** What `ensureTables` found or did for a table. */
export type TableOutcome = 'created' | 'existing' | 'upgraded';

async function describe(client: DynamoDBClient, tableName: string): Promise<TableDescription | undefined> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}

/** How long an index being added or removed may take before start-up gives up; DynamoDB Local needs seconds. */
const INDEX_WAIT_MS = 120_000;

/** Waits until `done` holds of the table, polling `DescribeTable`. */
async function waitUntil(
  client: DynamoDBClient,
  tableName: string,
  what: string,
  done: (table: TableDescription | undefined) => boolean,
) {
  const deadline = Date.now() + INDEX_WAIT_MS;
  for (;;) {
    if (done(await describe(client, tableName))) return;
    if (Date.now() > deadline)
      throw new Error(`${what} of ${tableName} is still under way after ${INDEX_WAIT_MS / 1000} s`);
    await sleep(200);
  }
}

const indexOf = (table: TableDescription | undefined, indexName: string) =>
  table?.GlobalSecondaryIndexes?.find((gsi) => gsi.IndexName === indexName);

function waitUntilIndexActive(client: DynamoDBClient, tableName: string, indexName: string) {
  return waitUntil(
    client,
    tableName,
    `the building of the index ${indexName}`,
    (table) => indexOf(table, indexName)?.IndexStatus === 'ACTIVE' && table?.TableStatus === 'ACTIVE',
  );
}

function waitUntilIndexGone(client: DynamoDBClient, tableName: string, indexName: string) {
  return waitUntil(
    client,
    tableName,
    `the removal of the index ${indexName}`,
    (table) => indexOf(table, indexName) === undefined && table?.TableStatus === 'ACTIVE',
  );
}

type WantedIndex = NonNullable<CreateTableCommandInput['GlobalSecondaryIndexes']>[number];

/** The attribute names of a key schema or a projection, in a fixed order, for comparing two of them. */
function shapeOf(index: { KeySchema?: readonly KeySchemaElement[]; Projection?: Projection }): string {
  return JSON.stringify({
    keys: (index.KeySchema ?? []).map((key) => [key.AttributeName, key.KeyType]),
    type: index.Projection?.ProjectionType ?? 'ALL',
    attributes: [...(index.Projection?.NonKeyAttributes ?? [])].sort(),
  });
}

/**
 * Replaces the indexes of a table made by an older version whose projection (or key) is not the definition's:
 * DynamoDB cannot change an index in place. Each is deleted, then created again with the definition's shape and
 * filled from the table's items (which hold everything, so no view is rebuilt), one at a time, as DynamoDB
 * allows one index creation or deletion per `UpdateTable`. Runs before the API answers, so no query meets an
 * index half made.
 */
async function replaceChangedIndexes(
  client: DynamoDBClient,
  tableName: string,
  table: TableDescription,
  wanted: CreateTableCommandInput,
): Promise<boolean> {
  const present = new Map((table.GlobalSecondaryIndexes ?? []).map((gsi) => [gsi.IndexName, gsi]));
  const changed = (wanted.GlobalSecondaryIndexes ?? []).filter((index) => {
    const old = present.get(index.IndexName);
    return old !== undefined && shapeOf(old) !== shapeOf(index);
  });
  for (const index of changed) {
    await client.send(
      new UpdateTableCommand({
        TableName: tableName,
        GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: index.IndexName } }],
      }),
    );
    await waitUntilIndexGone(client, tableName, index.IndexName!);
    await createIndex(client, tableName, wanted, index);
  }
  return changed.length > 0;
}

async function createIndex(
  client: DynamoDBClient,
  tableName: string,
  wanted: CreateTableCommandInput,
  index: WantedIndex,
) {
  await client.send(
    new UpdateTableCommand({
      TableName: tableName,
      AttributeDefinitions: wanted.AttributeDefinitions,
      GlobalSecondaryIndexUpdates: [{ Create: index }],
    }),
  );
  await waitUntilIndexActive(client, tableName, index.IndexName!);
}

/**
 * Adds the indexes a table made by an older version lacks, one at a time (as DynamoDB allows), keeping its
 * items: a data directory from before an index existed must not answer the queries that use it with a 500.
 */
async function addMissingIndexes(
  client: DynamoDBClient,
  tableName: string,
  table: TableDescription,
  wanted: CreateTableCommandInput,
): Promise<boolean> {
  const present = new Set((table.GlobalSecondaryIndexes ?? []).map((gsi) => gsi.IndexName));
  const missing = (wanted.GlobalSecondaryIndexes ?? []).filter((gsi) => !present.has(gsi.IndexName));
  for (const index of missing) await createIndex(client, tableName, wanted, index);
  return missing.length > 0;
}

/** Brings an existing table's indexes to the definition's; `true` when any had to change. */
async function upgradeIndexes(
  client: DynamoDBClient,
  definition: TableDefinition,
  tableName: string,
  table: TableDescription,
): Promise<boolean> {
  const wanted = toCreateTableInput(definition, tableName);
  const replaced = await replaceChangedIndexes(client, tableName, table, wanted);
  const added = await addMissingIndexes(client, tableName, table, wanted);
  return replaced || added;
}

async function ensureTable(
  client: DynamoDBClient,
  definition: TableDefinition,
  tableName: string,
): Promise<TableOutcome> {
  const table = await describe(client, tableName);
  if (table !== undefined)
    return (await upgradeIndexes(client, definition, tableName, table)) ? 'upgraded' : 'existing';
  try {
    await client.send(new CreateTableCommand(toCreateTableInput(definition, tableName)));
  } catch (error) {
    // Another process created it between our look and our create: that is the outcome we wanted.
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  await waitUntilTableExists({ client, maxWaitTime: 60 }, { TableName: tableName });
  return 'created' as const;
}

/**
 * Creates the ledger, views, keys, notifications and log tables from the shared definition when they are missing, replaces the
 * indexes of an existing table whose projection differs from it, and adds those it lacks (local runtime, tests).
 * On AWS the CDK stack creates them instead (docs/operations.md says how an index change is deployed there).
 */
export async function ensureTables(client: DynamoDBClient, names: TableNames) {
  const [ledger, views, keys, notifications, log] = await Promise.all([
    ensureTable(client, ledgerTable, names.ledger),
    ensureTable(client, viewsTable, names.views),
    ensureTable(client, caseKeysTable, names.keys),
    ensureTable(client, notificationsTable, names.notifications),
    ensureTable(client, logTable, names.log),
  ]);
  return { ledger, views, keys, notifications, log };
}
