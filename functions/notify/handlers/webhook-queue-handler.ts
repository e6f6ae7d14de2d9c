import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { notifierOnAws } from './notifier-on-aws.ts';
import { createQueuedDeliveries, deliverWith } from './queued-deliveries.ts';

// Sends webhooks itself; the queue its messages come from (`WEBHOOK_QUEUE_URL`) is used only to spread out
// the tries of a failing delivery.
const { current, logger, clock, queue } = notifierOnAws('webhooks');

const deliveries = createQueuedDeliveries({
  deliver: async (noticeId, now) => deliverWith(await current())(noticeId, now),
  ...(queue && { delay: queue.delay }),
  clock,
  logger,
});

/** The webhook queue's consumer: one delivery attempt per message, failures reported per message. */
export const handler = (event: SQSEvent): Promise<SQSBatchResponse> => deliveries(event);
