import { CfnOutput, Duration, Stack, type StackProps, Tags } from 'aws-cdk-lib';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { StackConfig } from './config/stack-config.ts';
import { ApiFunction } from './constructs/api-function.ts';
import { DigestFunction } from './constructs/digest-function.ts';
import { LedgerHttpApi } from './constructs/http-api.ts';
import { LedgerAlarms } from './constructs/ledger-alarms.ts';
import { LedgerAuth } from './constructs/ledger-auth.ts';
import { LedgerDashboard } from './constructs/ledger-dashboard.ts';
import { LedgerTables } from './constructs/ledger-tables.ts';
import { PersonalDataKey } from './constructs/personal-data-key.ts';
import { ProjectorFunction } from './constructs/projector-function.ts';
import { StreamingApiFunction } from './constructs/streaming-api-function.ts';

export interface LedgerStackProps extends StackProps {
  readonly config: StackConfig;
}

/** The stack's name for a stage: several stages can share an account and region. */
export function stackNameFor(stage: string): string {
  return `detention-ledger-${stage}`;
}

/**
 * The whole ledger on AWS (docs/operations.md): the tables, the API behind an HTTP API with a JWT authorizer, the
 * projector on the ledger's stream, the scheduled digest, the KMS key that wraps the case keys, and the
 * alarms and dashboard that watch them.
 */
export class LedgerStack extends Stack {
  readonly tables: LedgerTables;
  readonly personalDataKey: PersonalDataKey;
  readonly apiFunction: ApiFunction;
  /** The API on a function URL that streams, for exports beyond API Gateway's 6 MB. */
  readonly streamingApi: StreamingApiFunction;
  /** The streaming function's URL (IAM-signed requests only). */
  readonly streamingUrl: string;
  readonly projector: ProjectorFunction;
  readonly digest: DigestFunction;
  readonly auth: LedgerAuth;
  readonly httpApi: LedgerHttpApi;
  readonly alarms: LedgerAlarms;
  readonly dashboard: LedgerDashboard;

  constructor(scope: Construct, id: string, props: LedgerStackProps) {
    super(scope, id, props);
    const { config } = props;
    // The schema only accepts the values of `RetentionDays`.
    const logRetention = config.logRetentionDays as RetentionDays;
    Tags.of(this).add('project', 'detention-ledger');
    Tags.of(this).add('stage', config.stage);

    this.tables = new LedgerTables(this, 'Tables', { allowKeyBackups: config.allowKeyBackups });
    this.personalDataKey = new PersonalDataKey(this, 'PersonalDataKey', {
      ...(config.breakGlassPrincipalArn && { breakGlassPrincipalArn: config.breakGlassPrincipalArn }),
    });
    const apiProps = {
      tables: this.tables,
      personalDataKey: this.personalDataKey,
      rolesClaim: config.jwtRolesClaim,
      alertThresholds: {
        consularVisitDays: config.alertConsularVisitDays,
        custodyExpiringDays: config.alertCustodyExpiringDays,
        noNewsDays: config.alertNoNewsDays,
      },
      logRetention,
      logLevel: config.logLevel,
    };
    this.apiFunction = new ApiFunction(this, 'ApiFunction', apiProps);
    this.streamingApi = new StreamingApiFunction(this, 'StreamingApiFunction', {
      ...apiProps,
      cursorSecret: this.apiFunction.cursorSecret,
    });
    this.streamingUrl = this.streamingApi.url.url;
    this.personalDataKey.grantWrapAndUnwrap(this.apiFunction.role, this.streamingApi.role);
    this.projector = new ProjectorFunction(this, 'Projector', {
      tables: this.tables,
      logRetention,
      logLevel: config.logLevel,
      retryAttempts: config.projectorRetryAttempts,
      maxRecordAge: Duration.hours(config.projectorMaxRecordAgeHours),
      parallelizationFactor: config.projectorParallelization,
    });
    this.digest = new DigestFunction(this, 'Digest', {
      tables: this.tables,
      schedule: config.digestSchedule,
      logRetention,
      logLevel: config.logLevel,
    });

    this.auth = new LedgerAuth(this, 'Auth', {
      ...(config.jwtIssuer &&
        config.jwtAudience && { externalIssuer: { url: config.jwtIssuer, audience: config.jwtAudience } }),
    });
    this.httpApi = new LedgerHttpApi(this, 'HttpApi', {
      handler: this.apiFunction.function,
      authorizer: this.auth.authorizer,
      throttle: { rateLimit: config.apiRateLimit, burstLimit: config.apiBurstLimit },
      logRetention,
    });

    const functions = {
      api: this.apiFunction.function,
      projector: this.projector.function,
      digest: this.digest.function,
    };
    const tamperSignals = this.projector.metricTamperSignals();
    this.alarms = new LedgerAlarms(this, 'Alarms', {
      api: this.httpApi.api,
      functions,
      deadLetterQueue: this.projector.deadLetterQueue,
      tamperSignals,
      thresholds: {
        iteratorAgeSeconds: config.alarmIteratorAgeSeconds,
        dlqMessages: config.alarmDlqMessages,
        api5xxPercent: config.alarmApi5xxPercent,
        lambdaErrors: config.alarmLambdaErrors,
        lambdaThrottles: config.alarmLambdaThrottles,
      },
      ...(config.alarmEmail && { email: config.alarmEmail }),
    });
    this.dashboard = new LedgerDashboard(this, 'Dashboard', {
      alarms: this.alarms.alarms,
      api: this.httpApi.api,
      functions,
      tamperSignals,
    });

    this.addOutputs(config);
  }

  private addOutputs(config: StackConfig): void {
    const output = (id: string, value: string, description: string) =>
      new CfnOutput(this, id, { value, description });
    output('ApiUrl', this.httpApi.url, 'Base URL of the API');
    output(
      'StreamingApiUrl',
      this.streamingUrl,
      'The API on a function URL that streams exports of any size (IAM-signed requests only: for CloudFront)',
    );
    output(
      'LedgerTableName',
      this.tables.ledger.tableName,
      'The ledger table (kept when the stack is deleted)',
    );
    output('ViewsTableName', this.tables.views.tableName, 'The views table (rebuilt from the ledger)');
    output(
      'CaseKeysTableName',
      this.tables.keys.tableName,
      config.allowKeyBackups
        ? "The case keys table (kept when the stack is deleted; restore a backup only with the ledger's key restore)"
        : 'The case keys table (kept when the stack is deleted; it refuses backups, so that erasure holds)',
    );
    output(
      'PersonalDataKeyArn',
      this.personalDataKey.key.keyArn,
      'KMS key that wraps the case keys (kept when the stack is deleted)',
    );
    output(
      'DigestFunctionName',
      this.digest.function.functionName,
      'Takes a ledger digest when invoked; also runs on the digestSchedule',
    );
    output('JwtIssuer', this.auth.issuer, 'Issuer of the tokens the API accepts');
    if (this.auth.userPool && this.auth.userPoolClient) {
      output('UserPoolId', this.auth.userPool.userPoolId, 'Cognito user pool of the API users');
      output('UserPoolClientId', this.auth.userPoolClient.userPoolClientId, 'App client to sign in with');
    }
    output('AlarmTopicArn', this.alarms.topic.topicArn, 'SNS topic the alarms notify');
    output('DashboardName', this.dashboard.dashboard.dashboardName, 'CloudWatch dashboard');
  }
}
