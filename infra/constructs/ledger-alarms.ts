import { Duration } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  ComparisonOperator,
  type IMetric,
  MathExpression,
  type Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** Every alarm looks at five-minute windows. */
const PERIOD = Duration.minutes(5);

export interface AlarmThresholds {
  readonly iteratorAgeSeconds: number;
  readonly dlqMessages: number;
  readonly api5xxPercent: number;
  readonly lambdaErrors: number;
  readonly lambdaThrottles: number;
}

/** The stack's functions, by the name the alarms give them. */
export interface LedgerFunctions {
  readonly api: IFunction;
  /** The API on the streaming function URL: the exports. */
  readonly streaming: IFunction;
  readonly projector: IFunction;
  readonly digest: IFunction;
  /** The transparency log's integrator, on the ledger's stream and its schedule. */
  readonly logIntegrator: IFunction;
  /** With notifications on: the notifier and the webhook consumer. */
  readonly notifier?: IFunction;
  readonly webhooks?: IFunction;
}

/** With notifications on: where what could not be told ends. */
export interface NotificationDeadLetters {
  /** Webhook deliveries given up on after the queue's receive count. */
  readonly webhooks: IQueue;
  /** Ledger stream records the notifier gave up on. */
  readonly notifierStream: IQueue;
}

export interface LedgerAlarmsProps {
  readonly api: IHttpApi;
  readonly functions: LedgerFunctions;
  readonly deadLetterQueue: IQueue;
  /** Ledger stream records the log's integrator gave up on. */
  readonly logStreamDeadLetters: IQueue;
  readonly notificationDeadLetters?: NotificationDeadLetters;
  /** The tamper signals the projector logs (`ProjectorFunction.metricTamperSignals`). */
  readonly tamperSignals: Metric;
  readonly thresholds: AlarmThresholds;
  /** Subscribed to the topic when given (the address must confirm the subscription). */
  readonly email?: string;
}

/**
 * The alarms that say the ledger needs a person, all notifying one SNS topic when they fire and when they
 * clear: a ledger event changed or removed behind the application's back (a tamper signal), the projector
 * or the log's integrator falling behind the stream (iterator age), stream records given up on (dead-letter
 * queues), the API failing (5xx rate), and any function failing or being throttled (a failed digest is a digest function error).
 */
export class LedgerAlarms extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: LedgerAlarmsProps) {
    super(scope, id);
    const { thresholds } = props;

    // Alarm notifications carry alarm names and metric values only; SNS's AWS-managed key cannot be used by
    // CloudWatch, so the topic relies on TLS in transit (enforced) rather than a paid customer-managed key.
    this.topic = new Topic(this, 'Topic', { displayName: 'detention-ledger alarms', enforceSSL: true });
    if (props.email) this.topic.addSubscription(new EmailSubscription(props.email));

    this.add('LedgerTampered', {
      description:
        'The projector found a ledger event changed or removed outside the application (a tamper signal): ' +
        'see GET /alerts and the projector log for ledger_tampered',
      metric: props.tamperSignals.with({ statistic: 'Sum', period: PERIOD }),
      threshold: 1,
    });
    this.add('ProjectorIteratorAge', {
      description: `The projector is more than ${thresholds.iteratorAgeSeconds} s behind the ledger's stream`,
      metric: props.functions.projector.metric('IteratorAge', { statistic: 'Maximum', period: PERIOD }),
      threshold: thresholds.iteratorAgeSeconds * 1000,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
    });
    this.add('DeadLetters', {
      description: 'Stream records the projector gave up on are waiting in its dead-letter queue',
      metric: props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        statistic: 'Maximum',
        period: PERIOD,
      }),
      threshold: thresholds.dlqMessages,
    });
    this.add('LogIntegratorStreamDeadLetters', {
      description:
        "Ledger events the log's integrator could not take in from the stream are waiting in its dead-letter " +
        'queue; its scheduled pass takes them in from the audit feed: see the integrator log for why they failed',
      metric: props.logStreamDeadLetters.metricApproximateNumberOfMessagesVisible({
        statistic: 'Maximum',
        period: PERIOD,
      }),
      threshold: thresholds.dlqMessages,
    });
    this.add('LogIntegratorIteratorAge', {
      description: `The log's integrator is more than ${thresholds.iteratorAgeSeconds} s behind the ledger's stream`,
      metric: props.functions.logIntegrator.metric('IteratorAge', { statistic: 'Maximum', period: PERIOD }),
      threshold: thresholds.iteratorAgeSeconds * 1000,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
    });
    const dead = props.notificationDeadLetters;
    if (dead) {
      this.add('WebhookDeadLetters', {
        description:
          'Webhook deliveries were given up on after every try and wait in the dead-letter queue: see the ' +
          "endpoint's delivery log, then redrive the queue once the receiver answers again",
        metric: dead.webhooks.metricApproximateNumberOfMessagesVisible({
          statistic: 'Maximum',
          period: PERIOD,
        }),
        threshold: thresholds.dlqMessages,
      });
      this.add('NotifierStreamDeadLetters', {
        description:
          'Ledger events the notifier could not tell subscribers of are waiting in its dead-letter queue',
        metric: dead.notifierStream.metricApproximateNumberOfMessagesVisible({
          statistic: 'Maximum',
          period: PERIOD,
        }),
        threshold: thresholds.dlqMessages,
      });
    }
    this.add('Api5xxRate', {
      description: `${thresholds.api5xxPercent}% or more of API requests failed with a 5xx`,
      metric: new MathExpression({
        expression: 'IF(requests > 0, 100 * errors / requests, 0)',
        usingMetrics: {
          errors: props.api.metricServerError({ statistic: 'Sum', period: PERIOD }),
          requests: props.api.metricCount({ statistic: 'Sum', period: PERIOD }),
        },
        label: 'API 5xx %',
        period: PERIOD,
      }),
      threshold: thresholds.api5xxPercent,
    });
    for (const [name, fn] of Object.entries(props.functions) as [string, IFunction | undefined][]) {
      if (fn === undefined) continue;
      const title = `${name.charAt(0).toUpperCase()}${name.slice(1)}`;
      this.add(`${title}Errors`, {
        description: `The ${name} function had ${thresholds.lambdaErrors} or more errors in five minutes`,
        metric: fn.metricErrors({ statistic: 'Sum', period: PERIOD }),
        threshold: thresholds.lambdaErrors,
      });
      this.add(`${title}Throttles`, {
        description: `The ${name} function was throttled ${thresholds.lambdaThrottles} or more times in five minutes`,
        metric: fn.metricThrottles({ statistic: 'Sum', period: PERIOD }),
        threshold: thresholds.lambdaThrottles,
      });
    }
  }

  private add(
    id: string,
    options: {
      description: string;
      metric: IMetric;
      threshold: number;
      comparisonOperator?: ComparisonOperator;
    },
  ): void {
    const alarm = new Alarm(this, id, {
      alarmDescription: options.description,
      metric: options.metric,
      threshold: options.threshold,
      comparisonOperator: options.comparisonOperator ?? ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      // No data means no traffic, which is not a failure.
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new SnsAction(this.topic));
    alarm.addOkAction(new SnsAction(this.topic));
    this.alarms.push(alarm);
  }
}
