import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandOutput,
} from '@aws-sdk/lib-dynamodb';
import { buildDigest, type DigestLeaf, type LedgerDigest, orderLeaves } from '../../domain/ledger-digest.ts';
import { ledgerKeys } from '../tables/ledger-keys.ts';
import { LEDGER_ITEM_KIND } from '../tables/table-definitions.ts';
import type { LedgerStore } from './ledger-store.ts';
import { queryItems } from './query-items.ts';

/**
 * Events recorded in the last moments before a digest is taken are left to the next one: the case index is
 * eventually consistent, so a case opened a moment ago might not be listed yet.
 */
export const DIGEST_SETTLE_MS = 10_000;

/*
 * Digests live in the ledger table, in partitions no case id can take (`ledgerKeys`). The leaves of a digest
 * live under an id of the run that took them, not under the digest's number: the number is claimed last, by
 * the conditional put of the digest itself, so a run that dies half-way leaves only unreferenced leaves behind,
 * never a number that nobody can take. (Digests taken before this kept their leaves under their number;
 * `leavesId` is absent on those.)
 */
/** Leaves per item: well under DynamoDB's 400 KB item limit even with 128-character case ids. */
const LEAVES_PER_ITEM = 1000;

export interface DigestStoreOptions {
  readonly documents: DynamoDBDocumentClient;
  readonly ledger: LedgerStore;
  /** How many case heads are read at once. */
  readonly concurrency?: number;
}

export interface TakeDigestOptions {
  /** The moment to take the heads as of. */
  readonly at: Date;
  /** Called as heads are read, for progress bars. */
  readonly onProgress?: (casesRead: number) => void;
}

/**
 * Takes and keeps ledger digests in the ledger table itself: appended with conditional puts,
 * never rewritten. The leaves are kept beside each digest so that an inclusion proof needs no recomputation.
 */
export class DigestStore {
  readonly #documents: DynamoDBDocumentClient;
  readonly #ledger: LedgerStore;
  readonly #tableName: string;
  readonly #concurrency: number;

  constructor(options: DigestStoreOptions) {
    this.#documents = options.documents;
    this.#ledger = options.ledger;
    this.#tableName = options.ledger.tableName;
    this.#concurrency = options.concurrency ?? 16;
  }

  /** The heads of every case as the ledger stood at `at`; cases opened after `at` are not among them. */
  async headsAt(at: Date, onProgress?: (casesRead: number) => void): Promise<DigestLeaf[]> {
    const leaves: DigestLeaf[] = [];
    let batch: string[] = [];
    let read = 0;
    const flush = async () => {
      const heads = await Promise.all(batch.map((caseId) => this.#ledger.headAt(caseId, at)));
      heads.forEach((head, index) => {
        if (head) leaves.push({ caseId: batch[index]!, version: head.version, hash: head.hash });
      });
      read += batch.length;
      onProgress?.(read);
      batch = [];
    };
    for await (const caseId of this.#ledger.caseIds()) {
      batch.push(caseId);
      if (batch.length >= this.#concurrency) await flush();
    }
    await flush();
    return leaves;
  }

  /**
   * Takes a digest as of `at` and appends it. Two digests taken at once cannot share a sequence number: the
   * digest item is written on condition that its number is free, and the loser takes the next number.
   */
  async take(options: TakeDigestOptions): Promise<LedgerDigest> {
    const leaves = await this.headsAt(options.at, options.onProgress);
    const leavesId = randomUUID();
    const chunks = chunk(orderLeaves(leaves), LEAVES_PER_ITEM);
    for (const [index, leavesOfItem] of (chunks.length > 0 ? chunks : [[]]).entries()) {
      await this.#put({
        streamId: ledgerKeys.digestLeaves(leavesId),
        version: index + 1,
        itemKind: LEDGER_ITEM_KIND.digestLeaves,
        leaves: leavesOfItem,
      });
    }
    for (;;) {
      const previous = await this.latest();
      const digest = buildDigest(leaves, {
        sequence: (previous?.sequence ?? 0) + 1,
        at: options.at.toISOString(),
        ...(previous && { previous }),
      });
      try {
        await this.#put({
          ...ledgerKeys.digest(digest.sequence),
          itemKind: LEDGER_ITEM_KIND.digest,
          ...digest,
          leavesId,
          leafItems: Math.max(chunks.length, 1),
        });
        return digest;
      } catch (error) {
        // Another run took this number a moment ago: chain onto its digest with the next one.
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    }
  }

  /** The newest digest, or `undefined` before the first. */
  async latest(): Promise<LedgerDigest | undefined> {
    const result: QueryCommandOutput = await this.#documents.send(
      new QueryCommand({
        TableName: this.#tableName,
        KeyConditionExpression: 'streamId = :d',
        ExpressionAttributeValues: { ':d': ledgerKeys.digests },
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    const item = result.Items?.[0];
    return item ? toDigest(item) : undefined;
  }

  async get(sequence: number): Promise<LedgerDigest | undefined> {
    const { Item } = await this.#documents.send(
      new GetCommand({
        TableName: this.#tableName,
        Key: ledgerKeys.digest(sequence),
        ConsistentRead: true,
      }),
    );
    return Item ? toDigest(Item) : undefined;
  }

  /** The leaves a digest was built over, in the tree's order; none when there is no such digest. */
  async leaves(sequence: number): Promise<DigestLeaf[]> {
    const { Item } = await this.#documents.send(
      new GetCommand({
        TableName: this.#tableName,
        Key: ledgerKeys.digest(sequence),
        ProjectionExpression: 'leavesId',
        ConsistentRead: true,
      }),
    );
    if (!Item) return [];
    const leaves: DigestLeaf[] = [];
    for await (const item of queryItems(this.#documents, {
      TableName: this.#tableName,
      KeyConditionExpression: 'streamId = :p',
      ExpressionAttributeValues: { ':p': ledgerKeys.digestLeaves(String(Item.leavesId ?? sequence)) },
      ConsistentRead: true,
    })) {
      leaves.push(...(item.leaves as DigestLeaf[]));
    }
    return leaves;
  }

  async #put(item: Record<string, unknown>): Promise<void> {
    await this.#documents.send(
      new PutCommand({
        TableName: this.#tableName,
        Item: item,
        ConditionExpression: 'attribute_not_exists(streamId)',
      }),
    );
  }
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}

function toDigest(item: Record<string, unknown>): LedgerDigest {
  return {
    sequence: Number(item.sequence),
    at: String(item.at),
    cases: Number(item.cases),
    events: Number(item.events),
    root: String(item.root),
    prevDigestHash: String(item.prevDigestHash),
    hash: String(item.hash),
  };
}
