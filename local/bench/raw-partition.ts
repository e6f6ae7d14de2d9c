import {
  BatchWriteCommand,
  type BatchWriteCommandOutput,
  type DynamoDBDocumentClient,
  QueryCommand,
  type QueryCommandOutput,
} from '@aws-sdk/lib-dynamodb';

/** Writes a raw partition of `count` copies of an item (versions 1…count), 25 a batch, four batches at a time. */
export async function buildRawPartition(
  documents: DynamoDBDocumentClient,
  tableName: string,
  streamId: string,
  template: Record<string, unknown>,
  count: number,
): Promise<void> {
  const batches: Record<string, unknown>[][] = [];
  for (let first = 1; first <= count; first += 25) {
    batches.push(
      Array.from({ length: Math.min(25, count - first + 1) }, (_, index) => ({
        ...template,
        streamId,
        version: first + index,
      })),
    );
  }
  const worker = async () => {
    for (let batch = batches.pop(); batch; batch = batches.pop()) {
      let requests = batch.map((Item) => ({ PutRequest: { Item } }));
      while (requests.length > 0) {
        const result: BatchWriteCommandOutput = await documents.send(
          new BatchWriteCommand({ RequestItems: { [tableName]: requests } }),
        );
        requests = (result.UnprocessedItems?.[tableName] ?? []) as typeof requests;
      }
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
}

/** Reads every item of a partition, page by page, strongly consistent, as a whole-stream read does; the count. */
export async function readPartition(
  documents: DynamoDBDocumentClient,
  tableName: string,
  streamId: string,
): Promise<number> {
  let count = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page: QueryCommandOutput = await documents.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'streamId = :s',
        ExpressionAttributeValues: { ':s': streamId },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    count += page.Items?.length ?? 0;
    start = page.LastEvaluatedKey;
  } while (start);
  return count;
}
