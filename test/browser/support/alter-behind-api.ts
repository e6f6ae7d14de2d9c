import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { createDynamoDBClients } from '../../../functions/dynamodb-clients.ts';
import { ledgerKeys } from '../../../functions/tables/ledger-keys.ts';
import { loadLocalConfig } from '../../../local/local-config.ts';
import type { BrowserRuntime } from './browser-runtime.ts';

/**
 * Changes stored items straight in the runtime's DynamoDB Local, as someone with raw table access could (what
 * `npm run alter-item` does): the screens must then show the tampering, whatever the API was told.
 */
async function alterLedgerItem(
  target: BrowserRuntime,
  key: { streamId: string; version: number },
  changes: Record<string, unknown>,
): Promise<void> {
  const config = loadLocalConfig({ ...process.env, LEDGER_IN_MEMORY: '1', PORT: '0' });
  const { client, documents } = createDynamoDBClients({
    endpoint: target.runtime.dynamodbEndpoint,
    ...(config.dynamodb.region && { region: config.dynamodb.region }),
  });
  try {
    const { Item } = await documents.send(new GetCommand({ TableName: config.tables.ledger, Key: key }));
    if (!Item) throw new Error(`no stored item ${key.streamId} ${key.version}`);
    await documents.send(new PutCommand({ TableName: config.tables.ledger, Item: { ...Item, ...changes } }));
  } finally {
    client.destroy();
  }
}

/** One field of a stored event, changed behind the API. */
export function alterStoredEvent(
  target: BrowserRuntime,
  event: { caseId: string; version: number },
  field: string,
  value: unknown,
): Promise<void> {
  return alterLedgerItem(target, { streamId: event.caseId, version: event.version }, { [field]: value });
}

/** Fields of a stored digest, changed behind the API after it was taken. */
export function alterStoredDigest(
  target: BrowserRuntime,
  sequence: number,
  changes: Record<string, unknown>,
): Promise<void> {
  return alterLedgerItem(target, ledgerKeys.digest(sequence), changes);
}
