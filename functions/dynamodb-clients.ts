import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface DynamoDBConnection {
  /** Unset on AWS (the SDK finds the regional endpoint); the DynamoDB Local URL locally. */
  readonly endpoint?: string;
  readonly region?: string;
}

/**
 * The low-level client and the document client over it. Locally the credentials are fixed dummies: DynamoDB
 * Local keeps one database per access key and region unless started shared, so every local process must use
 * the same pair to see the same tables.
 */
export function createDynamoDBClients(connection: DynamoDBConnection = {}) {
  const local = connection.endpoint !== undefined;
  const client = new DynamoDBClient({
    ...(local && {
      endpoint: connection.endpoint,
      region: connection.region ?? 'local',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
    ...(!local && connection.region && { region: connection.region }),
    maxAttempts: 5,
  });
  const documents = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    unmarshallOptions: { wrapNumbers: false },
  });
  return { client, documents };
}

export type DynamoDBClients = ReturnType<typeof createDynamoDBClients>;
