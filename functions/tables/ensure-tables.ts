import { setTimeout as sleep } from 'node:timers/promises';
import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  ResourceNotFoundException,
  type TableDescription,
  UpdateTableCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { caseKeysTable, ledgerTable, type TableDefinition, viewsTable } from './table-definitions.ts';
import { toCreateTableInput } from './to-create-table-input.ts';

export interface TableNames {
  readonly ledger: string;
  readonly views: string;
  /** The per-case keys of personal data. */
  readonly keys: string;
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

/** How long an index being added may take to fill before start-up gives up; DynamoDB Local needs seconds. */
const INDEX_WAIT_MS = 120_000;

async function waitUntilIndexActive(client: DynamoDBClient, tableName: string, indexName: string) {
  const deadline = Date.now() + INDEX_WAIT_MS;
  for (;;) {
    const table = await describe(client, tableName);
    const index = table?.GlobalSecondaryIndexes?.find((gsi) => gsi.IndexName === indexName);
    if (index?.IndexStatus === 'ACTIVE' && table?.TableStatus === 'ACTIVE') return;
    if (Date.now() > deadline)
      throw new Error(
        `the index ${indexName} of ${tableName} is still being built after ${INDEX_WAIT_MS / 1000} s`,
      );
    await sleep(200);
  }
}

/**
 * Adds the indexes a table made by an older version lacks, one at a time (as DynamoDB allows), keeping its
 * items: a data directory from before an index existed must not answer the queries that use it with a 500.
 */
async function addMissingIndexes(
  client: DynamoDBClient,
  definition: TableDefinition,
  tableName: string,
  table: TableDescription,
): Promise<boolean> {
  const present = new Set((table.GlobalSecondaryIndexes ?? []).map((gsi) => gsi.IndexName));
  const wanted = toCreateTableInput(definition, tableName);
  const missing = (wanted.GlobalSecondaryIndexes ?? []).filter((gsi) => !present.has(gsi.IndexName));
  for (const index of missing) {
    await client.send(
      new UpdateTableCommand({
        TableName: tableName,
        AttributeDefinitions: wanted.AttributeDefinitions,
        GlobalSecondaryIndexUpdates: [{ Create: index }],
      }),
    );
    await waitUntilIndexActive(client, tableName, index.IndexName!);
  }
  return missing.length > 0;
}

async function ensureTable(
  client: DynamoDBClient,
  definition: TableDefinition,
  tableName: string,
): Promise<TableOutcome> {
  const table = await describe(client, tableName);
  if (table !== undefined)
    return (await addMissingIndexes(client, definition, tableName, table)) ? 'upgraded' : 'existing';
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
 * Creates the ledger, views and keys tables from the shared definition when they are missing, and adds the
 * indexes an existing table lacks (local runtime, tests). On AWS the CDK stack creates them instead.
 */
export async function ensureTables(client: DynamoDBClient, names: TableNames) {
  const [ledger, views, keys] = await Promise.all([
    ensureTable(client, ledgerTable, names.ledger),
    ensureTable(client, viewsTable, names.views),
    ensureTable(client, caseKeysTable, names.keys),
  ]);
  return { ledger, views, keys };
}
