import { Duration, Validations } from 'aws-cdk-lib';
import { Rule, RuleTargetInput, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { FilterCriteria, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { FUNCTION_ENTRIES } from '../function-entries.ts';
import { LedgerFunction, type LedgerFunctionLogging } from './ledger-function.ts';
import type { LedgerTables } from './ledger-tables.ts';
import type { LogSigningKey } from './log-signing-key.ts';
import { LOG_STREAM_FILTERS } from './log-stream-filters.ts';
import type { LogTilesBucket } from './log-tiles-bucket.ts';
import { grantTableAccess } from './table-access.ts';

/**
 * Events per stream batch: one integration step commits the log's state and two items per event in one
 * DynamoDB transaction, which holds at most 100 actions, so 49 events is the most one step takes.
 */
export const LOG_STREAM_BATCH_SIZE = 49;

/** How often the backfill and publish pass runs: it also finishes what a crashed step left unpublished. */
export const LOG_PASS_SCHEDULE = 'rate(5 minutes)';

/** What the schedule hands the function, so that its log says which pass it ran. */
export const LOG_PASS_INPUT = { pass: 'backfill-and-publish' } as const;

/** The log's public identity and the witnesses it asks to cosign (`LOG_ORIGIN`, `LOG_WITNESSES`). */
export interface LogIdentity {
  readonly origin: string;
  /** `<verifier key> <url>` pairs separated by `;`, as `LOG_WITNESSES` takes them; unset: no witness. */
  readonly witnesses?: string;
}

export interface LogIntegratorFunctionProps extends LedgerFunctionLogging {
  readonly tables: LedgerTables;
  readonly tiles: LogTilesBucket;
  readonly signingKey: LogSigningKey;
  readonly identity: LogIdentity;
}

/**
 * The transparency log's integrator (`functions/log/handlers/integrator-handler.ts`), invoked two ways: on the
 * ledger's stream (new events only, at most `LOG_STREAM_BATCH_SIZE` a batch), it gives each event its index,
 * writes the tiles and signs and publishes the checkpoint; on a schedule, it integrates what the log still
 * lacks from the audit feed (events from before the log, or that the stream gave up on) and publishes a
 * checkpoint a crashed step left unsigned.
 *
 * It reads the ledger (no write of any kind there), reads and writes the log table and the tiles bucket, and is
 * the one role that may sign with the log key. A failing batch is split until the bad record is alone, and
 * what still fails is set aside on a dead-letter queue that an alarm watches; the scheduled pass takes those
 * events in all the same, since it reads the audit feed, not the stream.
 *
 * It is the stream's third reader, beside the projector and the notifier: DynamoDB Streams advises at most two
 * Lambda readers per shard, beyond which reads are throttled and retried (docs/operations.md says what that costs).
 */
export class LogIntegratorFunction extends LedgerFunction {
  readonly schedule: Rule;
  /** Stream records the integrator gave up on (the scheduled pass still takes their events in). */
  readonly streamDeadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: LogIntegratorFunctionProps) {
    const { tables, tiles, signingKey, identity } = props;
    super(scope, id, {
      entry: FUNCTION_ENTRIES.logIntegrator,
      description: 'detention-ledger log integrator: indexes events, writes tiles, signs checkpoints',
      memorySize: 512,
      // A pass resumes from the position it keeps in the log's state, so one cut short loses nothing.
      timeout: Duration.minutes(5),
      environment: {
        LEDGER_TABLE: tables.ledger.tableName,
        LOG_TABLE: tables.log.tableName,
        LOG_BUCKET: tiles.bucket.bucketName,
        LOG_KMS_KEY_ID: signingKey.key.keyArn,
        LOG_ORIGIN: identity.origin,
        ...(identity.witnesses !== undefined && { LOG_WITNESSES: identity.witnesses }),
      },
      logRetention: props.logRetention,
      logLevel: props.logLevel,
    });

    this.schedule = new Rule(this, 'Schedule', {
      description: 'Runs the detention-ledger log integrator: backfill from the audit feed, publish',
      schedule: Schedule.expression(LOG_PASS_SCHEDULE),
      targets: [new LambdaFunction(this.function, { event: RuleTargetInput.fromObject(LOG_PASS_INPUT) })],
    });

    this.streamDeadLetterQueue = new Queue(this, 'StreamDeadLetters', {
      retentionPeriod: Duration.days(14),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    Validations.of(this.streamDeadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        "This queue is itself the dead-letter destination of the log integrator's stream event source (an " +
        'event source mapping destination, which the rule does not recognise); an alarm fires on its first message.',
    });
    this.function.addEventSource(
      new DynamoEventSource(tables.ledger, {
        // From the oldest record the stream holds: the backfill would find the rest, but later.
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: LOG_STREAM_BATCH_SIZE,
        bisectBatchOnError: true,
        retryAttempts: 10,
        // Older than this, the scheduled pass has taken the events in from the audit feed long since.
        maxRecordAge: Duration.hours(1),
        onFailure: new SqsDlq(this.streamDeadLetterQueue),
        filters: LOG_STREAM_FILTERS.map((pattern) => FilterCriteria.filter(pattern)),
      }),
    );

    // The ledger read, for the events of the backfill and the audit feed's index; nothing written there.
    grantTableAccess(this.function, tables.ledger, tables.definitions.ledger, 'read');
    // The log's state moves by conditional update; event, leaf and checkpoint items are conditional puts.
    for (const access of ['read', 'put', 'update'] as const) {
      grantTableAccess(this.function, tables.log, tables.definitions.log, access);
    }
    tiles.grantRead(this.role);
    tiles.grantWrite(this.role);
    signingKey.grantSign(this.role);
  }
}
