import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBConnection } from '../functions/dynamodb-clients.ts';

/**
 * A DynamoDB Streams client for the same connection as `createDynamoDBClients`, with the same fixed local
 * credentials, so that it reads the streams of the tables those clients see.
 */
export function createDynamoDBStreamsClient(connection: DynamoDBConnection = {}): DynamoDBStreamsClient {
  const local = connection.endpoint !== undefined;
  return new DynamoDBStreamsClient({
    ...(local && {
      endpoint: connection.endpoint,
      region: connection.region ?? 'local',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
    ...(!local && connection.region && { region: connection.region }),
    maxAttempts: 5,
  });
}
