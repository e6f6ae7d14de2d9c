import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { createDynamoDBClients } from '../../../functions/dynamodb-clients.ts';
import { loadLocalConfig } from '../../../local/local-config.ts';
import type { BrowserRuntime } from './browser-runtime.ts';

/**
 * Changes one field of a stored event straight in the runtime's DynamoDB Local, as someone with raw table access
 * could (what `npm run alter-item` does): the screens must then show the tampering, whatever the API was told.
 */
export async function alterStoredEvent(
  target: BrowserRuntime,
  event: { caseId: string; version: number },
  field: string,
  value: unknown,
): Promise<void> {
  const config = loadLocalConfig({ ...process.env, LEDGER_IN_MEMORY: '1', PORT: '0' });
  const { client, documents } = createDynamoDBClients({
    endpoint: target.runtime.dynamodbEndpoint,
    ...(config.dynamodb.region && { region: config.dynamodb.region }),
  });
  try {
    const key = { streamId: event.caseId, version: event.version };
    const { Item } = await documents.send(new GetCommand({ TableName: config.tables.ledger, Key: key }));
    if (Item?.itemKind !== 'event') throw new Error(`no stored event ${event.caseId} ${event.version}`);
    await documents.send(
      new PutCommand({ TableName: config.tables.ledger, Item: { ...Item, [field]: value } }),
    );
  } finally {
    client.destroy();
  }
}
