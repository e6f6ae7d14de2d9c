import { setTimeout as sleep } from 'node:timers/promises';
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { viewKeys } from '../tables/view-keys.ts';
import { STORED_VIEW, type StoredView, toStored } from './stored-view.ts';

/** `BatchGetItem` takes at most 100 keys a call. */
const KEYS_PER_BATCH = 100;

/** The pause before asking again for keys DynamoDB left unprocessed: doubling from this, up to a second. */
const FIRST_RETRY_MS = 20;
const LONGEST_RETRY_MS = 1000;

/**
 * The stored views of these cases, timelines included, from the base items: the list indexes copy only the view,
 * so whoever folds (summaries, alerts at a past moment) reads the rest here, 100 keys a `BatchGetItem`. Keys
 * DynamoDB leaves unprocessed (a throttled partition, a response over 16 MB) are asked again after a pause that
 * doubles, as AWS advises, until none is left. A case whose item is gone (a table being rebuilt) is left out.
 *
 * @returns the stored views in the order of `caseIds`.
 */
export async function storedViewsOf(
  documents: DynamoDBDocumentClient,
  tableName: string,
  caseIds: readonly string[],
): Promise<StoredView[]> {
  const byCase = new Map<string, StoredView>();
  for (let start = 0; start < caseIds.length; start += KEYS_PER_BATCH) {
    let keys: Record<string, unknown>[] | undefined = caseIds
      .slice(start, start + KEYS_PER_BATCH)
      .map(viewKeys.view);
    for (let pause = FIRST_RETRY_MS; keys && keys.length > 0; pause = Math.min(pause * 2, LONGEST_RETRY_MS)) {
      const result: BatchGetCommandOutput = await documents.send(
        new BatchGetCommand({ RequestItems: { [tableName]: { Keys: keys, ...STORED_VIEW } } }),
      );
      for (const item of result.Responses?.[tableName] ?? []) byCase.set(String(item.caseId), toStored(item));
      keys = result.UnprocessedKeys?.[tableName]?.Keys;
      if (keys && keys.length > 0) await sleep(pause);
    }
  }
  return caseIds.flatMap((caseId) => {
    const stored = byCase.get(caseId);
    return stored ? [stored] : [];
  });
}
