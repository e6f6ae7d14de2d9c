import type { DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';
import { describeError, type LogEntry } from './json-lines-logger.ts';
import { backOffEntry, type RetryDelays, retryDelayAfter } from './shard-lifecycle.ts';

/**
 * Handing one batch to the handler until all of it is accepted, as pure steps: the contract of a Lambda event
 * source mapping with bounded retries and an on-failure destination. Failures are retried from the earliest
 * failed record, after a growing delay; a record that fails `maxAttempts` times is set aside with an error log
 * naming it (the local dead-letter queue) and delivery goes on with the records behind it.
 */
export interface Delivery {
  /** The records not yet accepted, in stream order. */
  readonly pending: readonly DynamoDBRecord[];
  /** How many times in a row the record at the head of `pending` has failed. */
  readonly attempt: number;
  /** The last sequence number accepted or set aside so far: where a renewed iterator resumes. */
  readonly checkpoint: string | undefined;
}

export interface DeliveryPolicy {
  /**
   * How many times the record at the head of a failing batch is tried before it is set aside, as Lambda's
   * event source does before it sends a record to the dead-letter queue. Views are rebuilt from the ledger, so
   * setting a record aside loses no data, while retrying forever would freeze every other case of the shard.
   */
  readonly maxAttempts: number;
  readonly retry: RetryDelays;
}

/** What the handler said about `pending`: the earliest failed index (none when all passed) and what it threw. */
export interface HandlerAnswer {
  readonly failed: number | undefined;
  readonly cause?: unknown;
}

/** The delivery after one answer, what to log about it, and how long to wait before asking again. */
export interface DeliveryStep {
  readonly delivery: Delivery;
  readonly log?: LogEntry;
  readonly delayMs?: number;
}

/** A batch before its first call to the handler. */
export function startDelivery(records: readonly DynamoDBRecord[]): Delivery {
  return { pending: records, attempt: 0, checkpoint: undefined };
}

/**
 * Index of the earliest record the handler reported as failed, or `undefined` when all succeeded. An identifier
 * that names no record of the batch fails the whole batch, as Lambda does, rather than risk skipping one.
 */
export function earliestFailure(
  records: readonly DynamoDBRecord[],
  response: DynamoDBBatchResponse | undefined,
): number | undefined {
  const failures = response?.batchItemFailures ?? [];
  if (failures.length === 0) return undefined;
  const indexes = failures.map((failure) =>
    records.findIndex((record) => record.dynamodb?.SequenceNumber === failure.itemIdentifier),
  );
  return indexes.includes(-1) ? 0 : Math.min(...indexes);
}

/** The next step of `delivery` after the handler gave `answer` about its pending records. */
export function afterHandlerAnswer(
  delivery: Delivery,
  answer: HandlerAnswer,
  policy: DeliveryPolicy,
): DeliveryStep {
  const { failed, cause } = answer;
  const accepted = failed === undefined ? delivery.pending : delivery.pending.slice(0, failed);
  const checkpoint = accepted.at(-1)?.dynamodb?.SequenceNumber ?? delivery.checkpoint;
  if (failed === undefined) return { delivery: { pending: [], attempt: 0, checkpoint } };
  // Progress resets the count: the record now at the head has failed only once.
  const attempt = failed > 0 ? 1 : delivery.attempt + 1;
  const pending = delivery.pending.slice(failed);
  if (attempt >= policy.maxAttempts) return setAside(pending, checkpoint, cause, policy);
  const delayMs = retryDelayAfter(attempt, policy.retry);
  const message = cause === undefined ? 'stream handler reported a failed record' : 'stream handler threw';
  return {
    delivery: { pending, attempt, checkpoint },
    delayMs,
    log: {
      ...backOffEntry(message, attempt, delayMs, cause),
      sequenceNumber: pending[0]?.dynamodb?.SequenceNumber,
      pendingRecords: pending.length,
    },
  };
}

function setAside(
  pending: readonly DynamoDBRecord[],
  checkpoint: string | undefined,
  cause: unknown,
  policy: DeliveryPolicy,
): DeliveryStep {
  const [record, ...rest] = pending;
  const sequenceNumber = record?.dynamodb?.SequenceNumber;
  return {
    delivery: { pending: rest, attempt: 0, checkpoint: sequenceNumber ?? checkpoint },
    log: {
      level: 'error',
      message: 'stream record set aside after repeated failures; rebuild its view once the cause is fixed',
      sequenceNumber,
      eventName: record?.eventName,
      keys: record?.dynamodb?.Keys,
      attempts: policy.maxAttempts,
      ...(cause !== undefined && { error: describeError(cause) }),
    },
  };
}
