import { ChangeMessageVisibilityCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DelayMessage } from './queued-deliveries.ts';
import { webhookMessageBody } from './webhook-message.ts';

/**
 * The webhook queue as the notifier and its consumer use it: hand a notice over (`enqueue`), and set how long
 * a message waits before its next try (`delay`). Only the notice id travels.
 */
export function sqsWebhookQueue(client: SQSClient, queueUrl: string) {
  const enqueue = async (noticeId: string): Promise<void> => {
    await client.send(
      new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: webhookMessageBody(noticeId) }),
    );
  };
  const delay: DelayMessage = async (receiptHandle, seconds) => {
    await client.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: queueUrl,
        ReceiptHandle: receiptHandle,
        VisibilityTimeout: seconds,
      }),
    );
  };
  return { enqueue, delay };
}
