import { randomBytes } from 'node:crypto';
import { DeleteTableCommand, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { inject } from 'vitest';
import { PROJECTION_REVISION } from '../../domain/projection-revision.ts';
import { createDynamoDBClients, type DynamoDBClients } from '../../functions/dynamodb-clients.ts';
import { CaseKeys } from '../../functions/personal-data/case-keys.ts';
import type { KeyWrapper } from '../../functions/personal-data/key-wrapper.ts';
import { LocalKeyWrapper } from '../../functions/personal-data/local-key-wrapper.ts';
import { SubjectVault } from '../../functions/personal-data/subject-vault.ts';
import { ViewStore } from '../../functions/store/view-store.ts';
import { ensureTables, type TableNames } from '../../functions/tables/ensure-tables.ts';

export interface TestTables {
  readonly clients: DynamoDBClients;
  readonly tables: TableNames;
  /** The shared DynamoDB Local, for clients of other kinds (e.g. DynamoDB Streams). */
  readonly endpoint: string;
  /** Wraps case keys with a master key made for this test file; pass it to `createServices` as `keyWrapper`. */
  readonly keyWrapper: KeyWrapper;
  /** Seals subjects with keys in this file's keys table, wrapped by `keyWrapper`: for stores built by hand. */
  subjectVault(clock?: () => Date): SubjectVault;
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
 * A fresh ledger, views and keys table with a random suffix in the run's shared DynamoDB Local, so test files running
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
  const tables = {
    ledger: `${prefix}-ledger-${suffix}`,
    views: `${prefix}-views-${suffix}`,
    keys: `${prefix}-keys-${suffix}`,
    notifications: `${prefix}-notifications-${suffix}`,
    log: `${prefix}-log-${suffix}`,
  };
  await ensureTables(clients.client, tables);
  // A table made now holds no older view: marked as the local runtime marks it, so summaries read kept counts.
  await new ViewStore({ documents: clients.documents, tableName: tables.views }).markRebuilt(
    PROJECTION_REVISION,
    new Date(),
  );
  const keyWrapper = new LocalKeyWrapper(randomBytes(32));
  return {
    clients,
    tables,
    endpoint,
    keyWrapper,
    subjectVault: (clock = () => new Date()) =>
      new SubjectVault(
        new CaseKeys({ documents: clients.documents, tableName: tables.keys, wrapper: keyWrapper, clock }),
      ),
    async drop() {
      await Promise.all(Object.values(tables).map((name) => deleteTable(clients, name)));
      clients.client.destroy();
    },
  };
}
