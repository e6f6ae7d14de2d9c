import { Duration, Validations } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { FilterCriteria, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { FUNCTION_ENTRIES } from '../function-entries.ts';
import type { ApiAlertThresholds } from './api-function.ts';
import { LedgerFunction, type LedgerFunctionLogging } from './ledger-function.ts';
import type { LedgerTables } from './ledger-tables.ts';
import { NOTIFIER_STREAM_FILTERS } from './notifier-stream-filters.ts';
import type { NotifyLinkSecret } from './notify-link-secret.ts';
import { grantSendEmail, type NotifySender } from './ses-send-grant.ts';
import { grantTableAccess } from './table-access.ts';
import type { WebhookQueue } from './webhook-queue.ts';

export interface NotifierFunctionProps extends LedgerFunctionLogging {
  readonly tables: LedgerTables;
  /** An EventBridge schedule expression, already checked: `rate(5 minutes)`. */
  readonly schedule: string;
  readonly sender: NotifySender;
  /** Where the web application is served (`APP_BASE_URL`), for the links in emails. */
  readonly appBaseUrl: string;
  readonly linkSecret: NotifyLinkSecret;
  readonly webhookQueue: WebhookQueue;
  /** The thresholds the alerts are raised at: those of `GET /alerts`, so a desk is told what the board shows. */
  readonly alertThresholds: ApiAlertThresholds;
}

/**
 * The notifier (`functions/notify/handlers/notifier-handler.ts`), invoked two ways: on a schedule, it compares
 * the alerts open now with those it told each subscription of, sends the daily digests that are due and what
 * the outbox still holds; on the ledger's stream (new events only), it tells the subscriptions that watch a
 * case of each event. Emails go through SES as the configured identity; webhooks are handed to the queue.
 *
 * It reads the ledger and the views, and reads and writes the notifications. It has no grant on the case keys
 * or the personal-data key: notices never carry personal data, and the function could not read a name if it
 * tried. The stream source starts at the newest record (a notifier deployed today does not tell of years of
 * past events); a record that keeps failing is set aside on a dead-letter queue, which an alarm watches.
 * It is the stream's third reader, beside the projector and the log's integrator: DynamoDB Streams advises at
 * most two Lambda readers per shard, beyond which reads are throttled and retried (docs/operations.md), so it is
 * the first to move off the stream if that shows: its schedule already covers what it tells.
 */
export class NotifierFunction extends LedgerFunction {
  readonly schedule: Rule;
  /** Stream records the notifier gave up on. */
  readonly streamDeadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: NotifierFunctionProps) {
    const { tables } = props;
    super(scope, id, {
      entry: FUNCTION_ENTRIES.notifier,
      description: 'detention-ledger notifier: tells subscribers of alerts and events, by email and webhook',
      memorySize: 512,
      // A run reads every subscription and the alerts open now, and sends what is due; it resumes from the
      // outbox, so a run cut short loses nothing.
      timeout: Duration.minutes(5),
      environment: {
        LEDGER_TABLE: tables.ledger.tableName,
        VIEWS_TABLE: tables.views.tableName,
        NOTIFICATIONS_TABLE: tables.notifications.tableName,
        APP_BASE_URL: props.appBaseUrl,
        WEBHOOK_QUEUE_URL: props.webhookQueue.queue.queueUrl,
        ALERT_CONSULAR_VISIT_DAYS: String(props.alertThresholds.consularVisitDays),
        ALERT_CUSTODY_EXPIRING_DAYS: String(props.alertThresholds.custodyExpiringDays),
        ALERT_NO_NEWS_DAYS: String(props.alertThresholds.noNewsDays),
      },
      logRetention: props.logRetention,
      logLevel: props.logLevel,
    });

    this.schedule = new Rule(this, 'Schedule', {
      description: 'Runs the detention-ledger notifier: alerts raised and resolved, digests, the outbox',
      schedule: Schedule.expression(props.schedule),
      targets: [new LambdaFunction(this.function)],
    });

    this.streamDeadLetterQueue = new Queue(this, 'StreamDeadLetters', {
      retentionPeriod: Duration.days(14),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    Validations.of(this.streamDeadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        "This queue is itself the dead-letter destination of the notifier's stream event source (an event " +
        'source mapping destination, which the rule does not recognise); an alarm fires on its first message.',
    });
    this.function.addEventSource(
      new DynamoEventSource(tables.ledger, {
        // New events from now on: telling subscribers of every event the stream still holds would be noise.
        startingPosition: StartingPosition.LATEST,
        batchSize: 100,
        reportBatchItemFailures: true,
        bisectBatchOnError: true,
        retryAttempts: 5,
        // An event told an hour late is still worth telling; older, a daily digest covers it.
        maxRecordAge: Duration.hours(1),
        onFailure: new SqsDlq(this.streamDeadLetterQueue),
        filters: NOTIFIER_STREAM_FILTERS.map((pattern) => FilterCriteria.filter(pattern)),
      }),
    );

    grantTableAccess(this.function, tables.ledger, tables.definitions.ledger, 'read');
    grantTableAccess(this.function, tables.views, tables.definitions.views, 'read');
    grantNotificationsAccess(this, tables);
    grantSendEmail(this, props.sender);
    props.linkSecret.grantRead(this);
    props.webhookQueue.queue.grantSendMessages(this.function);
  }
}

/**
 * What a function of the notifications may do in their table: read, put, update (a subscription's state, a
 * notice leaving the outbox) and delete (an alert state once resolved). Nothing in the other tables.
 */
export function grantNotificationsAccess(fn: LedgerFunction, tables: LedgerTables): void {
  for (const access of ['read', 'put', 'update', 'delete'] as const) {
    grantTableAccess(fn.function, tables.notifications, tables.definitions.notifications, access);
  }
}
