import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';

/**
 * The named attributes of each of `caseIds` in a table keyed by `caseId` (the views, or the raw marks), with
 * one `BatchGetItem` per hundred keys, as cheaply as a reader can look: cases without an item are absent.
 */
export async function readAttributes(
  documents: DynamoDBDocumentClient,
  tableName: string,
  caseIds: readonly string[],
  attributes: readonly string[],
): Promise<Map<string, Record<string, unknown>>> {
  const found = new Map<string, Record<string, unknown>>();
  const names = Object.fromEntries(['caseId', ...attributes].map((name, index) => [`#a${index}`, name]));
  for (let start = 0; start < caseIds.length; start += 100) {
    let keys: Record<string, unknown>[] | undefined = caseIds
      .slice(start, start + 100)
      .map((caseId) => ({ caseId }));
    while (keys && keys.length > 0) {
      const result: BatchGetCommandOutput = await documents.send(
        new BatchGetCommand({
          RequestItems: {
            [tableName]: {
              Keys: keys,
              ProjectionExpression: Object.keys(names).join(', '),
              ExpressionAttributeNames: names,
            },
          },
        }),
      );
      for (const item of result.Responses?.[tableName] ?? []) found.set(String(item.caseId), item);
      keys = result.UnprocessedKeys?.[tableName]?.Keys;
    }
  }
  return found;
}

/** The `version` of each of `caseIds` that has an item. */
export async function readVersions(
  documents: DynamoDBDocumentClient,
  tableName: string,
  caseIds: readonly string[],
): Promise<Map<string, number>> {
  const items = await readAttributes(documents, tableName, caseIds, ['version']);
  return new Map([...items].map(([caseId, item]) => [caseId, Number(item.version)]));
}
