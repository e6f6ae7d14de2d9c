import {
  type DynamoDBDocumentClient,
  QueryCommand,
  type QueryCommandInput,
  type QueryCommandOutput,
} from '@aws-sdk/lib-dynamodb';

/**
 * Every item a query matches, page after page, as the pages arrive. Stopping early (a `break` or `return`
 * in the caller's loop) reads no further page.
 */
export async function* queryItems(
  documents: DynamoDBDocumentClient,
  input: Omit<QueryCommandInput, 'ExclusiveStartKey'>,
): AsyncGenerator<Record<string, unknown>> {
  let exclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const result: QueryCommandOutput = await documents.send(
      new QueryCommand({ ...input, ExclusiveStartKey: exclusiveStartKey }),
    );
    yield* result.Items ?? [];
    exclusiveStartKey = result.LastEvaluatedKey;
  } while (exclusiveStartKey);
}
