import { Duration } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface WebhookQueueProps {
  /** Receives of one message before it goes to the dead-letter queue: each receive is one delivery try. */
  readonly maxReceiveCount: number;
  /**
   * How long a received message stays hidden: the consumer's timeout and then some, so a try still running is
   * never handed out twice; it is also the wait between tries of a failing delivery.
   */
  readonly visibilityTimeout: Duration;
}

/**
 * The queue between the notifier and the webhook consumer: the notifier hands it a notice id (never the
 * notice, which stays in the notifications table), the consumer delivers it. A delivery that fails in a way
 * worth retrying leaves its message on the queue, to be received again once its visibility timeout is over;
 * after `maxReceiveCount` receives SQS moves it to the dead-letter queue, which an alarm watches. Both queues
 * are encrypted (SQS-managed keys) and refuse requests without TLS.
 */
export class WebhookQueue extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: WebhookQueueProps) {
    super(scope, id);
    this.deadLetterQueue = new Queue(this, 'DeadLetters', {
      // Longer than the queue's, so a message given up on late is still there to look at for two weeks.
      retentionPeriod: Duration.days(14),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    this.queue = new Queue(this, 'Queue', {
      retentionPeriod: Duration.days(4),
      visibilityTimeout: props.visibilityTimeout,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: props.maxReceiveCount },
    });
  }
}
