import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Grant } from 'aws-cdk-lib/aws-iam';
import { type ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { CURSOR_SECRET_MAX_AGE_SECONDS } from '../../functions/api/cursor-secret-max-age.ts';
import { FUNCTION_ENTRIES } from '../function-entries.ts';
import { LedgerFunction, type LedgerFunctionLogging } from './ledger-function.ts';
import type { LedgerTables } from './ledger-tables.ts';
import type { LogIdentity } from './log-integrator-function.ts';
import type { LogSigningKey } from './log-signing-key.ts';
import type { LogTilesBucket } from './log-tiles-bucket.ts';
import type { PersonalDataKey } from './personal-data-key.ts';
import { grantTableAccess } from './table-access.ts';

/** The default thresholds of `GET /alerts`, in days. */
export interface ApiAlertThresholds {
  readonly consularVisitDays: number;
  readonly custodyExpiringDays: number;
  readonly noNewsDays: number;
}

export interface ApiFunctionProps extends LedgerFunctionLogging {
  readonly tables: LedgerTables;
  /** Wraps the per-case data keys. */
  readonly personalDataKey: PersonalDataKey;
  /** The token claim that lists the caller's roles. */
  readonly rolesClaim: string;
  /** How tokens grant personal data in clear (`OIDC_PII_SCOPE`, `OIDC_PII_GROUP`). */
  readonly pii: { readonly scope: string; readonly group?: string };
  readonly alertThresholds: ApiAlertThresholds;
  /** The transparency log the API serves at `/log/` (read only) and proves events in. */
  readonly log: ApiLog;
}

/** What of the transparency log the API reads: its table, its tiles, its key's public half, its identity. */
export interface ApiLog {
  readonly tiles: LogTilesBucket;
  readonly signingKey: LogSigningKey;
  readonly identity: LogIdentity;
}

/**
 * The Hono API on Lambda (`functions/api/handler.ts`). It may read the ledger and append to it — conditional
 * puts, never an update or a delete — and read the views. It reads, makes and deletes (to erase a case) the
 * case keys, and makes and unwraps data keys with the personal-data KMS key (granted by the stack).
 *
 * It trusts the claims of API Gateway's JWT authorizer (`AUTH_MODE=api-gateway`): the authorizer has checked
 * each token before the function runs, so the function holds no token secret.
 *
 * Its instances share one key for signing pagination cursors, a generated secret they read at run time (its ARN
 * in `LEDGER_CURSOR_SECRET_ARN`, and only that secret readable): without it each instance would make its own,
 * and a cursor from one would fail on the next.
 */
export class ApiFunction extends LedgerFunction {
  /** The cursor-signing key, generated at deploy time. */
  readonly cursorSecret: Secret;

  constructor(scope: Construct, id: string, props: ApiFunctionProps) {
    super(scope, id, {
      entry: FUNCTION_ENTRIES.api,
      description: 'detention-ledger API: appends events, serves views and histories',
      memorySize: 1024,
      // API Gateway waits at most 30 seconds for an answer.
      timeout: Duration.seconds(29),
      environment: { ...apiEnvironment(props), AUTH_MODE: 'api-gateway' },
      logRetention: props.logRetention,
      logLevel: props.logLevel,
    });
    this.cursorSecret = new Secret(this, 'CursorSecret', {
      description: 'Signs the API pagination cursors (read at run time through LEDGER_CURSOR_SECRET_ARN)',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      // Only cursors in flight depend on it, and they expire within a day.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    grantCursorSecret(this, this.cursorSecret);
    Validations.of(this.cursorSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Rotating the key only ends the cursors in flight, which expire within a day anyway, so a rotation ' +
        `function is not worth its upkeep. To rotate by hand, put a new value in the secret: every instance reads ` +
        `it again within ${CURSOR_SECRET_MAX_AGE_SECONDS / 60} minutes.`,
    });

    grantApiAccess(this, props);
  }
}

/**
 * The environment of a function that serves the API, however requests reach it; the caller adds `AUTH_MODE`,
 * which depends on what stands in front.
 */
export function apiEnvironment(props: ApiFunctionProps): Record<string, string> {
  const { tables } = props;
  return {
    LEDGER_TABLE: tables.ledger.tableName,
    VIEWS_TABLE: tables.views.tableName,
    KEYS_TABLE: tables.keys.tableName,
    NOTIFICATIONS_TABLE: tables.notifications.tableName,
    KEY_WRAPPING: 'kms',
    KMS_KEY_ID: props.personalDataKey.key.keyArn,
    LEDGER_ROLES_CLAIM: props.rolesClaim,
    OIDC_PII_SCOPE: props.pii.scope,
    ...(props.pii.group !== undefined && { OIDC_PII_GROUP: props.pii.group }),
    ALERT_CONSULAR_VISIT_DAYS: String(props.alertThresholds.consularVisitDays),
    ALERT_CUSTODY_EXPIRING_DAYS: String(props.alertThresholds.custodyExpiringDays),
    ALERT_NO_NEWS_DAYS: String(props.alertThresholds.noNewsDays),
    LOG_TABLE: tables.log.tableName,
    LOG_BUCKET: props.log.tiles.bucket.bucketName,
    LOG_KMS_KEY_ID: props.log.signingKey.key.keyArn,
    LOG_ORIGIN: props.log.identity.origin,
    // `/log/key` lists the witnesses' keys after the log's, and evidence packets name them.
    ...(props.log.identity.witnesses !== undefined && { LOG_WITNESSES: props.log.identity.witnesses }),
  };
}

/**
 * Lets a function that serves the API read the cursor key at run time: its ARN in `LEDGER_CURSOR_SECRET_ARN`,
 * and only that secret readable.
 */
export function grantCursorSecret(api: LedgerFunction, secret: ISecret): void {
  // The function reads the key itself, at run time: its value never enters the function's configuration,
  // where anyone allowed to read the function (lambda:GetFunctionConfiguration) would see it.
  api.function.addEnvironment('LEDGER_CURSOR_SECRET_ARN', secret.secretArn);
  Grant.addToPrincipal({
    grantee: api.role,
    actions: ['secretsmanager:GetSecretValue'],
    resourceArns: [secret.secretArn],
  });
}

/**
 * What a function that serves the API may do in the tables: read the ledger and append to it — conditional
 * puts, never an update or a delete — read the views, and read, make and delete (to erase a case) the case
 * keys, and read and write the notifications (subscriptions, webhook endpoints). Of the transparency log it
 * reads the table, the tiles and the key's public half, and writes nothing: the integrator alone does. The
 * personal-data key is granted by the stack, to all of the API's functions at once.
 */
export function grantApiAccess(api: LedgerFunction, props: ApiFunctionProps): void {
  const { tables } = props;
  grantTableAccess(api.function, tables.ledger, tables.definitions.ledger, 'read');
  grantTableAccess(api.function, tables.ledger, tables.definitions.ledger, 'put');
  grantTableAccess(api.function, tables.views, tables.definitions.views, 'read');
  for (const access of ['get', 'put', 'delete'] as const) {
    grantTableAccess(api.function, tables.keys, tables.definitions.keys, access);
  }
  // Subscriptions and webhook endpoints are managed through the API: made, changed, confirmed, unsubscribed.
  for (const access of ['read', 'put', 'update', 'delete'] as const) {
    grantTableAccess(api.function, tables.notifications, tables.definitions.notifications, access);
  }
  grantTableAccess(api.function, tables.log, tables.definitions.log, 'read');
  props.log.tiles.grantRead(api.role);
  props.log.signingKey.grantPublicKey(api.role);
}
