import { RemovalPolicy } from 'aws-cdk-lib';
import { Billing, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { AnyPrincipal, Effect, PolicyDocument, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import {
  caseKeysTable,
  ledgerTable,
  logTable,
  notificationsTable,
  type TableDefinition,
  viewsTable,
} from '../../functions/tables/table-definitions.ts';
import { toTableV2Props } from '../tables/to-table-v2-props.ts';

/**
 * What nobody may do to the ledger's items, whatever their IAM permissions: the application only ever puts
 * new items, so anything that changes or removes one is refused by the table itself.
 *
 * - `UpdateItem`, `DeleteItem`: also cover the update and delete operations inside `TransactWriteItems`,
 *   which IAM authorizes item by item under these same actions.
 * - `BatchWriteItem`: IAM cannot tell a batch's puts from its deletes (both are `BatchWriteItem`), so the
 *   whole action is denied. The store never uses it: appends are transactions of conditional puts.
 * - `PartiQLUpdate`, `PartiQLDelete`: the same changes made through `ExecuteStatement` and its batch and
 *   transaction forms.
 *
 * A plain `PutItem` can still overwrite an item, and IAM has no condition key for a request's condition
 * expression; the hash chain exposes such a change, and its stream record (a `MODIFY`) reaches the projector,
 * which logs it as tampering.
 */
export const LEDGER_DENIED_ACTIONS = [
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:PartiQLUpdate',
  'dynamodb:PartiQLDelete',
] as const;

/** The ledger's resource policy: append-only at the storage layer, for every principal. */
function appendOnlyPolicy(): PolicyDocument {
  return new PolicyDocument({
    statements: [
      new PolicyStatement({
        sid: 'LedgerIsAppendOnly',
        effect: Effect.DENY,
        principals: [new AnyPrincipal()],
        actions: [...LEDGER_DENIED_ACTIONS],
        // A resource policy cannot name its own table's generated ARN; `*` here means "this table".
        resources: ['*'],
      }),
    ],
  });
}

/**
 * Every way to take a copy of the case keys out of the table, or bring one back: an on-demand backup, an AWS
 * Backup job (AWS Backup's own DynamoDB backups), a point-in-time restore and an export to S3. A restored or
 * exported copy holds the keys of cases erased since it was taken, and with them those people's names.
 *
 * Only actions on the table itself can be refused by its policy: restoring a backup that already exists
 * (`RestoreTableFromBackup`, `RestoreTableFromAwsBackup`) acts on the backup, which the table's policy does not
 * cover; refusing to make one is what keeps that door shut. Turning point-in-time recovery on
 * (`UpdateContinuousBackups`) is not refused, since CloudFormation itself sets it, but its restore and export
 * are.
 */
export const KEY_BACKUP_ACTIONS = [
  'dynamodb:CreateBackup',
  'dynamodb:StartAwsBackupJob',
  'dynamodb:RestoreTableToPointInTime',
  'dynamodb:ExportTableToPointInTime',
] as const;

/** The case keys' resource policy: no backup, restore or export of them, for any principal. */
function noKeyCopiesPolicy(): PolicyDocument {
  return new PolicyDocument({
    statements: [
      new PolicyStatement({
        sid: 'CaseKeysAreNeverCopied',
        effect: Effect.DENY,
        principals: [new AnyPrincipal()],
        actions: [...KEY_BACKUP_ACTIONS],
        resources: ['*'],
      }),
    ],
  });
}

/**
 * The construct id of the views table, which names its CloudFormation resource and so its table. It changes
 * whenever an index the views table already has changes its projection or its keys: CloudFormation cannot change
 * an existing index (its `Projection` and `KeySchema` take no updates), and a table takes at most one index
 * creation or deletion per update. A new id is a new table, made with all its indexes at once, which the
 * functions switch to in the same deployment; the old one is deleted (the views are disposable) and
 * `npx ledger rebuild-views` fills the new one from the ledger (docs/operations.md, "Changing the views' indexes").
 *
 * - `Views`: the first table, its list indexes copying whole items (`ALL`).
 * - `Views2`: the list indexes copy the view alone, so a view's timeline is written once, in the base item.
 *
 * Adding a new index needs no new table: that is one index creation, which an update may make.
 */
export const VIEWS_TABLE_ID = 'Views2';

export interface LedgerTablesProps {
  /**
   * Lets the case keys be backed up (the `allowKeyBackups` context flag), for the ledger's own key backup,
   * whose restore re-applies every erasure; off, the table refuses every backup, restore and export of itself.
   */
  readonly allowKeyBackups?: boolean;
}

/**
 * The ledger, views, case keys, notifications and log tables, shaped by the one shared definition
 * (`functions/tables/table-definitions.ts`) that the local runtime creates its tables from.
 *
 * The ledger is the system of record: point-in-time recovery, deletion protection, kept when the stack is
 * deleted, and append-only by resource policy. The views are disposable (rebuilt from the ledger), so they go
 * with the stack. The case keys are kept and protected from deletion like the ledger, but on purpose have no
 * point-in-time recovery: erasing a case deletes its key, and a restorable copy of the key would undo that; unless
 * the operator opts into key backups, their resource policy refuses every backup, restore and export.
 * The notifications are nobody's evidence, but neither are they derived: a subscription lost is a desk that is
 * silently no longer told, and the delivery log is what answers "was I sent it?". So they are kept like the
 * ledger (point-in-time recovery, deletion protection, kept when the stack is deleted), without its
 * append-only policy: subscriptions change state and notices leave the outbox. They hold no personal data of
 * the people in the ledger (notices carry case ids, groups, dates and kinds), so a restored copy undoes no
 * erasure; they do hold subscribers' email addresses, which the table's encryption covers.
 * The transparency log's table (its state, each event's index, the leaves and the signed checkpoints) is kept
 * like the ledger too: the tiles in S3 are derived from its leaves, but the order it gave the events is what every
 * checkpoint already published and cosigned commits to, and a log that lost it could never extend those
 * checkpoints again. It has no append-only policy, since its state item moves with every integration; it holds
 * hashes and event ids only, no personal data.
 * All are encrypted at rest with the AWS-managed KMS key, whose use shows in CloudTrail.
 */
export class LedgerTables extends Construct {
  /** The definition objects the tables were built from: the very ones the local runtime uses. */
  readonly definitions: {
    readonly ledger: TableDefinition;
    readonly views: TableDefinition;
    readonly keys: TableDefinition;
    readonly notifications: TableDefinition;
    readonly log: TableDefinition;
  } = {
    ledger: ledgerTable,
    views: viewsTable,
    keys: caseKeysTable,
    notifications: notificationsTable,
    log: logTable,
  };
  readonly ledger: TableV2;
  readonly views: TableV2;
  /** One item per case: its data key, wrapped by the personal-data key; deleted to erase the case. */
  readonly keys: TableV2;
  /** Subscriptions, webhook endpoints, alert states, the outbox and the delivery log. */
  readonly notifications: TableV2;
  /** The transparency log: its state, event indexes, leaves and checkpoints (`LOG_TABLE`). */
  readonly log: TableV2;

  constructor(scope: Construct, id: string, props: LedgerTablesProps = {}) {
    super(scope, id);

    this.ledger = new TableV2(this, 'Ledger', {
      ...toTableV2Props(this.definitions.ledger),
      billing: Billing.onDemand(),
      encryption: TableEncryptionV2.awsManagedKey(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      resourcePolicy: appendOnlyPolicy(),
    });

    this.views = new TableV2(this, VIEWS_TABLE_ID, {
      ...toTableV2Props(this.definitions.views),
      billing: Billing.onDemand(),
      encryption: TableEncryptionV2.awsManagedKey(),
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.keys = new TableV2(this, 'CaseKeys', {
      ...toTableV2Props(this.definitions.keys),
      billing: Billing.onDemand(),
      encryption: TableEncryptionV2.awsManagedKey(),
      // No point-in-time recovery, and no backups of any kind: a restored copy would bring back the keys of
      // erased cases, and with them their subjects. Losing the table loses names, never the record of events.
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: false },
      ...(!props.allowKeyBackups && { resourcePolicy: noKeyCopiesPolicy() }),
      // Deletion protection keeps no copy of anything; it only stops the whole table being dropped by mistake,
      // which would erase every case at once.
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.notifications = new TableV2(this, 'Notifications', {
      ...toTableV2Props(this.definitions.notifications),
      billing: Billing.onDemand(),
      encryption: TableEncryptionV2.awsManagedKey(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.log = new TableV2(this, 'Log', {
      ...toTableV2Props(this.definitions.log),
      billing: Billing.onDemand(),
      encryption: TableEncryptionV2.awsManagedKey(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
