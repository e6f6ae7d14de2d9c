import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface DynamoDBConnection {
  /** Unset on AWS (the SDK finds the regional endpoint); the DynamoDB Local URL locally. */
  readonly endpoint?: string;
  readonly region?: string;
  /** How long one request may wait for an answer before it is retried (and, after the retries, fails). */
  readonly requestTimeoutMs?: number;
}

/**
 * A request that gets no answer within this long is given up and retried: without a bound a stalled store
 * would hold the caller until the Lambda function timed out (29 s), never answering 503. Five attempts of 4 s
 * and their back-off stay within that; a page of a query (1 MB at most) takes far less.
 */
const REQUEST_TIMEOUT_MS = 4_000;
/**
 * DynamoDB Local shares a laptop's cores with everything else on it, and no gateway cuts a local request at
 * 29 s: a busy minute there must not turn into failed requests.
 */
const LOCAL_REQUEST_TIMEOUT_MS = 10_000;
const CONNECTION_TIMEOUT_MS = 2_000;

/**
 * Where an SDK client of the ledger's connects, and how often it tries: on AWS the region's endpoint, locally
 * the given one with fixed dummy credentials. Shared by the DynamoDB and the DynamoDB Streams clients, so both
 * see the same tables.
 */
export function sdkConnection(connection: DynamoDBConnection) {
  const local = connection.endpoint !== undefined;
  return {
    ...(local && {
      endpoint: connection.endpoint,
      region: connection.region ?? 'local',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
    ...(!local && connection.region && { region: connection.region }),
    maxAttempts: 5,
  };
}

/**
 * The low-level client and the document client over it. Locally the credentials are fixed dummies: DynamoDB
 * Local keeps one database per access key and region unless started shared, so every local process must use
 * the same pair to see the same tables.
 */
export function createDynamoDBClients(connection: DynamoDBConnection = {}) {
  const local = connection.endpoint !== undefined;
  const client = new DynamoDBClient({
    ...sdkConnection(connection),
    requestHandler: {
      connectionTimeout: CONNECTION_TIMEOUT_MS,
      requestTimeout: connection.requestTimeoutMs ?? (local ? LOCAL_REQUEST_TIMEOUT_MS : REQUEST_TIMEOUT_MS),
      // Without it the SDK only warns when the time is up, and goes on waiting.
      throwOnRequestTimeout: true,
    },
  });
  const documents = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    unmarshallOptions: { wrapNumbers: false },
  });
  return { client, documents };
}

export type DynamoDBClients = ReturnType<typeof createDynamoDBClients>;
