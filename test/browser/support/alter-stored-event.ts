import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createDynamoDBClients } from '../../../functions/dynamodb-clients.ts';
import { loadLocalConfig } from '../../../local/local-config.ts';
import type { BrowserRuntime } from './browser-runtime.ts';

/**
 * Changes one field of a stored event straight in the runtime's DynamoDB Local, behind the API's back, as
 * `npm run alter-item` does: what someone with raw table access could do, and `verify` must catch.
 */
export async function alterStoredEvent(
  target: BrowserRuntime,
  event: { caseId: string; version: number },
  field: string,
  value: unknown,
): Promise<void> {
  const { tables } = loadLocalConfig({ ...process.env, LEDGER_IN_MEMORY: '1', PORT: '0' });
  const { client, documents } = createDynamoDBClients({
    endpoint: target.runtime.dynamodbEndpoint,
    region: 'local',
  });
  try {
    await documents.send(
      new UpdateCommand({
        TableName: tables.ledger,
        Key: { streamId: event.caseId, version: event.version },
        UpdateExpression: 'SET #f = :v',
        ConditionExpression: 'attribute_exists(streamId)',
        ExpressionAttributeNames: { '#f': field },
        ExpressionAttributeValues: { ':v': value },
      }),
    );
  } finally {
    client.destroy();
  }
}
