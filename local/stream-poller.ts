import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { findStreamArn, listShards, regionOfArn, type ShardInfo } from './describe-stream.ts';
import { IdleWaiters } from './idle-waiters.ts';
import { createJsonLinesLogger, describeError, type Logger } from './json-lines-logger.ts';
import { isIdleThrough, shardsReadyToStart } from './shard-lineage.ts';
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
  return new RunningPoller(options, streamArn);
}

/**
 * A poller's life: running from construction — a discovery loop lists the shards every
 * `discoveryIntervalMs` and starts a `ShardReader` for each shard whose lineage allows it — until `stop()`,
 * after which nothing starts, every sleep is cut short, pending `idle()` calls reject and the loops are
 * awaited. A reader that finishes its shard starts its children at once, without waiting for a discovery.
 */
class RunningPoller implements StreamPoller {
  readonly #logger: Logger;
  readonly #sleeper = new Sleeper();
  readonly #waiters = new IdleWaiters();
  readonly #shards = new Map<string, ShardInfo>();
  readonly #readers = new Map<string, ShardReader>();
  readonly #running = new Set<Promise<void>>();
  /** The latest idle epoch in which a shard listing started and was taken in. */
  #discoveredThrough = -1;
  #stopped = false;

  constructor(
    private readonly options: StreamPollerOptions,
    private readonly streamArn: string,
  ) {
    this.#logger = options.logger ?? createJsonLinesLogger();
    this.#track(this.#discover());
  }

  idle(): Promise<void> {
    if (this.#stopped) return Promise.reject(new Error('the stream poller is stopped'));
    const idle = this.#waiters.wait();
    // Ask again now instead of at the end of the current poll intervals.
    this.#sleeper.wake();
    return idle;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    for (const reader of this.#readers.values()) reader.stop();
    this.#sleeper.cancelAll();
    this.#waiters.rejectAll('the stream poller stopped before it was idle');
    while (this.#running.size > 0) await Promise.all(this.#running);
  }

  async #discover() {
    while (!this.#stopped) {
      const startedIn = this.#waiters.epoch;
      await this.#discoverOnce(startedIn);
      // An idle() that arrived during this round needs a round that started after it: go again at once.
      // A stop() during the round has already cut every sleep short; this one must not outlast it.
      if (!this.#stopped && this.#waiters.epoch === startedIn) {
        await this.#sleeper.sleep(this.options.discoveryIntervalMs ?? 1_000, true);
      }
    }
  }

  async #discoverOnce(startedIn: number) {
    try {
      for (const shard of await listShards(this.options.streamsClient, this.streamArn)) {
        this.#shards.set(shard.shardId, shard);
      }
      this.#startReadyShards();
      this.#discoveredThrough = startedIn;
      this.#settleWaiters();
    } catch (error) {
      this.#logger({
        level: 'error',
        message: 'could not list the stream shards',
        streamArn: this.streamArn,
        error: describeError(error),
      });
    }
  }

  #startReadyShards() {
    if (this.#stopped) return;
    for (const shard of shardsReadyToStart(this.#shards, this.#readers)) this.#startReader(shard);
  }

  #startReader(shard: ShardInfo) {
    const { options } = this;
    const reader: ShardReader = new ShardReader({
      streams: options.streamsClient,
      streamArn: this.streamArn,
      region: regionOfArn(this.streamArn),
      shardId: shard.shardId,
      handler: options.handler,
      batchSize: options.batchSize ?? 100,
      idleDelay: idleDelayOf(options),
      retry: { initialMs: options.retryDelayMs ?? 500, maxMs: options.maxRetryDelayMs ?? 30_000 },
      maxAttempts: options.maxAttempts ?? 10,
      logger: this.#logger,
      sleeper: this.#sleeper,
      epoch: () => this.#waiters.epoch,
      onProgress: () => {
        // A finished parent lets its children start now rather than at the next discovery.
        if (reader.finished) this.#startReadyShards();
        this.#settleWaiters();
      },
    });
    this.#readers.set(shard.shardId, reader);
    const run = reader.run().catch((error: unknown) => {
      this.#logger({
        level: 'error',
        message: 'shard reader stopped',
        shardId: shard.shardId,
        error: describeError(error),
      });
    });
    this.#track(run);
  }

  #settleWaiters() {
    this.#waiters.settle((epoch) =>
      isIdleThrough(epoch, this.#discoveredThrough, this.#shards, this.#readers),
    );
  }

  #track(task: Promise<void>) {
    this.#running.add(task);
    void task.finally(() => this.#running.delete(task));
  }
}
