import { Duration } from 'aws-cdk-lib';
import { Rule, RuleTargetInput, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { Construct } from 'constructs';
import { CONTINUE_EVERY_MINUTES, CONTINUE_ONLY } from '../../functions/digest/digest-input.ts';
import { ledgerLeadingKeys } from '../../functions/tables/ledger-keys.ts';
import { FUNCTION_ENTRIES } from '../function-entries.ts';
import { LedgerFunction, type LedgerFunctionLogging } from './ledger-function.ts';
import type { LedgerTables } from './ledger-tables.ts';
import { grantTableAccess } from './table-access.ts';

/**
 * The ledger items the digest function may put: the digests and their leaves, from the ledger's keys module
 * that the digest store keys them by. No case id starts with `#`.
 */
export const DIGEST_KEYS = ledgerLeadingKeys.digests;

export interface DigestFunctionProps extends LedgerFunctionLogging {
  readonly tables: LedgerTables;
  /** An EventBridge schedule expression, already checked: `rate(1 day)`, `cron(0 3 * * ? *)`. */
  readonly schedule: string;
}

/**
 * Takes a ledger digest on a schedule (`functions/digest/handler.ts`): the Merkle root over every case's head,
 * appended to the ledger. It may read the ledger and put digest items in it, and nothing else: no views, no
 * case keys, no personal-data key. A failed run is a function error, which the errors alarm reports.
 */
export class DigestFunction extends LedgerFunction {
  readonly schedule: Rule;
  /** Continues a digest run that did not fit one invocation; an invocation with no run under way does nothing. */
  readonly continueSchedule: Rule;

  constructor(scope: Construct, id: string, props: DigestFunctionProps) {
    const { tables } = props;
    super(scope, id, {
      entry: FUNCTION_ENTRIES.digest,
      description: 'detention-ledger digest: appends a Merkle digest of every case head to the ledger',
      // A full digest reads every case's head and keeps the leaves in memory: room, and Lambda's longest run
      // (a run that needs more saves its progress and is continued by the next invocation).
      memorySize: 1024,
      timeout: Duration.minutes(15),
      environment: { LEDGER_TABLE: tables.ledger.tableName },
      logRetention: props.logRetention,
      logLevel: props.logLevel,
    });

    this.schedule = new Rule(this, 'Schedule', {
      description: 'Takes a detention-ledger digest',
      schedule: Schedule.expression(props.schedule),
      targets: [new LambdaFunction(this.function)],
    });
    this.continueSchedule = new Rule(this, 'ContinueSchedule', {
      description: 'Continues a detention-ledger digest run that did not fit one invocation',
      schedule: Schedule.rate(Duration.minutes(CONTINUE_EVERY_MINUTES)),
      targets: [new LambdaFunction(this.function, { event: RuleTargetInput.fromObject(CONTINUE_ONLY) })],
    });

    grantTableAccess(this.function, tables.ledger, tables.definitions.ledger, 'read');
    grantTableAccess(this.function, tables.ledger, tables.definitions.ledger, 'put', {
      leadingKeys: DIGEST_KEYS,
    });
  }
}
