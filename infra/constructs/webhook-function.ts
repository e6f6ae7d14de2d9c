import { Duration } from 'aws-cdk-lib';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { Construct } from 'constructs';
import { FUNCTION_ENTRIES } from '../function-entries.ts';
import { LedgerFunction, type LedgerFunctionLogging } from './ledger-function.ts';
import type { LedgerTables } from './ledger-tables.ts';
import { grantNotificationsAccess } from './notifier-function.ts';
import type { NotifyLinkSecret } from './notify-link-secret.ts';
import { grantSendEmail, type NotifySender } from './ses-send-grant.ts';
import type { WebhookQueue } from './webhook-queue.ts';

/** How long one invocation may take: a batch of deliveries, each bounded by the sender's own timeout. */
export const WEBHOOK_FUNCTION_TIMEOUT = Duration.seconds(60);

/**
 * The webhook queue's visibility timeout: six times the consumer's timeout, as Lambda advises for an SQS
 * source, so a message is never handed out again while a try of it may still run. It is also the wait before
 * a failing delivery is tried again.
 */
export const WEBHOOK_VISIBILITY_TIMEOUT = Duration.seconds(WEBHOOK_FUNCTION_TIMEOUT.toSeconds() * 6);

export interface WebhookFunctionProps extends LedgerFunctionLogging {
  readonly tables: LedgerTables;
  readonly queue: WebhookQueue;
  readonly sender: NotifySender;
  readonly appBaseUrl: string;
  readonly linkSecret: NotifyLinkSecret;
}

/**
 * Delivers the webhooks the notifier queued (`functions/notify/handlers/webhook-queue-handler.ts`), each
 * message a notice id. A delivery that may succeed later (a timeout, a 5xx, a 429) is reported as a batch item
 * failure, so its message alone is received again after the visibility timeout; after the queue's
 * `maxReceiveCount` it is moved to the dead-letter queue. It reads and writes the notifications (the notice,
 * the endpoint, the delivery log) and may email an endpoint's contact when the endpoint is disabled; it reads
 * neither the ledger nor the views.
 */
export class WebhookFunction extends LedgerFunction {
  constructor(scope: Construct, id: string, props: WebhookFunctionProps) {
    const { tables } = props;
    super(scope, id, {
      entry: FUNCTION_ENTRIES.webhooks,
      description: 'detention-ledger webhooks: delivers queued notices to webhook endpoints, signed',
      memorySize: 256,
      timeout: WEBHOOK_FUNCTION_TIMEOUT,
      environment: {
        NOTIFICATIONS_TABLE: tables.notifications.tableName,
        APP_BASE_URL: props.appBaseUrl,
        // The queue its messages come from: a failing delivery's message is hidden longer after each try.
        WEBHOOK_QUEUE_URL: props.queue.queue.queueUrl,
      },
      logRetention: props.logRetention,
      logLevel: props.logLevel,
    });
    this.function.addEventSource(
      new SqsEventSource(props.queue.queue, {
        batchSize: 5,
        reportBatchItemFailures: true,
        // Bounds the calls to receivers at once, whatever the queue's depth: an endpoint that is slow to
        // answer is not hammered by a backlog.
        maxConcurrency: 5,
      }),
    );
    grantNotificationsAccess(this, tables);
    grantSendEmail(this, props.sender);
    props.linkSecret.grantRead(this);
  }
}
