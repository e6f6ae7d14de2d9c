import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandOutput,
} from '@aws-sdk/lib-dynamodb';
import {
  buildDigest,
  type DigestLeaf,
  type LedgerDigest,
  leafText,
  mergeLeaves,
  orderLeaves,
} from '../../domain/ledger-digest.ts';
import { merkleRoot } from '../../domain/merkle.ts';
import { ledgerKeys } from '../tables/ledger-keys.ts';
import { allShards } from '../tables/shards.ts';
import { LEDGER_ITEM_KIND } from '../tables/table-definitions.ts';
import { DigestCaseIds } from './digest-case-ids.ts';
import { DigestHeads } from './digest-heads.ts';
import { DigestRunSlot, type DigestRunState, type ShardProgress } from './digest-run-state.ts';
import type { LedgerStore } from './ledger-store.ts';
import { queryItems } from './query-items.ts';

/**
 * Events recorded in the last moments before a digest is taken are left to the next one: the case index is
 * eventually consistent, so a case opened a moment ago might not be listed yet.
 */
export const DIGEST_SETTLE_MS = 10_000;

/**
 * How far before the previous digest's moment an incremental digest looks for changed cases. An append takes
 * its `recordedAt` before its transaction commits, and the audit index follows a moment later, so an event
 * recorded just before the previous digest's moment may have been invisible to it: its case is read again.
 * Reading a head twice costs one read; missing one would make the digest wrong. A minute covers an append's
 * retries many times over.
 */
export const DIGEST_CHANGE_MARGIN_MS = 60_000;

/**
 * What a resumable run keeps of its invocation's time for the last checkpoint and, when every shard is read,
 * the finish: reading back earlier invocations' leaves, the root over every case, the claim of the number.
 */
export const DIGEST_FINISH_RESERVE_MS = 60_000;

/*
 * Digests live in the ledger table, in partitions no case id can take (`ledgerKeys`). The leaves of a digest
 * live under an id of the run that took them, not under the digest's number: the number is claimed last, by
 * the conditional put of the digest itself, so a run that dies half-way leaves only unreferenced leaves behind,
 * never a number that nobody can take. (Digests taken before this kept their leaves under their number;
 * `leavesId` is absent on those.) A digest names how many leaf items it has (`leafItems`): a run that died may
 * have left an item after its last checkpoint, which a later invocation writes again, but none beyond is read.
 */
/** Leaves per item: well under DynamoDB's 400 KB item limit even with 128-character case ids. */
const LEAVES_PER_ITEM = 1000;
/** Case ids a full run reads from each shard of the case index per round. */
const CASE_PAGE = 250;
/** Changed cases an incremental digest reads per round, between looks at the time left. */
const CHANGED_PER_ROUND = 2000;

export interface DigestStoreOptions {
  readonly documents: DynamoDBDocumentClient;
  readonly ledger: LedgerStore;
  /** How many case heads are read at once. */
  readonly concurrency?: number;
  /** Case ids read per shard and round of a full run (tests make it small to have many rounds). */
  readonly casePage?: number;
  /** Leaves per stored item (tests make it small to have many items). */
  readonly leavesPerItem?: number;
}

/** How far a digest has got, for progress bars. */
export interface DigestProgress {
  /** `full`: every case's head; `incremental`: the previous digest's leaves and the cases changed since. */
  readonly kind: 'full' | 'incremental';
  /** Heads read so far, by this run's earlier invocations too. */
  readonly casesRead: number;
  /** How many heads will be read, when known (an incremental digest knows once it has read the changes). */
  readonly casesToRead?: number;
}

export interface TakeDigestOptions {
  /** The moment to take the heads as of. */
  readonly at: Date;
  /** Read every case's head, whatever the previous digest holds. */
  readonly full?: boolean;
  /** Called as heads are read, for progress bars. */
  readonly onProgress?: (progress: DigestProgress) => void;
}

export interface RunDigestOptions extends TakeDigestOptions {
  /**
   * The time this invocation has left, in milliseconds (Lambda's `context.getRemainingTimeInMillis`), asked
   * before each round of reads: once it is less than `DIGEST_FINISH_RESERVE_MS` and two of the slowest rounds,
   * the run saves its progress and returns `{ done: false }`. Without it, the run goes on until it is done.
   */
  readonly remainingMs?: () => number;
}

export type DigestRunResult =
  | {
      readonly done: true;
      readonly digest: LedgerDigest;
      readonly kind: 'full' | 'incremental';
      /** Heads read for the digest, in every invocation of its run. */
      readonly casesRead: number;
      /** Invocations its run took. */
      readonly invocations: number;
    }
  | {
      readonly done: false;
      readonly runId: string;
      /** The moment the run takes the heads as of; the digest it ends in carries it. */
      readonly at: string;
      /** Leaves saved so far, which the next invocation continues from. */
      readonly leaves: number;
      readonly invocations: number;
      /** Why it stopped: out of time, or another invocation is continuing the run. */
      readonly reason: 'out_of_time' | 'run_taken_over';
    };

/** The stored digest item's references to its leaves, beside the digest itself. */
interface StoredDigest {
  readonly digest: LedgerDigest;
  readonly leavesId: string;
  readonly leafItems?: number;
}

/**
 * Takes and keeps ledger digests in the ledger table itself: appended with conditional puts,
 * never rewritten. The leaves are kept beside each digest so that an inclusion proof needs no recomputation,
 * and so that the next digest needs to read only the heads of the cases changed since (`incremental`).
 *
 * A full digest reads every shard of the case index at once, a page per shard and round, and the heads with
 * bounded concurrency; as a resumable run (`run`, the scheduled function) it saves its progress after each
 * round, and an invocation running out of time returns `{ done: false }` for the next one to continue.
 */
export class DigestStore {
  readonly #documents: DynamoDBDocumentClient;
  readonly #tableName: string;
  readonly #concurrency: number;
  readonly #casePage: number;
  readonly #leavesPerItem: number;
  readonly #caseIds: DigestCaseIds;
  readonly #heads: DigestHeads;
  readonly #slot: DigestRunSlot;

  constructor(options: DigestStoreOptions) {
    this.#documents = options.documents;
    this.#tableName = options.ledger.tableName;
    this.#concurrency = options.concurrency ?? 32;
    this.#casePage = options.casePage ?? CASE_PAGE;
    this.#leavesPerItem = options.leavesPerItem ?? LEAVES_PER_ITEM;
    const table = { documents: this.#documents, tableName: this.#tableName };
    this.#caseIds = new DigestCaseIds(table);
    this.#heads = new DigestHeads({ ...table, ledger: options.ledger });
    this.#slot = new DigestRunSlot(table);
  }

  /**
   * Takes a digest as of `at` and appends it, in one go: incremental after a digest whose leaves are readable,
   * full otherwise or when asked. Two digests taken at once cannot share a sequence number: the digest item is
   * written on condition that its number is free, and the loser takes the next number.
   */
  async take(options: TakeDigestOptions): Promise<LedgerDigest> {
    const previous = options.full ? undefined : await this.#latestStored();
    if (previous) {
      const incremental = await this.#incremental(previous, options, undefined);
      if (incremental !== 'unusable' && incremental.done) return incremental.digest;
    }
    const result = await this.#full(options.at, undefined, options, undefined);
    if (!result.done) throw new Error('a digest run without a time limit stopped before its end');
    return result.digest;
  }

  /**
   * Takes a digest as a resumable run, for an invocation with limited time: continues the run a previous
   * invocation left unfinished (at that run's moment, not `at`), unless a digest at or after its moment has
   * been taken since, which leaves it nothing to add; otherwise starts one as `take` would. Returns
   * `{ done: false }` when it saved its progress for the next invocation.
   */
  async run(options: RunDigestOptions): Promise<DigestRunResult> {
    const [saved, previous] = await Promise.all([this.#slot.read(), this.#latestStored()]);
    if (saved && isUnderWay(saved, previous)) return this.#continue(saved, options);
    if (previous && !options.full) {
      const incremental = await this.#incremental(previous, options, options.remainingMs);
      if (incremental !== 'unusable') {
        if (incremental.done) return incremental;
        // Too many changes for one invocation: a full run at the same moment, which can take several.
        const state = newRun(options.at.toISOString());
        await this.#slot.start(state);
        return stopped(state, 'out_of_time');
      }
    }
    const state = newRun(options.at.toISOString());
    await this.#slot.start(state);
    return this.#full(options.at, state, options, options.remainingMs);
  }

  /**
   * Continues the run under way, if there is one (`run`'s first case), and does nothing else: what a schedule
   * that only finishes runs calls, so that a run needing several invocations need not wait for the next digest.
   */
  async continueRun(options: Omit<RunDigestOptions, 'at' | 'full'>): Promise<DigestRunResult | undefined> {
    const [saved, previous] = await Promise.all([this.#slot.read(), this.#latestStored()]);
    return saved && isUnderWay(saved, previous) ? this.#continue(saved, options) : undefined;
  }

  async #continue(saved: DigestRunState, options: Omit<RunDigestOptions, 'at'>): Promise<DigestRunResult> {
    const continued = { ...saved, invocations: saved.invocations + 1 };
    if (!(await this.#slot.save(continued, saved))) return stopped(saved, 'run_taken_over');
    return this.#full(new Date(saved.at), continued, options, options.remainingMs);
  }

  /** The newest digest, or `undefined` before the first. */
  async latest(): Promise<LedgerDigest | undefined> {
    return (await this.#latestStored())?.digest;
  }

  async get(sequence: number): Promise<LedgerDigest | undefined> {
    return (await this.#stored(sequence))?.digest;
  }

  /** The leaves a digest was built over, in the tree's order; none when there is no such digest. */
  async leaves(sequence: number): Promise<DigestLeaf[]> {
    const stored = await this.#stored(sequence);
    return stored ? this.#leavesOf(stored) : [];
  }

  /**
   * A digest from the previous one's leaves and the heads of the cases with events recorded since its moment
   * (less `DIGEST_CHANGE_MARGIN_MS`). `unusable` when the previous leaves do not rebuild its root (an old or
   * damaged digest) or it lies after `at`; `{ done: false }` when the time ran out before the heads were read.
   */
  async #incremental(
    previous: StoredDigest,
    options: TakeDigestOptions,
    remainingMs: (() => number) | undefined,
  ): Promise<DigestRunResult | 'unusable'> {
    const { at } = options;
    const since = Date.parse(previous.digest.at);
    if (!(since <= at.getTime())) return 'unusable';
    const before = await this.#leavesOf(previous);
    // Leaves that do not give the root they were claimed under would carry a wrong head into every later digest.
    if (
      before.length !== previous.digest.cases ||
      merkleRoot(before.map(leafText)) !== previous.digest.root
    ) {
      return 'unusable';
    }
    const changed = await this.#caseIds.recordedBetween(new Date(since - DIGEST_CHANGE_MARGIN_MS), at);
    const heads: DigestLeaf[] = [];
    let read = 0;
    const report = () =>
      options.onProgress?.({ kind: 'incremental', casesRead: read, casesToRead: changed.length });
    report();
    let slowest = 0;
    for (let start = 0; start < changed.length; start += CHANGED_PER_ROUND) {
      if (remainingMs && remainingMs() < DIGEST_FINISH_RESERVE_MS + 2 * slowest) {
        return {
          done: false,
          runId: '',
          at: at.toISOString(),
          leaves: 0,
          invocations: 1,
          reason: 'out_of_time',
        };
      }
      const began = Date.now();
      const round = await this.#heads.of(changed.slice(start, start + CHANGED_PER_ROUND), at, {
        concurrency: this.#concurrency,
        onRead: (count) => {
          read += count;
          report();
        },
      });
      heads.push(...round);
      slowest = Math.max(slowest, Date.now() - began);
    }
    const leaves = mergeLeaves(before, heads);
    const runId = randomUUID();
    const leafItems = await this.#writeLeafItems(runId, 0, leaves);
    const digest = await this.#claim(leaves, at, runId, leafItems);
    return { done: true, digest, kind: 'incremental', casesRead: changed.length, invocations: 1 };
  }

  /**
   * A digest over every case's head: each round reads a page of every unfinished shard of the case index at
   * once, then their heads, and writes the new leaves. With `state` (a resumable run) it saves the shards'
   * positions after each round's leaves are written, and stops when `remainingMs` says time is short.
   */
  async #full(
    at: Date,
    state: DigestRunState | undefined,
    options: Pick<TakeDigestOptions, 'onProgress'>,
    remainingMs: (() => number) | undefined,
  ): Promise<DigestRunResult> {
    const runId = state?.runId ?? randomUUID();
    const writtenBefore = state?.leafItems ?? 0;
    let shards: ShardProgress[] = state ? [...state.shards] : freshShards();
    let leafItems = writtenBefore;
    let savedLeaves = state?.leaves ?? 0;
    let saved = state;
    // This invocation's leaves: all of them kept for the root, those not yet in an item also in `unwritten`.
    const mine: DigestLeaf[] = [];
    let unwritten: DigestLeaf[] = [];
    let read = savedLeaves;
    const report = () => options.onProgress?.({ kind: 'full', casesRead: read });
    report();

    /** Writes the leaves not yet written, then (in a resumable run) the positions they end at. */
    const checkpoint = async (): Promise<boolean> => {
      leafItems = await this.#writeLeafItems(runId, leafItems, unwritten);
      savedLeaves += unwritten.length;
      unwritten = [];
      if (!saved) return true;
      const next: DigestRunState = { ...saved, shards, leafItems, leaves: savedLeaves };
      if (!(await this.#slot.save(next, saved))) return false;
      saved = next;
      return true;
    };

    let slowest = 0;
    while (shards.some((shard) => !shard.done)) {
      if (state && remainingMs && remainingMs() < DIGEST_FINISH_RESERVE_MS + 2 * slowest) {
        const kept = await checkpoint();
        return stopped(saved!, kept ? 'out_of_time' : 'run_taken_over');
      }
      const began = Date.now();
      const open = shards.filter((shard) => !shard.done);
      const pages = await Promise.all(
        open.map((shard) => this.#caseIds.page(shard.shard, shard.after, this.#casePage)),
      );
      const heads = await this.#heads.of(
        pages.flatMap((page) => page.caseIds),
        at,
        {
          concurrency: this.#concurrency,
          onRead: (count) => {
            read += count;
            report();
          },
        },
      );
      mine.push(...heads);
      unwritten.push(...heads);
      const moved = new Map(open.map((shard, index) => [shard.shard, pages[index]!]));
      shards = shards.map((shard) => {
        const page = moved.get(shard.shard);
        if (!page) return shard;
        return page.next
          ? { shard: shard.shard, after: page.next, done: false }
          : { shard: shard.shard, done: true };
      });
      if (unwritten.length >= this.#leavesPerItem && !(await checkpoint())) {
        return stopped(saved!, 'run_taken_over');
      }
      slowest = Math.max(slowest, Date.now() - began);
    }
    if (!(await checkpoint())) return stopped(saved!, 'run_taken_over');

    const earlier = writtenBefore > 0 ? await this.#readLeafItems(runId, writtenBefore) : [];
    const leaves = orderLeaves([...earlier, ...mine]);
    const digest = await this.#claim(leaves, at, runId, leafItems);
    if (saved) await this.#slot.save({ ...saved, finished: true }, saved);
    return { done: true, digest, kind: 'full', casesRead: read, invocations: saved?.invocations ?? 1 };
  }

  /**
   * Appends the digest over `leaves`, numbered after the newest digest and chained to it. The conditional put
   * is the claim of the number: when another run took it a moment ago, this one chains onto that digest.
   */
  async #claim(
    leaves: readonly DigestLeaf[],
    at: Date,
    leavesId: string,
    leafItems: number,
  ): Promise<LedgerDigest> {
    for (;;) {
      const stored = await this.#latestStored();
      // Two invocations of one run that both got this far: the run's digest is the one already claimed.
      if (stored?.leavesId === leavesId) return stored.digest;
      const previous = stored?.digest;
      const digest = buildDigest(leaves, {
        sequence: (previous?.sequence ?? 0) + 1,
        at: at.toISOString(),
        ...(previous && { previous }),
      });
      try {
        await this.#documents.send(
          new PutCommand({
            TableName: this.#tableName,
            Item: {
              ...ledgerKeys.digest(digest.sequence),
              itemKind: LEDGER_ITEM_KIND.digest,
              ...digest,
              leavesId,
              leafItems,
            },
            ConditionExpression: 'attribute_not_exists(streamId)',
          }),
        );
        return digest;
      } catch (error) {
        // Another run took this number a moment ago: chain onto its digest with the next one.
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    }
  }

  /**
   * Writes `leaves` in items after the run's first `after` items, at once; returns the number of items then.
   * Unconditional puts: an item at that number can only be one a dead invocation wrote after its last
   * checkpoint, which no digest and no saved state refers to. An empty tree still gets one (empty) item.
   */
  async #writeLeafItems(runId: string, after: number, leaves: readonly DigestLeaf[]): Promise<number> {
    const chunks = chunk(leaves, this.#leavesPerItem);
    if (chunks.length === 0 && after === 0) chunks.push([]);
    await Promise.all(
      chunks.map((leavesOfItem, index) =>
        this.#documents.send(
          new PutCommand({
            TableName: this.#tableName,
            Item: {
              streamId: ledgerKeys.digestLeaves(runId),
              version: after + index + 1,
              itemKind: LEDGER_ITEM_KIND.digestLeaves,
              leaves: leavesOfItem,
            },
          }),
        ),
      ),
    );
    return after + chunks.length;
  }

  /** The leaves in items 1 … `items` of a run (every item when `items` is absent), in the order stored. */
  async #readLeafItems(leavesId: string, items: number | undefined): Promise<DigestLeaf[]> {
    const leaves: DigestLeaf[] = [];
    for await (const item of queryItems(this.#documents, {
      TableName: this.#tableName,
      KeyConditionExpression:
        items === undefined ? 'streamId = :p' : 'streamId = :p AND version BETWEEN :first AND :last',
      ExpressionAttributeValues: {
        ':p': ledgerKeys.digestLeaves(leavesId),
        ...(items !== undefined && { ':first': 1, ':last': items }),
      },
      ConsistentRead: true,
    })) {
      leaves.push(...(item.leaves as DigestLeaf[]));
    }
    return leaves;
  }

  /** A digest's leaves in the tree's order (a full run stores them shard by shard, each shard in order). */
  async #leavesOf(stored: StoredDigest): Promise<DigestLeaf[]> {
    return orderLeaves(await this.#readLeafItems(stored.leavesId, stored.leafItems));
  }

  async #latestStored(): Promise<StoredDigest | undefined> {
    const result: QueryCommandOutput = await this.#documents.send(
      new QueryCommand({
        TableName: this.#tableName,
        // Number 0 is the slot of the run under way, not a digest.
        KeyConditionExpression: 'streamId = :d AND version > :run',
        ExpressionAttributeValues: { ':d': ledgerKeys.digests, ':run': ledgerKeys.digestRun.version },
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    const item = result.Items?.[0];
    return item ? toStored(item) : undefined;
  }

  async #stored(sequence: number): Promise<StoredDigest | undefined> {
    if (!(sequence > ledgerKeys.digestRun.version)) return undefined;
    const { Item } = await this.#documents.send(
      new GetCommand({
        TableName: this.#tableName,
        Key: ledgerKeys.digest(sequence),
        ConsistentRead: true,
      }),
    );
    return Item ? toStored(Item) : undefined;
  }
}

/** A saved run is under way until its digest is claimed, or a digest at or after its moment makes it moot. */
function isUnderWay(saved: DigestRunState, previous: StoredDigest | undefined): boolean {
  return !saved.finished && !(previous && previous.digest.at >= saved.at);
}

function newRun(at: string): DigestRunState {
  return {
    runId: randomUUID(),
    at,
    shards: freshShards(),
    leafItems: 0,
    leaves: 0,
    invocations: 1,
    finished: false,
  };
}

function freshShards(): ShardProgress[] {
  return allShards().map((shard) => ({ shard, done: false }));
}

function stopped(state: DigestRunState, reason: 'out_of_time' | 'run_taken_over'): DigestRunResult {
  return {
    done: false,
    runId: state.runId,
    at: state.at,
    leaves: state.leaves,
    invocations: state.invocations,
    reason,
  };
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}

function toStored(item: Record<string, unknown>): StoredDigest {
  return {
    digest: {
      sequence: Number(item.sequence),
      at: String(item.at),
      cases: Number(item.cases),
      events: Number(item.events),
      root: String(item.root),
      prevDigestHash: String(item.prevDigestHash),
      hash: String(item.hash),
    },
    leavesId: String(item.leavesId ?? item.sequence),
    ...(item.leafItems !== undefined && { leafItems: Number(item.leafItems) }),
  };
}
