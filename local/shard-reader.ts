import {
  type DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  TrimmedDataAccessException,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { afterHandlerAnswer, type DeliveryPolicy, earliestFailure, startDelivery } from './batch-delivery.ts';
import type { LogEntry, Logger } from './json-lines-logger.ts';
import {
  initialShardState,
  nextShardState,
  type ShardEvent,
  type ShardState,
  type ShardTimings,
} from './shard-lifecycle.ts';
import type { ShardProgress } from './shard-lineage.ts';
import type { Sleeper } from './sleeper.ts';
import { toLambdaRecord } from './to-lambda-record.ts';

/**
 * What the poller calls with each batch: the projector's signature. Returning nothing means the whole batch
 * succeeded, as it does for Lambda.
 */
// biome-ignore lint/suspicious/noConfusingVoidType: a handler that returns nothing is a success, as on Lambda.
export type StreamRecordsHandler = (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse | void>;

export interface ShardReaderOptions extends ShardTimings, DeliveryPolicy {
  readonly streams: DynamoDBStreamsClient;
  readonly streamArn: string;
  readonly region: string;
  readonly shardId: string;
  readonly handler: StreamRecordsHandler;
  readonly batchSize: number;
  readonly logger: Logger;
  readonly sleeper: Sleeper;
  /** The poller's idle epoch, read when a `GetRecords` starts; see `caughtUpThrough`. */
  readonly epoch: () => number;
  /** Called whenever the reader catches up or finishes, so the poller can settle `idle()` waiters. */
  readonly onProgress: () => void;
}

/**
 * Reads one shard from its trim horizon to its end, handing batches to the handler in order, at least once.
 * It runs the lifecycle of `shard-lifecycle.ts`: each state names one action (ask for an iterator, read,
 * deliver, wait), the reader performs it, and the outcome decides the next state there, not here.
 */
export class ShardReader implements ShardProgress {
  #stopped = false;
  #caughtUpThrough = -1;
  #finished = false;

  constructor(private readonly options: ShardReaderOptions) {}

  get caughtUpThrough(): number {
    return this.#caughtUpThrough;
  }

  get finished(): boolean {
    return this.#finished;
  }

  /** Ends the reader after the call in hand; a batch being delivered is not handed over again. */
  stop(): void {
    this.#stopped = true;
  }

  /** Runs until the shard is finished or `stop()` is called. */
  async run(): Promise<void> {
    let state = initialShardState;
    while (state.phase !== 'finished' && state.phase !== 'stopped') {
      const event: ShardEvent = this.#stopped ? { type: 'stop' } : await this.#act(state);
      const step = nextShardState(state, event, this.options);
      if (step.log) this.#log(step.log);
      state = step.state;
      this.#report(state);
    }
  }

  /** Performs what `state` asks for and says how it went. */
  async #act(state: ShardState): Promise<ShardEvent> {
    switch (state.phase) {
      case 'acquiring':
        return this.#acquire(state.checkpoint);
      case 'reading':
        return this.#read(state.iterator);
      case 'delivering':
        return this.#deliver(state.records.map((record) => toLambdaRecord(record, this.options)));
      case 'caught-up':
        // An idle() that arrived during the read needs a read that started after it: go again at once.
        if (this.options.epoch() === state.epoch) await this.options.sleeper.sleep(state.delayMs, true);
        return { type: 'waited' };
      case 'backing-off':
        await this.options.sleeper.sleep(state.delayMs, false);
        return { type: 'waited' };
      default:
        return { type: 'stop' };
    }
  }

  /** Tells the poller what it waits on: a shard read to its current end, or one read to its close. */
  #report(state: ShardState) {
    if (state.phase === 'caught-up') this.#caughtUpThrough = state.epoch;
    else if (state.phase === 'finished') this.#finished = true;
    else return;
    this.options.onProgress();
  }

  async #acquire(checkpoint: string | undefined): Promise<ShardEvent> {
    const { options } = this;
    try {
      const { ShardIterator } = await options.streams.send(
        new GetShardIteratorCommand({
          StreamArn: options.streamArn,
          ShardId: options.shardId,
          ...(checkpoint === undefined
            ? { ShardIteratorType: 'TRIM_HORIZON' }
            : { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: checkpoint }),
        }),
      );
      return { type: 'iterator-granted', iterator: ShardIterator };
    } catch (error) {
      return { type: 'iterator-refused', error };
    }
  }

  async #read(iterator: string): Promise<ShardEvent> {
    const epoch = this.options.epoch();
    try {
      const output = await this.options.streams.send(
        new GetRecordsCommand({ ShardIterator: iterator, Limit: this.options.batchSize }),
      );
      return { type: 'records-read', records: output.Records ?? [], next: output.NextShardIterator, epoch };
    } catch (error) {
      if (error instanceof ExpiredIteratorException) return { type: 'iterator-expired' };
      if (error instanceof TrimmedDataAccessException) return { type: 'trimmed' };
      return { type: 'read-failed', error };
    }
  }

  /** Hands `records` over until the handler has accepted (or set aside) all of them, unless stopped first. */
  async #deliver(records: readonly DynamoDBRecord[]): Promise<ShardEvent> {
    let delivery = startDelivery(records);
    while (delivery.pending.length > 0) {
      if (this.#stopped) return { type: 'stop' };
      const step = afterHandlerAnswer(delivery, await this.#ask(delivery.pending), this.options);
      if (step.log) this.#log(step.log);
      delivery = step.delivery;
      // A stop() during the handler call has already cut every sleep short; this one must not outlast it.
      if (step.delayMs !== undefined && !this.#stopped) await this.options.sleeper.sleep(step.delayMs, false);
    }
    return { type: 'delivered', checkpoint: delivery.checkpoint };
  }

  async #ask(pending: readonly DynamoDBRecord[]) {
    try {
      return {
        failed: earliestFailure(
          pending,
          (await this.options.handler({ Records: [...pending] })) ?? undefined,
        ),
      };
    } catch (cause) {
      return { failed: 0, cause };
    }
  }

  #log(entry: LogEntry) {
    this.options.logger({ ...entry, shardId: this.options.shardId });
  }
}
