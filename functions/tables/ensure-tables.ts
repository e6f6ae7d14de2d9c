import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  ResourceNotFoundException,
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

async function tableExists(client: DynamoDBClient, tableName: string): Promise<boolean> {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return true;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return false;
    throw error;
  }
}

async function ensureTable(client: DynamoDBClient, definition: TableDefinition, tableName: string) {
  if (await tableExists(client, tableName)) return 'existing' as const;
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
 * Creates the ledger, views and keys tables from the shared definition when they are missing (local runtime, tests).
 * On AWS the CDK stack creates them instead.
 */
export async function ensureTables(client: DynamoDBClient, names: TableNames) {
  const [ledger, views, keys] = await Promise.all([
    ensureTable(client, ledgerTable, names.ledger),
    ensureTable(client, viewsTable, names.views),
    ensureTable(client, caseKeysTable, names.keys),
  ]);
  return { ledger, views, keys };
}
