import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import {
  afterHandlerAnswer,
  type Delivery,
  type DeliveryPolicy,
  earliestFailure,
  type HandlerAnswer,
  startDelivery,
} from '../../local/batch-delivery.ts';

const policy: DeliveryPolicy = { maxAttempts: 3, retry: { initialMs: 10, maxMs: 40 } };

const record = (sequenceNumber: string): DynamoDBRecord => ({
  eventName: 'INSERT',
  dynamodb: {
    SequenceNumber: sequenceNumber,
    Keys: { streamId: { S: 'case-x' }, version: { N: sequenceNumber } },
  },
});
const batch = ['1', '2', '3'].map(record);
const sequences = (delivery: Delivery) => delivery.pending.map((r) => r.dynamodb?.SequenceNumber);

/** Given a fresh delivery of `records`, when the handler answers `answers` in turn. */
function answer(records: readonly DynamoDBRecord[], answers: readonly HandlerAnswer[]) {
  let delivery = startDelivery(records);
  const steps = answers.map((handlerAnswer) => {
    const step = afterHandlerAnswer(delivery, handlerAnswer, policy);
    delivery = step.delivery;
    return step;
  });
  return { delivery, steps };
}

describe('delivering one batch to the handler', () => {
  it('is done when the handler accepts all of it, with the last record as the checkpoint', () => {
    const { delivery, steps } = answer(batch, [{ failed: undefined }]);
    expect(delivery).toEqual({ pending: [], attempt: 0, checkpoint: '3' });
    expect(steps[0]?.log).toBeUndefined();
    expect(steps[0]?.delayMs).toBeUndefined();
  });

  it('keeps the records from the earliest failure, checkpoints the ones before it, and waits', () => {
    const { delivery, steps } = answer(batch, [{ failed: 1 }]);
    expect(sequences(delivery)).toEqual(['2', '3']);
    expect(delivery).toMatchObject({ attempt: 1, checkpoint: '1' });
    expect(steps[0]).toMatchObject({
      delayMs: 10,
      log: {
        level: 'error',
        message: 'stream handler reported a failed record',
        attempt: 1,
        retryInMs: 10,
        sequenceNumber: '2',
        pendingRecords: 2,
      },
    });
  });

  it('waits longer each time the same record fails, and counts afresh once the head moves on', () => {
    const { delivery, steps } = answer(batch, [{ failed: 0 }, { failed: 0 }, { failed: 1 }]);
    expect(steps.map((step) => step.delayMs)).toEqual([10, 20, 10]);
    expect(delivery).toMatchObject({ attempt: 1, checkpoint: '1' });
  });

  it('logs a thrown error with its message', () => {
    const { steps } = answer(batch, [{ failed: 0, cause: new Error('projection failed') }]);
    expect(steps[0]?.log).toMatchObject({
      message: 'stream handler threw',
      error: { name: 'Error', message: 'projection failed' },
    });
  });

  it('sets a record aside after the allowed attempts, naming it, and goes on with the records behind it', () => {
    const { delivery, steps } = answer(batch, [{ failed: 1 }, { failed: 0 }, { failed: 0 }]);
    expect(sequences(delivery)).toEqual(['3']);
    expect(delivery).toMatchObject({ attempt: 0, checkpoint: '2' });
    const setAside = steps[2]!;
    expect(setAside.delayMs).toBeUndefined();
    expect(setAside.log).toEqual({
      level: 'error',
      message: expect.stringContaining('set aside'),
      sequenceNumber: '2',
      eventName: 'INSERT',
      keys: { streamId: { S: 'case-x' }, version: { N: '2' } },
      attempts: 3,
    });
  });
});

describe('the earliest failure a handler reports', () => {
  it('is none when the response is empty or lists no failures', () => {
    expect(earliestFailure(batch, undefined)).toBeUndefined();
    expect(earliestFailure(batch, { batchItemFailures: [] })).toBeUndefined();
  });

  it('is the earliest of the records named, in stream order', () => {
    const response = { batchItemFailures: [{ itemIdentifier: '3' }, { itemIdentifier: '2' }] };
    expect(earliestFailure(batch, response)).toBe(1);
  });

  it('is the whole batch when an identifier names no record of it', () => {
    const response = { batchItemFailures: [{ itemIdentifier: '3' }, { itemIdentifier: 'unknown' }] };
    expect(earliestFailure(batch, response)).toBe(0);
  });
});
