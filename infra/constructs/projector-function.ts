import { Duration, Validations } from 'aws-cdk-lib';
import { FilterCriteria, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { FUNCTION_ENTRIES } from '../function-entries.ts';
import { LedgerFunction, type LedgerFunctionLogging } from './ledger-function.ts';
import type { LedgerTables } from './ledger-tables.ts';
import { PROJECTOR_STREAM_FILTERS } from './projector-stream-filters.ts';
import { grantTableAccess } from './table-access.ts';

export interface ProjectorFunctionProps extends LedgerFunctionLogging {
  readonly tables: LedgerTables;
  readonly retryAttempts: number;
  readonly maxRecordAge: Duration;
  readonly parallelizationFactor: number;
}

/**
 * The projector on the ledger's DynamoDB stream (`functions/projector/handler.ts`). It may read the ledger and
 * write the views. A failing record is reported alone (batch item failures), a failing batch is split in two
 * until the bad record is isolated, and retries are bounded in number and record age; what still fails is
 * described in a message on the dead-letter queue (the views can then be rebuilt from the ledger).
 */
export class ProjectorFunction extends LedgerFunction {
  readonly deadLetterQueue: Queue;

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
    grantTableAccess(this.function, tables.views, tables.definitions.views, 'put');
  }
}
