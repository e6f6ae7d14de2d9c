import {
  type _Record,
  type DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  TrimmedDataAccessException,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { describeError, type Logger } from './json-lines-logger.ts';
import type { Sleeper } from './sleeper.ts';
import { toLambdaRecord } from './to-lambda-record.ts';

/**
 * What the poller calls with each batch: the projector's signature. Returning nothing means the whole batch
 * succeeded, as it does for Lambda.
 */
// biome-ignore lint/suspicious/noConfusingVoidType: a handler that returns nothing is a success, as on Lambda.
export type StreamRecordsHandler = (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse | void>;

/** How long to wait before retrying a failed batch: doubles from `initialMs` up to `maxMs`. */
export interface RetryDelays {
  readonly initialMs: number;
  readonly maxMs: number;
}

export interface ShardReaderOptions {
  readonly streams: DynamoDBStreamsClient;
  readonly streamArn: string;
  readonly region: string;
  readonly shardId: string;
  readonly handler: StreamRecordsHandler;
  readonly batchSize: number;
  /** The wait after an empty read: `minMs` after one that followed records, doubling with each empty one to `maxMs`. */
  readonly idleDelay: { readonly minMs: number; readonly maxMs: number };
  readonly retry: RetryDelays;
  /**
   * How many times the record at the head of a failing batch is tried before it is set aside, as Lambda's
   * event source does before it sends a record to the dead-letter queue. Views are rebuilt from the ledger, so
   * setting a record aside loses no data, while retrying forever would freeze every other case of the shard.
   */
  readonly maxAttempts: number;
  readonly logger: Logger;
  readonly sleeper: Sleeper;
  /** The poller's idle epoch, read when a `GetRecords` starts; see `caughtUpThrough`. */
  readonly epoch: () => number;
  /** Called whenever the reader catches up or finishes, so the poller can settle `idle()` waiters. */
  readonly onProgress: () => void;
}

/**
 * The wait after `emptyReads` earlier empty reads in a row (0 for the first after records): `minMs`, doubling
 * each time up to `maxMs`. Never under a millisecond, so a zero setting cannot read a shard in a tight loop,
 * and the power is capped, so a shard quiet for days cannot overflow it.
 */
export function idleDelayAfter(
  emptyReads: number,
  delay: { readonly minMs: number; readonly maxMs: number },
) {
  const maxMs = Math.max(1, delay.maxMs);
  return Math.min(maxMs, Math.max(1, delay.minMs) * 2 ** Math.min(emptyReads, 30));
}

/**
 * Index of the earliest record the handler reported as failed, or `undefined` when all succeeded. An identifier
 * that names no record of the batch fails the whole batch, as Lambda does, rather than risk skipping one.
 */
function earliestFailure(records: readonly DynamoDBRecord[], response: DynamoDBBatchResponse | undefined) {
  const failures = response?.batchItemFailures ?? [];
  if (failures.length === 0) return undefined;
  const indexes = failures.map((failure) =>
    records.findIndex((record) => record.dynamodb?.SequenceNumber === failure.itemIdentifier),
  );
  return indexes.includes(-1) ? 0 : Math.min(...indexes);
}

/**
 * Reads one shard from its trim horizon to its end, handing batches to the handler in order. Failures are
 * retried from the earliest failed record, after a growing delay; a record that fails `maxAttempts` times is
 * set aside with an error log naming it (the local dead-letter queue) and reading goes on — the contract of a
 * Lambda event source mapping with bounded retries and an on-failure destination.
 */
export class ShardReader {
  /** The last sequence number the handler accepted: where to resume when an iterator has to be renewed. */
  #checkpoint: string | undefined;
  #stopped = false;
  /** The highest idle epoch in which this reader found nothing new to read. */
  caughtUpThrough = -1;
  /** True once the shard is closed and every record in it has been delivered. */
  finished = false;

  constructor(private readonly options: ShardReaderOptions) {}

  stop(): void {
    this.#stopped = true;
  }

  /** Runs until the shard is finished or `stop()` is called. */
  async run(): Promise<void> {
    const { options } = this;
    let iterator = await this.#newIterator();
    let emptyReads = 0;
    while (!this.#stopped && iterator !== undefined) {
      const epoch = options.epoch();
      const read = await this.#getRecords(iterator);
      if (read === 'renew') {
        iterator = await this.#newIterator();
        continue;
      }
      if (read === 'retry') continue;
      const delivered = await this.#deliver(read.records);
      if (!delivered) return;
      iterator = read.next;
      if (iterator === undefined) {
        // A closed shard answers without a next iterator once it has nothing more to give.
        this.finished = true;
        options.onProgress();
        return;
      }
      if (read.records.length > 0) {
        emptyReads = 0;
      } else {
        this.caughtUpThrough = epoch;
        options.onProgress();
        const delayMs = idleDelayAfter(emptyReads, options.idleDelay);
        emptyReads += 1;
        // An idle() that arrived during this read needs a read that started after it: go again at once.
        if (options.epoch() === epoch) await options.sleeper.sleep(delayMs, true);
      }
    }
  }

  async #newIterator(): Promise<string | undefined> {
    const { options } = this;
    for (let attempt = 1; !this.#stopped; attempt++) {
      try {
        const { ShardIterator } = await options.streams.send(
          new GetShardIteratorCommand({
            StreamArn: options.streamArn,
            ShardId: options.shardId,
            ...(this.#checkpoint === undefined
              ? { ShardIteratorType: 'TRIM_HORIZON' }
              : { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: this.#checkpoint }),
          }),
        );
        return ShardIterator;
      } catch (error) {
        await this.#backOff('could not get a shard iterator', error, attempt, {});
      }
    }
    return undefined;
  }

  async #getRecords(iterator: string) {
    const { options } = this;
    try {
      const output = await options.streams.send(
        new GetRecordsCommand({ ShardIterator: iterator, Limit: options.batchSize }),
      );
      return { records: output.Records ?? [], next: output.NextShardIterator };
    } catch (error) {
      if (error instanceof ExpiredIteratorException) return 'renew' as const;
      if (error instanceof TrimmedDataAccessException) {
        if (this.#checkpoint === undefined) {
          // Reading from the trim horizon already, nothing delivered yet: nothing can have been missed. DynamoDB
          // Local on disk answers so on a brand-new stream's first records; a fresh iterator reads them.
          options.logger({
            level: 'info',
            message:
              'the shard iterator at the trim horizon was refused as trimmed; reading from a fresh one',
            shardId: options.shardId,
          });
          return 'renew' as const;
        }
        // The records after the checkpoint are older than the stream keeps (24 hours): they are gone, and the
        // only way on is from what is left. Said loudly, because the views may now miss those events.
        options.logger({
          level: 'error',
          message: 'stream records were trimmed before they were delivered; resuming at the trim horizon',
          shardId: options.shardId,
          afterSequenceNumber: this.#checkpoint,
        });
        this.#checkpoint = undefined;
        return 'renew' as const;
      }
      await this.#backOff('GetRecords failed', error, 1, {});
      return 'retry' as const;
    }
  }

  /** Delivers records until the handler has accepted all of them; false when stopped before that. */
  async #deliver(sdkRecords: readonly _Record[]): Promise<boolean> {
    const { options } = this;
    const context = { streamArn: options.streamArn, region: options.region };
    let pending = sdkRecords.map((record) => toLambdaRecord(record, context));
    let attempt = 0;
    while (pending.length > 0) {
      if (this.#stopped) return false;
      let failed: number | undefined;
      let cause: unknown;
      try {
        failed = earliestFailure(pending, (await options.handler({ Records: pending })) ?? undefined);
      } catch (error) {
        failed = 0;
        cause = error;
      }
      const accepted = failed === undefined ? pending : pending.slice(0, failed);
      const last = accepted.at(-1)?.dynamodb?.SequenceNumber;
      if (last !== undefined) this.#checkpoint = last;
      if (failed === undefined) return true;
      // Progress resets the delay: the record now at the head has failed only once.
      attempt = failed > 0 ? 1 : attempt + 1;
      pending = pending.slice(failed);
      if (attempt >= options.maxAttempts) {
        this.#deadLetter(pending[0]!, cause);
        pending = pending.slice(1);
        attempt = 0;
        continue;
      }
      await this.#backOff(
        cause === undefined ? 'stream handler reported a failed record' : 'stream handler threw',
        cause,
        attempt,
        { sequenceNumber: pending[0]?.dynamodb?.SequenceNumber, pendingRecords: pending.length },
      );
    }
    return true;
  }

  #deadLetter(record: DynamoDBRecord, cause: unknown) {
    const sequenceNumber = record.dynamodb?.SequenceNumber;
    if (sequenceNumber !== undefined) this.#checkpoint = sequenceNumber;
    this.options.logger({
      level: 'error',
      message: 'stream record set aside after repeated failures; rebuild its view once the cause is fixed',
      shardId: this.options.shardId,
      sequenceNumber,
      eventName: record.eventName,
      keys: record.dynamodb?.Keys,
      attempts: this.options.maxAttempts,
      ...(cause !== undefined && { error: describeError(cause) }),
    });
  }

  async #backOff(message: string, error: unknown, attempt: number, context: Record<string, unknown>) {
    const { options } = this;
    const delayMs = Math.min(options.retry.maxMs, options.retry.initialMs * 2 ** (attempt - 1));
    options.logger({
      level: 'error',
      message,
      shardId: options.shardId,
      ...context,
      attempt,
      retryInMs: delayMs,
      ...(error !== undefined && { error: describeError(error) }),
    });
    await options.sleeper.sleep(delayMs, false);
  }
}
