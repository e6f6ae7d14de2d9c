import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { type DynamoDBConnection, sdkConnection } from '../functions/dynamodb-clients.ts';

/**
 * A DynamoDB Streams client for the same connection as `createDynamoDBClients`, with the same fixed local
 * credentials, so that it reads the streams of the tables those clients see.
 */
export function createDynamoDBStreamsClient(connection: DynamoDBConnection = {}): DynamoDBStreamsClient {
  return new DynamoDBStreamsClient(sdkConnection(connection));
}
