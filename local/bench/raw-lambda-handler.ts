/**
 * The raw figure for Lambda readiness: the least a function on DynamoDB bundles and loads — the SDK's client and
 * document client, and one `GetItem` — bundled with the same options as the ledger's functions.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';

const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));

export const handler = async (event: { caseId: string }) => {
  const { Item } = await documents.send(
    new GetCommand({ TableName: process.env.VIEWS_TABLE, Key: { caseId: event.caseId } }),
  );
  return Item;
};
