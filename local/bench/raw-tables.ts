import {
  CreateTableCommand,
  DeleteTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  ResourceNotFoundException,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { ledgerTable } from '../../functions/tables/table-definitions.ts';
import { toCreateTableInput } from '../../functions/tables/to-create-table-input.ts';

/**
 * The tables the raw DynamoDB operations run against: keyed like the ledger (`streamId`, `version`) so raw items
 * are the ledger's items under other keys, but with none of its indexes and none of its logic.
 */
export interface RawTables {
  /**
   * Raw puts, transactions and queries. Without a stream, as without indexes: nobody reads it, and what the
   * ledger's stream and indexes cost its writes is part of the ledger's figure.
   */
  readonly items: string;
  /**
   * A table defined as the ledger's is (its indexes and its stream, from the same definition), for the
   * append's transaction made raw: so that it pays what the ledger's indexes and stream cost a write.
   */
  readonly ledgerLike: string;
  /** Raw puts read by the raw stream pipeline of the lag measurement. */
  readonly stream: string;
  /** Where the raw stream pipeline writes what it saw, keyed by `caseId` like the views; no indexes. */
  readonly marks: string;
}

export function rawTableNames(prefix: string): RawTables {
  return {
    items: `${prefix}-raw-items`,
    ledgerLike: `${prefix}-raw-ledger-like`,
    stream: `${prefix}-raw-stream`,
    marks: `${prefix}-raw-marks`,
  };
}

async function create(
  client: DynamoDBClient,
  tableName: string,
  keyed: 'stream' | 'case',
  streamed: boolean,
) {
  const keys =
    keyed === 'stream'
      ? {
          KeySchema: [
            { AttributeName: 'streamId', KeyType: 'HASH' as const },
            { AttributeName: 'version', KeyType: 'RANGE' as const },
          ],
          AttributeDefinitions: [
            { AttributeName: 'streamId', AttributeType: 'S' as const },
            { AttributeName: 'version', AttributeType: 'N' as const },
          ],
        }
      : {
          KeySchema: [{ AttributeName: 'caseId', KeyType: 'HASH' as const }],
          AttributeDefinitions: [{ AttributeName: 'caseId', AttributeType: 'S' as const }],
        };
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        ...keys,
        ...(streamed && { StreamSpecification: { StreamEnabled: true, StreamViewType: ledgerTable.stream } }),
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  await waitUntilTableExists({ client, maxWaitTime: 60 }, { TableName: tableName });
}

async function createLedgerLike(client: DynamoDBClient, tableName: string) {
  await client.send(new CreateTableCommand(toCreateTableInput(ledgerTable, tableName)));
  await waitUntilTableExists({ client, maxWaitTime: 60 }, { TableName: tableName });
}

/** Creates the raw tables (an existing one is kept). */
export async function createRawTables(client: DynamoDBClient, tables: RawTables): Promise<void> {
  await Promise.all([
    create(client, tables.items, 'stream', false),
    createLedgerLike(client, tables.ledgerLike),
    create(client, tables.stream, 'stream', true),
    create(client, tables.marks, 'case', false),
  ]);
}

/** Deletes tables, ignoring those already gone. */
export async function deleteTables(client: DynamoDBClient, tableNames: readonly string[]): Promise<void> {
  await Promise.all(
    tableNames.map(async (tableName) => {
      try {
        await client.send(new DeleteTableCommand({ TableName: tableName }));
      } catch (error) {
        if (!(error instanceof ResourceNotFoundException)) throw error;
      }
    }),
  );
}

/**
 * The ledger's item for one event, as stored: what a raw write puts under other keys, so the raw item has the
 * same attributes and size as the ledger's.
 */
export async function eventItemTemplate(
  documents: DynamoDBDocumentClient,
  tableName: string,
  caseId: string,
  version: number,
): Promise<Record<string, unknown>> {
  const { Item } = await documents.send(
    new GetCommand({ TableName: tableName, Key: { streamId: caseId, version } }),
  );
  if (!Item) throw new Error(`no ledger item ${caseId} v${version}`);
  return Item;
}
