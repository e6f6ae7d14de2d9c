import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { DigestLeaf } from '../../domain/ledger-digest.ts';
import { ledgerKeys } from '../tables/ledger-keys.ts';
import type { LedgerStore } from './ledger-store.ts';

/**
 * The heads a digest commits to, read `concurrency` at a time by a pool of workers: each takes the next case as
 * soon as its last read returns, so one slow read holds up one worker, not a whole batch.
 *
 * A head is read as one strongly consistent `Query` of the newest item alone, with its `recordedAt`: a digest is
 * taken as of ten seconds ago, so that item was nearly always recorded by then and is the head. Only when it was
 * not does the read fall back to `LedgerStore.headAt`, which filters by recording time. One item read per case,
 * where a filtered query reads up to a page of them.
 */
export class DigestHeads {
  readonly #documents: DynamoDBDocumentClient;
  readonly #tableName: string;
  readonly #ledger: Pick<LedgerStore, 'headAt'>;

  constructor(options: {
    documents: DynamoDBDocumentClient;
    tableName: string;
    ledger: Pick<LedgerStore, 'headAt'>;
  }) {
    this.#documents = options.documents;
    this.#tableName = options.tableName;
    this.#ledger = options.ledger;
  }

  /** The leaves of `caseIds` as of `at`; cases with no event recorded by then give none. Order: unspecified. */
  async of(
    caseIds: readonly string[],
    at: Date,
    options: { readonly concurrency: number; readonly onRead?: (read: number) => void },
  ): Promise<DigestLeaf[]> {
    const leaves: DigestLeaf[] = [];
    let next = 0;
    const worker = async () => {
      while (next < caseIds.length) {
        const caseId = caseIds[next++]!;
        const leaf = await this.#headAt(caseId, at);
        if (leaf) leaves.push(leaf);
        options.onRead?.(1);
      }
    };
    await Promise.all(Array.from({ length: Math.min(options.concurrency, caseIds.length) }, worker));
    return leaves;
  }

  async #headAt(caseId: string, at: Date): Promise<DigestLeaf | undefined> {
    const { Items = [] } = await this.#documents.send(
      new QueryCommand({
        TableName: this.#tableName,
        KeyConditionExpression: 'streamId = :s',
        ExpressionAttributeValues: { ':s': ledgerKeys.stream(caseId) },
        ProjectionExpression: 'version, #h, recordedAt',
        ExpressionAttributeNames: { '#h': 'hash' },
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    const newest = Items[0];
    if (newest === undefined) return undefined;
    if (String(newest.recordedAt) <= at.toISOString()) {
      return { caseId, version: Number(newest.version), hash: String(newest.hash) };
    }
    const head = await this.#ledger.headAt(caseId, at);
    return head && { caseId, version: head.version, hash: head.hash };
  }
}
