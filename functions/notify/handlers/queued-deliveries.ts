import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { Notifier } from '../notifier.ts';
import { retryDelaySeconds } from './retry-delay.ts';
import { noticeIdOf } from './webhook-message.ts';

/**
 * Delivers one queued notice: `'done'` when it needs nothing more (delivered, refused for good, or no longer
 * there), `'retry'` when a later try may succeed (a timeout, a 5xx, a 429). Throwing counts as `'retry'`.
 */
export type DeliverQueuedNotice = (noticeId: string, now: Date) => Promise<'done' | 'retry'>;

/** The queue's view of the notifier's outcomes: `retry` keeps the message; delivered, failed or skipped need nothing more. */
export function deliverWith(notifier: Pick<Notifier, 'deliverNotice'>): DeliverQueuedNotice {
  return async (noticeId, now) =>
    (await notifier.deliverNotice(noticeId, now)) === 'retry' ? 'retry' : 'done';
}

/** Sets how long a received message stays hidden: the wait before its next try. */
export type DelayMessage = (receiptHandle: string, seconds: number) => Promise<void>;

export interface QueuedDeliveriesOptions {
  readonly deliver: DeliverQueuedNotice;
  /** Unset: the queue's own visibility timeout is the wait between tries. */
  readonly delay?: DelayMessage;
  readonly clock: () => Date;
  readonly logger: Pick<Logger, 'error' | 'warn'>;
}

/** A delivery to try again later: the message stays on the queue (a batch item failure). */
export class DeliveryToRetry extends Error {
  readonly code = 'webhook_delivery_to_retry';
  constructor(noticeId: string, receiveCount: number, options?: ErrorOptions) {
    super(
      `webhook delivery of notice ${noticeId} failed on try ${receiveCount}; it will be tried again`,
      options,
    );
    this.name = 'DeliveryToRetry';
  }
}

/** A message the notifier did not write: it can never succeed, so it goes on to the dead-letter queue. */
export class UnreadableMessage extends Error {
  readonly code = 'webhook_message_unreadable';
  constructor(messageId: string) {
    super(`webhook queue message ${messageId} names no notice; it is left for the dead-letter queue`);
    this.name = 'UnreadableMessage';
  }
}

/**
 * The webhook queue's consumer: each message names a notice to deliver. A delivery to retry fails its record
 * alone (Powertools' batch item failures, `reportBatchItemFailures` on the event source), so SQS receives
 * that message again and deletes the others; before it does, the message is hidden for `retryDelaySeconds`
 * of its receive count, so tries spread out instead of coming every visibility timeout. After the queue's
 * `maxReceiveCount` receives, SQS moves the message to the dead-letter queue. An unreadable message fails
 * every time and so ends there too, where the alarm shows it.
 */
export function createQueuedDeliveries(
  options: QueuedDeliveriesOptions,
): (event: SQSEvent) => Promise<SQSBatchResponse> {
  const handleRecord = async (record: SQSRecord): Promise<void> => {
    const noticeId = noticeIdOf(record.body);
    if (noticeId === undefined) {
      options.logger.error('webhook_message_unreadable', { messageId: record.messageId });
      throw new UnreadableMessage(record.messageId);
    }
    const receiveCount = Number(record.attributes.ApproximateReceiveCount) || 1;
    let outcome: 'done' | 'retry';
    let cause: unknown;
    try {
      outcome = await options.deliver(noticeId, options.clock());
    } catch (error) {
      outcome = 'retry';
      cause = error;
    }
    if (outcome === 'done') return;
    if (options.delay) {
      try {
        await options.delay(record.receiptHandle, retryDelaySeconds(receiveCount));
      } catch (error) {
        // The queue's own visibility timeout still brings the message back: a shorter wait, not a lost try.
        options.logger.warn('webhook retry delay not set', { noticeId, error });
      }
    }
    throw new DeliveryToRetry(noticeId, receiveCount, cause === undefined ? undefined : { cause });
  };
  return (event) => {
    const processor = new BatchProcessor(EventType.SQS);
    return processPartialResponse(event, handleRecord, processor, { throwOnFullBatchFailure: false });
  };
}
