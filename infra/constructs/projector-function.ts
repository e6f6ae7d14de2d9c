import { Duration, Stack, Validations } from 'aws-cdk-lib';
import type { Metric, MetricOptions } from 'aws-cdk-lib/aws-cloudwatch';
import { FilterCriteria, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { FilterPattern, MetricFilter } from 'aws-cdk-lib/aws-logs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { ledgerLeadingKeys } from '../../functions/tables/ledger-keys.ts';
import { viewKeys } from '../../functions/tables/view-keys.ts';
import { FUNCTION_ENTRIES } from '../function-entries.ts';
import { LedgerFunction, type LedgerFunctionLogging } from './ledger-function.ts';
import type { LedgerTables } from './ledger-tables.ts';
import { PROJECTOR_STREAM_FILTERS } from './projector-stream-filters.ts';
import { grantTableAccess } from './table-access.ts';

/**
 * The ledger items the projector may put: tamper signals, from the ledger's keys module that the tamper log
 * keys them by. No case id can start so, so no event can be written.
 */
export const TAMPER_SIGNAL_KEYS = ledgerLeadingKeys.tamperSignals;

/**
 * The projector's log line for a tamper signal: Powertools' `message` starts with `ledger_tampered`. The
 * trailing `*` is the filter syntax's wildcard, so the words after the code may change freely.
 */
export const TAMPER_LOG_PATTERN = FilterPattern.stringValue('$.message', '=', 'ledger_tampered*');

export interface ProjectorFunctionProps extends LedgerFunctionLogging {
  readonly tables: LedgerTables;
  readonly retryAttempts: number;
  readonly maxRecordAge: Duration;
  readonly parallelizationFactor: number;
}

/**
 * The projector on the ledger's DynamoDB stream (`functions/projector/handler.ts`). It may read the ledger, put
 * tamper signals in it (and nothing else there), and read and write the views. A failing record is reported
 * alone (batch item failures), a failing batch is split in two until the bad record is isolated, and retries
 * are bounded in number and record age; what still fails is described in a message on the dead-letter queue
 * (the views can then be rebuilt from the ledger). Each tamper signal it logs is counted by a metric filter.
 */
export class ProjectorFunction extends LedgerFunction {
  readonly deadLetterQueue: Queue;
  /** Counts the tamper signals the projector logs (`LedgerTampered`, in the stack's own namespace). */
  readonly tamperSignals: MetricFilter;

  constructor(scope: Construct, id: string, props: ProjectorFunctionProps) {
    const { tables } = props;
    super(scope, id, {
      entry: FUNCTION_ENTRIES.projector,
      description: 'detention-ledger projector: folds ledger events into case views',
      memorySize: 512,
      timeout: Duration.minutes(1),
      environment: { LEDGER_TABLE: tables.ledger.tableName, VIEWS_TABLE: tables.views.tableName },
      logRetention: props.logRetention,
      logLevel: props.logLevel,
    });

    this.deadLetterQueue = new Queue(this, 'DeadLetters', {
      retentionPeriod: Duration.days(14),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself the dead-letter destination of the projector stream event source (an event source ' +
        'mapping destination, which the rule does not recognise); an alarm fires on its first message.',
    });

    this.function.addEventSource(
      new DynamoEventSource(tables.ledger, {
        // From the oldest record the stream holds, so nothing written before the mapping existed is skipped.
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 100,
        reportBatchItemFailures: true,
        bisectBatchOnError: true,
        retryAttempts: props.retryAttempts,
        maxRecordAge: props.maxRecordAge,
        parallelizationFactor: props.parallelizationFactor,
        onFailure: new SqsDlq(this.deadLetterQueue),
        filters: PROJECTOR_STREAM_FILTERS.map((pattern) => FilterCriteria.filter(pattern)),
      }),
    );

    grantTableAccess(this.function, tables.ledger, tables.definitions.ledger, 'read');
    grantTableAccess(this.function, tables.ledger, tables.definitions.ledger, 'put', {
      leadingKeys: TAMPER_SIGNAL_KEYS,
    });
    // The stored view, to continue it from its version instead of folding the whole stream again.
    grantTableAccess(this.function, tables.views, tables.definitions.views, 'get');
    grantTableAccess(this.function, tables.views, tables.definitions.views, 'put');
    // The registry of groups, and no other item: a view is only ever put whole.
    grantTableAccess(this.function, tables.views, tables.definitions.views, 'update', {
      leadingKeys: [viewKeys.groupRegistry.caseId],
    });

    this.tamperSignals = new MetricFilter(this, 'TamperSignals', {
      logGroup: this.logGroup,
      filterPattern: TAMPER_LOG_PATTERN,
      // One namespace per stack, so that stages sharing an account do not alarm on each other's signals.
      metricNamespace: Stack.of(this).stackName,
      metricName: 'LedgerTampered',
      metricValue: '1',
    });
  }

  /** Tamper signals logged by the projector: their sum over a period is how many it found. */
  metricTamperSignals(options: MetricOptions = {}): Metric {
    return this.tamperSignals.metric({ statistic: 'Sum', ...options });
  }
}
