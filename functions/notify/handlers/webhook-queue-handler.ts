import { SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { notifierOnAws } from './notifier-on-aws.ts';
import { createQueuedDeliveries } from './queued-deliveries.ts';
import { sqsWebhookQueue } from './sqs-webhook-queue.ts';

const { current, logger, clock } = notifierOnAws('webhooks');
// The queue the messages came from, to spread out the tries of a failing delivery (`WEBHOOK_QUEUE_URL`).
const queueUrl = process.env.WEBHOOK_QUEUE_URL;
const delay = queueUrl ? sqsWebhookQueue(new SQSClient({}), queueUrl).delay : undefined;

const deliveries = createQueuedDeliveries({
  // `retry`: worth another try later (the message stays); anything else needs nothing more from the queue.
  deliver: async (noticeId, now) =>
    (await (await current()).deliverNotice(noticeId, now)) === 'retry' ? 'retry' : 'done',
  ...(delay && { delay }),
  clock,
  logger,
});

/** The webhook queue's consumer: one delivery attempt per message, failures reported per message. */
export const handler = (event: SQSEvent): Promise<SQSBatchResponse> => deliveries(event);
