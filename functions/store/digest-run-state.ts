import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ledgerKeys } from '../tables/ledger-keys.ts';
import { LEDGER_ITEM_KIND } from '../tables/table-definitions.ts';
import type { CaseIndexPosition } from './digest-case-ids.ts';

/** Where a full run stands in one shard of the case index. */
export interface ShardProgress {
  readonly shard: number;
  /** Where the next page of the shard begins; absent before its first page. */
  readonly after?: CaseIndexPosition;
  readonly done: boolean;
}

/**
 * The progress of a full digest run that may take more than one invocation, as saved after each checkpoint:
 * everything up to each shard's position is in the run's first `leafItems` leaf items, and nothing after it.
 * A run is continued only from what a checkpoint saved; what an invocation read after its last checkpoint is
 * read again by the next one, which only costs those reads.
 */
export interface DigestRunState {
  /** Names the run's leaf items (`ledgerKeys.digestLeaves(runId)`) and, once claimed, its digest's `leavesId`. */
  readonly runId: string;
  /** The moment the run takes the heads as of: fixed at its start, however many invocations it takes. */
  readonly at: string;
  readonly shards: readonly ShardProgress[];
  /** Leaf items written so far, numbered 1 … `leafItems`. */
  readonly leafItems: number;
  /** Leaves in those items. */
  readonly leaves: number;
  /** Invocations that have worked on the run, this one included. */
  readonly invocations: number;
  /** Set once the run's digest is claimed: the next invocation starts a new run. */
  readonly finished: boolean;
}

/**
 * The one slot for the digest run under way, in the digests' partition (`ledgerKeys.digestRun`, at number 0,
 * which no digest takes). A run owns the slot while its saves succeed: each save is conditional on the run and
 * the number of leaf items the previous save recorded, so of two invocations continuing one run only one can
 * save a checkpoint, and the other stops; a new run simply takes the slot.
 */
export class DigestRunSlot {
  readonly #documents: DynamoDBDocumentClient;
  readonly #tableName: string;

  constructor(options: { documents: DynamoDBDocumentClient; tableName: string }) {
    this.#documents = options.documents;
    this.#tableName = options.tableName;
  }

  async read(): Promise<DigestRunState | undefined> {
    const { Item } = await this.#documents.send(
      new GetCommand({ TableName: this.#tableName, Key: ledgerKeys.digestRun, ConsistentRead: true }),
    );
    if (!Item) return undefined;
    return {
      runId: String(Item.runId),
      at: String(Item.at),
      shards: (Item.shards as ShardProgress[]) ?? [],
      leafItems: Number(Item.leafItems ?? 0),
      leaves: Number(Item.leaves ?? 0),
      invocations: Number(Item.invocations ?? 1),
      finished: Item.finished === true,
    };
  }

  /** Takes the slot for a new run, whatever was in it. */
  async start(state: DigestRunState): Promise<void> {
    await this.#documents.send(new PutCommand({ TableName: this.#tableName, Item: this.#item(state) }));
  }

  /**
   * Saves `state` over `previous` (the state this invocation last saved or read); `false` when the slot has moved
   * on since — another invocation saved a checkpoint of this run, or started another run — and this one must stop.
   */
  async save(state: DigestRunState, previous: DigestRunState): Promise<boolean> {
    try {
      await this.#documents.send(
        new PutCommand({
          TableName: this.#tableName,
          Item: this.#item(state),
          // Also unfinished: an invocation must not take up again a run whose digest another one has claimed.
          ConditionExpression: 'runId = :r AND leafItems = :n AND invocations = :i AND finished = :no',
          ExpressionAttributeValues: {
            ':r': previous.runId,
            ':n': previous.leafItems,
            ':i': previous.invocations,
            ':no': false,
          },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  #item(state: DigestRunState): Record<string, unknown> {
    return {
      ...ledgerKeys.digestRun,
      itemKind: LEDGER_ITEM_KIND.digest,
      ...state,
      shards: state.shards.map((shard) => ({
        shard: shard.shard,
        done: shard.done,
        ...(shard.after && { after: shard.after }),
      })),
    };
  }
}
