import { randomBytes } from 'node:crypto';
import { DeleteTableCommand, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { inject } from 'vitest';
import { createDynamoDBClients, type DynamoDBClients } from '../../functions/dynamodb-clients.ts';
import { ensureTables, type TableNames } from '../../functions/tables/ensure-tables.ts';

export interface TestTables {
  readonly clients: DynamoDBClients;
  readonly tables: TableNames;
  /** The shared DynamoDB Local, for clients of other kinds (e.g. DynamoDB Streams). */
  readonly endpoint: string;
  /** Deletes the tables and closes the clients. */
  drop(): Promise<void>;
}

async function deleteTable(clients: DynamoDBClients, tableName: string) {
  try {
    await clients.client.send(new DeleteTableCommand({ TableName: tableName }));
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
}

/**
 * A fresh ledger and views table with a random suffix in the run's shared DynamoDB Local, so test files running
 * side by side never see each other's items.
 *
 * @example
 * ```ts
 * let db: TestTables;
 * beforeAll(async () => { db = await createTestTables(); });
 * afterAll(() => db.drop());
 * ```
 */
export async function createTestTables(prefix = 'test'): Promise<TestTables> {
  const endpoint = inject('dynamodbEndpoint');
  const clients = createDynamoDBClients({ endpoint });
  const suffix = randomBytes(4).toString('hex');
  const tables = { ledger: `${prefix}-ledger-${suffix}`, views: `${prefix}-views-${suffix}` };
  await ensureTables(clients.client, tables);
  return {
    clients,
    tables,
    endpoint,
    async drop() {
      await Promise.all([deleteTable(clients, tables.ledger), deleteTable(clients, tables.views)]);
      clients.client.destroy();
    },
  };
}
