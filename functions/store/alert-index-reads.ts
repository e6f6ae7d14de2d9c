import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type CaseView, caseViewSchema } from '../../domain/case-view.ts';
import { allShards } from '../tables/shards.ts';
import { type AlertIndexName, alertIndexes, alertPartition } from '../tables/view-keys.ts';
import { queryItems } from './query-items.ts';

/** A case in an alert index, with its view, which the index copies. */
export interface DueCase {
  readonly caseId: string;
  /** The view as of its projection, read back through its schema. */
  readonly view: CaseView;
}

/**
 * Every case of an alert index whose sort key sorts before `before`, of one group or of all: one `Query` per
 * shard, all in parallel, each reading only the cases in the range (page after page if there are many). The
 * group is a filter on the copied view, so a group's call still reads the other groups' cases that alert,
 * never the ones that do not.
 */
export async function casesDueBefore(
  documents: DynamoDBDocumentClient,
  tableName: string,
  index: AlertIndexName,
  before: string,
  groupId: string | undefined,
): Promise<DueCase[]> {
  const { indexName, sortKeyName } = alertIndexes[index];
  const perShard = await Promise.all(
    allShards().map(async (shard) => {
      const found: DueCase[] = [];
      for await (const item of queryItems(documents, {
        TableName: tableName,
        IndexName: indexName,
        KeyConditionExpression: '#k = :k AND #sk < :before',
        ExpressionAttributeNames: {
          '#k': alertPartition.keyName,
          '#sk': sortKeyName,
          ...(groupId !== undefined && { '#view': 'view', '#group': 'groupId' }),
        },
        ExpressionAttributeValues: {
          ':k': alertPartition.of(shard),
          ':before': before,
          ...(groupId !== undefined && { ':g': groupId }),
        },
        ...(groupId !== undefined && { FilterExpression: '#view.#group = :g' }),
      })) {
        found.push({ caseId: String(item.caseId), view: caseViewSchema.parse(item.view) });
      }
      return found;
    }),
  );
  return perShard.flat();
}
