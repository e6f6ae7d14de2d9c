import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { findStreamArn, listShards, regionOfArn, type ShardInfo } from './describe-stream.ts';
import { createJsonLinesLogger, describeError, type Logger } from './json-lines-logger.ts';
import { ShardReader, type StreamRecordsHandler } from './shard-reader.ts';
import { Sleeper } from './sleeper.ts';

export type { StreamRecordsHandler } from './shard-reader.ts';

export interface StreamPollerOptions {
  /** Used once, to find the table's stream (`DescribeTable`). */
  readonly client: DynamoDBClient;
  /** Reads the stream; same endpoint and credentials as `client`. */
  readonly streamsClient: DynamoDBStreamsClient;
  readonly tableName: string;
  /** Called with batches of Lambda-shaped records, in order per shard; the projector fits as it is. */
  readonly handler: StreamRecordsHandler;
  /** Most records per `GetRecords` and so per handler call (Lambda's default: 100). */
  readonly batchSize?: number;
  /**
   * How long a caught-up shard waits at most before asking again (default 250 ms, Lambda's four polls a second).
   * A shard that just had records waits only `busyDelayMs` (default 20 ms), doubling with each empty read up
   * to this: prompt while records keep coming, cheap when none do.
   */
  readonly idleDelayMs?: number;
  readonly busyDelayMs?: number;
  /** How often the shard list is read again, to find shards that opened since. */
  readonly discoveryIntervalMs?: number;
  /** First delay before a failed batch is retried; it doubles up to `maxRetryDelayMs`. */
  readonly retryDelayMs?: number;
  readonly maxRetryDelayMs?: number;
  /** Tries of a failing record before it is set aside and logged, like Lambda's bounded retries (default 10). */
  readonly maxAttempts?: number;
  /** Where errors go; JSON Lines on stderr by default. */
  readonly logger?: Logger;
}

export interface StreamPoller {
  /**
   * Resolves once every record written to the table before the call has been delivered and accepted: each
   * shard has been read to its end after the call and the shard list read again. Rejects if the poller stops
   * first. While the handler keeps failing, it does not resolve.
   */
  idle(): Promise<void>;
  /** Ends the loops after the batch in hand (no record is abandoned half-handled) and waits for them. */
  stop(): Promise<void>;
}

function idleDelayOf(options: StreamPollerOptions) {
  const maxMs = options.idleDelayMs ?? 250;
  return { minMs: Math.min(options.busyDelayMs ?? 20, maxMs), maxMs };
}

interface IdleWaiter {
  readonly epoch: number;
  resolve(): void;
  reject(error: Error): void;
}

/**
 * Polls a table's DynamoDB stream through the Streams API and feeds the records to a handler written for the
 * Lambda event source: the same record shape, the same in-order, at-least-once delivery, the same batch item
 * failure protocol. It follows shard lineage (a child is read only after its parent is finished) and looks for
 * new shards as time goes by.
 *
 * @example
 * ```ts
 * const poller = await startStreamPoller({ client, streamsClient, tableName: 'ledger', handler: projector });
 * await poller.idle(); // every event so far is in the views
 * await poller.stop();
 * ```
 */
export async function startStreamPoller(options: StreamPollerOptions): Promise<StreamPoller> {
  const streamArn = await findStreamArn(options.client, options.tableName);
  const logger = options.logger ?? createJsonLinesLogger();
  const sleeper = new Sleeper();
  const shards = new Map<string, ShardInfo>();
  const readers = new Map<string, ShardReader>();
  const running = new Set<Promise<void>>();
  const waiters = new Set<IdleWaiter>();
  let epoch = 0;
  let discoveredThrough = -1;
  let stopped = false;

  const isIdleThrough = (required: number) =>
    discoveredThrough >= required &&
    [...shards.keys()].every((shardId) => {
      const reader = readers.get(shardId);
      return reader !== undefined && (reader.finished || reader.caughtUpThrough >= required);
    });

  const settleWaiters = () => {
    for (const waiter of waiters) {
      if (!isIdleThrough(waiter.epoch)) continue;
      waiters.delete(waiter);
      waiter.resolve();
    }
  };

  const track = (task: Promise<void>) => {
    running.add(task);
    void task.finally(() => running.delete(task));
  };

  // A parent that is no longer listed has been trimmed away: nothing of it is left to read first.
  const isReady = (shard: ShardInfo) => {
    const parent = shard.parentShardId;
    return parent === undefined || !shards.has(parent) || readers.get(parent)?.finished === true;
  };

  const startReadyShards = () => {
    if (stopped) return;
    for (const shard of shards.values()) {
      if (readers.has(shard.shardId) || !isReady(shard)) continue;
      const reader = new ShardReader({
        streams: options.streamsClient,
        streamArn,
        region: regionOfArn(streamArn),
        shardId: shard.shardId,
        handler: options.handler,
        batchSize: options.batchSize ?? 100,
        idleDelay: idleDelayOf(options),
        retry: { initialMs: options.retryDelayMs ?? 500, maxMs: options.maxRetryDelayMs ?? 30_000 },
        maxAttempts: options.maxAttempts ?? 10,
        logger,
        sleeper,
        epoch: () => epoch,
        onProgress: () => {
          // A finished parent lets its children start now rather than at the next discovery.
          if (reader.finished) startReadyShards();
          settleWaiters();
        },
      });
      readers.set(shard.shardId, reader);
      track(
        reader.run().catch((error: unknown) => {
          logger({
            level: 'error',
            message: 'shard reader stopped',
            shardId: shard.shardId,
            error: describeError(error),
          });
        }),
      );
    }
  };

  const discover = async () => {
    while (!stopped) {
      const startedIn = epoch;
      try {
        for (const shard of await listShards(options.streamsClient, streamArn))
          shards.set(shard.shardId, shard);
        startReadyShards();
        discoveredThrough = startedIn;
        settleWaiters();
      } catch (error) {
        logger({
          level: 'error',
          message: 'could not list the stream shards',
          streamArn,
          error: describeError(error),
        });
      }
      // An idle() that arrived during this round needs a round that started after it: go again at once.
      if (epoch === startedIn) await sleeper.sleep(options.discoveryIntervalMs ?? 1_000, true);
    }
  };
  track(discover());

  return {
    idle() {
      if (stopped) return Promise.reject(new Error('the stream poller is stopped'));
      epoch += 1;
      const promise = new Promise<void>((resolve, reject) => waiters.add({ epoch, resolve, reject }));
      // Ask again now instead of at the end of the current poll intervals.
      sleeper.wake();
      return promise;
    },
    async stop() {
      stopped = true;
      for (const reader of readers.values()) reader.stop();
      sleeper.cancelAll();
      for (const waiter of waiters) waiter.reject(new Error('the stream poller stopped before it was idle'));
      waiters.clear();
      while (running.size > 0) await Promise.all(running);
    },
  };
}
