import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { isLostRace } from '../store/ledger-writes.ts';
import { LEAVES_PER_PARTITION, logKeys, paddedNumber } from './log-keys.ts';

/**
 * The integrator's state: how far the log has been committed (`size`, `root`), how far its tiles and bundles
 * are written (`tilesSize`, never above `size`), the newest checkpoint published (never above `tilesSize`), and
 * where the backfill stands. `revision` moves with every commit: the compare-and-swap two integrators race on.
 */
export interface LogState {
  readonly size: number;
  /** The root of the tree of `size` leaves; undefined for the empty tree. */
  readonly root: Uint8Array | undefined;
  readonly tilesSize: number;
  readonly revision: number;
  /** The newest published checkpoint (the signed note with its cosignatures) and its size. */
  readonly checkpoint?: { readonly size: number; readonly note: string };
  /** The audit feed's position after the last event the backfill took in. */
  readonly backfillAfter?: string;
}

/** One leaf: the event it stands for, and its entry (the event's hash, hex). */
export interface LogLeaf {
  readonly index: number;
  readonly eventId: string;
  readonly hash: string;
}

/** A published checkpoint as kept: the signed note with every cosignature gathered, and when. */
export interface StoredCheckpoint {
  readonly size: number;
  readonly note: string;
  readonly publishedAt: string;
  /** What each witness answered, for operators: who cosigned, who refused and why. */
  readonly witnesses: ReadonlyArray<{
    readonly witness: string;
    readonly ok: boolean;
    readonly detail: string;
  }>;
}

/** Most keys in one `BatchGetItem`. */
const BATCH_GET_LIMIT = 100;
/** Rounds of unprocessed keys a batch read retries before it gives up. */
const BATCH_GET_ROUNDS = 8;

const EMPTY_STATE: LogState = { size: 0, root: undefined, tilesSize: 0, revision: 0 };

/**
 * The log table (docs/log.md): every read that decides a write is strongly consistent, and every write that
 * could race another integrator's is conditional, so a lost race shows as `false`, never as a second history.
 */
export class LogStore {
  readonly #documents: DynamoDBDocumentClient;
  readonly #tableName: string;

  constructor(options: { readonly documents: DynamoDBDocumentClient; readonly tableName: string }) {
    this.#documents = options.documents;
    this.#tableName = options.tableName;
  }

  async state(): Promise<LogState> {
    const { Item } = await this.#documents.send(
      new GetCommand({ TableName: this.#tableName, Key: logKeys.state, ConsistentRead: true }),
    );
    if (Item === undefined) return EMPTY_STATE;
    return {
      size: Number(Item.size ?? 0),
      root: typeof Item.root === 'string' ? new Uint8Array(Buffer.from(Item.root, 'base64')) : undefined,
      tilesSize: Number(Item.tilesSize ?? 0),
      revision: Number(Item.revision ?? 0),
      ...(typeof Item.checkpoint === 'string' &&
        typeof Item.checkpointSize === 'number' && {
          checkpoint: { size: Item.checkpointSize, note: Item.checkpoint },
        }),
      ...(typeof Item.backfillAfter === 'string' && { backfillAfter: Item.backfillAfter }),
    };
  }

  /** The index of each of these events that the log holds; events it does not hold are absent. */
  async indexesOf(eventIds: readonly string[]): Promise<Map<string, number>> {
    const found = new Map<string, number>();
    const unique = [...new Set(eventIds)];
    for (let start = 0; start < unique.length; start += BATCH_GET_LIMIT) {
      let keys: Record<string, unknown>[] = unique
        .slice(start, start + BATCH_GET_LIMIT)
        .map((eventId) => logKeys.event(eventId));
      for (let round = 0; keys.length > 0; round++) {
        if (round === BATCH_GET_ROUNDS) throw new Error('the log table kept refusing a batch read');
        const answer = await this.#documents.send(
          new BatchGetCommand({
            RequestItems: { [this.#tableName]: { Keys: keys, ConsistentRead: true } },
          }),
        );
        for (const item of answer.Responses?.[this.#tableName] ?? []) {
          found.set(String(item.eventId), Number(item.index));
        }
        keys = answer.UnprocessedKeys?.[this.#tableName]?.Keys ?? [];
      }
    }
    return found;
  }

  async indexOf(eventId: string): Promise<number | undefined> {
    const { Item } = await this.#documents.send(
      new GetCommand({ TableName: this.#tableName, Key: logKeys.event(eventId), ConsistentRead: true }),
    );
    return Item === undefined ? undefined : Number(Item.index);
  }

  /**
   * Moves the state from `previous` to the tree that holds `leaves` after it, with an event item and a leaf
   * item for each, in one transaction. `false` when another writer moved the state first or gave one of these
   * events an index already: nothing is written then.
   */
  async commit(previous: LogState, next: { size: number; root: Uint8Array }, leaves: readonly LogLeaf[]) {
    if (leaves.length === 0 || leaves.length > MAX_LEAVES_PER_COMMIT) {
      throw new RangeError(`a commit takes 1 to ${MAX_LEAVES_PER_COMMIT} leaves, not ${leaves.length}`);
    }
    try {
      await this.#documents.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.#tableName,
                Key: logKeys.state,
                UpdateExpression:
                  'SET #size = :size, #root = :root, #revision = :next, #tilesSize = if_not_exists(#tilesSize, :zero)',
                ConditionExpression:
                  previous.revision === 0 ? 'attribute_not_exists(#revision)' : '#revision = :revision',
                ExpressionAttributeNames: {
                  '#size': 'size',
                  '#root': 'root',
                  '#revision': 'revision',
                  '#tilesSize': 'tilesSize',
                },
                ExpressionAttributeValues: {
                  ':size': next.size,
                  ':root': Buffer.from(next.root).toString('base64'),
                  ':next': previous.revision + 1,
                  ':zero': 0,
                  ...(previous.revision !== 0 && { ':revision': previous.revision }),
                },
              },
            },
            ...leaves.flatMap((leaf) => [
              {
                Put: {
                  TableName: this.#tableName,
                  Item: { ...logKeys.event(leaf.eventId), eventId: leaf.eventId, index: leaf.index },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
              {
                Put: {
                  TableName: this.#tableName,
                  Item: {
                    ...logKeys.leaf(leaf.index),
                    index: leaf.index,
                    eventId: leaf.eventId,
                    hash: leaf.hash,
                  },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
            ]),
          ],
        }),
      );
      return true;
    } catch (error) {
      if (isLostRace(error)) return false;
      throw error;
    }
  }

  /** Records that tiles and bundles are written up to `size`; a no-op when they already are. */
  async moveTilesSize(size: number): Promise<void> {
    await this.#conditionalUpdate({
      UpdateExpression: 'SET #tilesSize = :to',
      ConditionExpression: '#tilesSize < :to AND #size >= :to',
      ExpressionAttributeNames: { '#tilesSize': 'tilesSize', '#size': 'size' },
      ExpressionAttributeValues: { ':to': size },
    });
  }

  /** The leaves `[from, to)` in index order, strongly consistent. */
  async leaves(from: number, to: number): Promise<LogLeaf[]> {
    const leaves: LogLeaf[] = [];
    for (let index = from; index < to; ) {
      const partition = logKeys.leafPartition(index);
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await this.#documents.send(
          new QueryCommand({
            TableName: this.#tableName,
            KeyConditionExpression: 'pk = :pk AND sk BETWEEN :low AND :high',
            ExpressionAttributeValues: {
              ':pk': partition,
              ':low': paddedNumber(index),
              ':high': paddedNumber(to - 1),
            },
            ConsistentRead: true,
            ...(startKey && { ExclusiveStartKey: startKey }),
          }),
        );
        for (const item of page.Items ?? []) {
          leaves.push({ index: Number(item.index), eventId: String(item.eventId), hash: String(item.hash) });
        }
        startKey = page.LastEvaluatedKey;
      } while (startKey);
      index = (Math.floor(index / LEAVES_PER_PARTITION) + 1) * LEAVES_PER_PARTITION;
    }
    leaves.forEach((leaf, position) => {
      if (leaf.index !== from + position) {
        throw new Error(`the log table lacks the leaf at index ${from + position}`);
      }
    });
    if (leaves.length !== Math.max(0, to - from)) {
      throw new Error(`the log table holds ${leaves.length} of the leaves ${from} to ${to - 1}`);
    }
    return leaves;
  }

  /**
   * Keeps a published checkpoint and makes it the state's newest, unless a newer one is there already. The
   * checkpoint item of a size is written once: a second integrator publishing the same size keeps the first.
   */
  async publish(checkpoint: StoredCheckpoint): Promise<void> {
    try {
      await this.#documents.send(
        new PutCommand({
          TableName: this.#tableName,
          Item: { ...logKeys.checkpoint(checkpoint.size), ...checkpoint },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    const kept = await this.checkpoint(checkpoint.size);
    await this.#conditionalUpdate({
      UpdateExpression: 'SET #checkpoint = :note, #checkpointSize = :size',
      ConditionExpression:
        '(attribute_not_exists(#tilesSize) OR #tilesSize >= :size) AND (attribute_not_exists(#checkpointSize) OR #checkpointSize < :size)',
      ExpressionAttributeNames: {
        '#checkpoint': 'checkpoint',
        '#checkpointSize': 'checkpointSize',
        '#tilesSize': 'tilesSize',
      },
      ExpressionAttributeValues: { ':note': kept?.note ?? checkpoint.note, ':size': checkpoint.size },
    });
  }

  async checkpoint(size: number): Promise<StoredCheckpoint | undefined> {
    const { Item } = await this.#documents.send(
      new GetCommand({ TableName: this.#tableName, Key: logKeys.checkpoint(size), ConsistentRead: true }),
    );
    if (Item === undefined) return undefined;
    return {
      size: Number(Item.size),
      note: String(Item.note),
      publishedAt: String(Item.publishedAt),
      witnesses: Array.isArray(Item.witnesses) ? Item.witnesses : [],
    };
  }

  /**
   * The log's identity: a random id set once, the first time anyone asks (with `candidate`), and the same for
   * every caller after. A directory of tiles names the log it belongs to by it.
   */
  async logId(candidate: string): Promise<string> {
    const { Attributes } = await this.#documents.send(
      new UpdateCommand({
        TableName: this.#tableName,
        Key: logKeys.state,
        UpdateExpression: 'SET #logId = if_not_exists(#logId, :candidate)',
        ExpressionAttributeNames: { '#logId': 'logId' },
        ExpressionAttributeValues: { ':candidate': candidate },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return String(Attributes?.logId);
  }

  /** Where the backfill stands: set after each page it took in, so a stopped backfill resumes there. */
  async saveBackfillPosition(after: string): Promise<void> {
    await this.#documents.send(
      new UpdateCommand({
        TableName: this.#tableName,
        Key: logKeys.state,
        UpdateExpression: 'SET #after = :after',
        ExpressionAttributeNames: { '#after': 'backfillAfter' },
        ExpressionAttributeValues: { ':after': after },
      }),
    );
  }

  async #conditionalUpdate(
    update: Pick<
      ConstructorParameters<typeof UpdateCommand>[0],
      'UpdateExpression' | 'ConditionExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'
    >,
  ): Promise<boolean> {
    try {
      await this.#documents.send(
        new UpdateCommand({ TableName: this.#tableName, Key: logKeys.state, ...update }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}

/** A transaction holds at most 100 actions: the state and two items per event. */
export const MAX_LEAVES_PER_COMMIT = 49;
