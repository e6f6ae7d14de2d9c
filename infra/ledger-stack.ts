import path from 'node:path';
import { CfnOutput, Duration, Stack, type StackProps, Tags } from 'aws-cdk-lib';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { StringParameter } from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';
import { domainOf } from '../functions/notify/ses-identity.ts';
import { defaultLogOrigin } from './config/log-context.ts';
import type { StackConfig } from './config/stack-config.ts';
import { ApiFunction } from './constructs/api-function.ts';
import { DigestFunction } from './constructs/digest-function.ts';
import { LedgerHttpApi } from './constructs/http-api.ts';
import { LedgerAlarms } from './constructs/ledger-alarms.ts';
import { LedgerAuth } from './constructs/ledger-auth.ts';
import { LedgerDashboard } from './constructs/ledger-dashboard.ts';
import { LedgerTables } from './constructs/ledger-tables.ts';
import { type LogIdentity, LogIntegratorFunction } from './constructs/log-integrator-function.ts';
import { LogSigningKey } from './constructs/log-signing-key.ts';
import { LogTilesBucket } from './constructs/log-tiles-bucket.ts';
import { NotifierFunction, type NotifierFunctionProps } from './constructs/notifier-function.ts';
import { NotifyLinkSecret } from './constructs/notify-link-secret.ts';
import { PersonalDataKey } from './constructs/personal-data-key.ts';
import { ProjectorFunction } from './constructs/projector-function.ts';
import { StreamingApiFunction } from './constructs/streaming-api-function.ts';
import { WebDistribution } from './constructs/web-distribution.ts';
import { WEBHOOK_VISIBILITY_TIMEOUT, WebhookFunction } from './constructs/webhook-function.ts';
import { WebhookQueue } from './constructs/webhook-queue.ts';
import { REPO_ROOT } from './function-entries.ts';

/** The parts of the stack that tell subscribers, made only when `notifyFrom` is set. */
export interface LedgerNotifications {
  readonly linkSecret: NotifyLinkSecret;
  readonly webhookQueue: WebhookQueue;
  readonly notifier: NotifierFunction;
  readonly webhooks: WebhookFunction;
}

/** The transparency log's parts (docs/log.md); its table is among `tables`. */
export interface LedgerLog {
  readonly tiles: LogTilesBucket;
  readonly signingKey: LogSigningKey;
  readonly identity: LogIdentity;
  readonly integrator: LogIntegratorFunction;
}

export interface LedgerStackProps extends StackProps {
  readonly config: StackConfig;
}

/** The stack's name for a stage: several stages can share an account and region. */
export function stackNameFor(stage: string): string {
  return `detention-ledger-${stage}`;
}

/**
 * The whole ledger on AWS (docs/operations.md): the tables, the API behind an HTTP API with a JWT authorizer and,
 * for exports of any size, on a streaming function URL; both and the web application behind one CloudFront
 * distribution; sign-in at the stack's Cognito user pool or an existing OpenID provider; the projector on the
 * ledger's stream, the scheduled digest, the KMS key that wraps the case keys, the transparency log (its table,
 * its tiles bucket, its Ed25519 signing key and its integrator on the stream and a schedule), and the alarms and
 * dashboard that watch them.
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
  /** The transparency log: where its tiles are, the key that signs it, who it is, and its integrator. */
  readonly log: LedgerLog;
  readonly auth: LedgerAuth;
  readonly httpApi: LedgerHttpApi;
  /** The one domain of the web application and the API. */
  readonly web: WebDistribution;
  readonly alarms: LedgerAlarms;
  readonly dashboard: LedgerDashboard;
  /** With `notifyFrom` set: the notifier, its webhook queue and consumer, and the key of the email links. */
  readonly notifications: LedgerNotifications | undefined;

  constructor(scope: Construct, id: string, props: LedgerStackProps) {
    super(scope, id, props);
    const { config } = props;
    // The schema only accepts the values of `RetentionDays`.
    const logRetention = config.logRetentionDays as RetentionDays;
    Tags.of(this).add('project', 'detention-ledger');
    Tags.of(this).add('stage', config.stage);

    this.tables = new LedgerTables(this, 'Tables', { allowKeyBackups: config.allowKeyBackups });
    const breakGlass = config.breakGlassPrincipalArn && {
      breakGlassPrincipalArn: config.breakGlassPrincipalArn,
    };
    this.personalDataKey = new PersonalDataKey(this, 'PersonalDataKey', { ...breakGlass });
    const logTiles = new LogTilesBucket(this, 'LogTiles');
    const logSigningKey = new LogSigningKey(this, 'LogSigningKey', { ...breakGlass });
    const logIdentity: LogIdentity = {
      origin: config.logOrigin ?? defaultLogOrigin(this.stackName),
      ...(config.logWitnesses !== undefined && { witnesses: config.logWitnesses }),
    };
    this.auth = new LedgerAuth(this, 'Auth', {
      rolesClaim: config.jwtRolesClaim,
      domainPrefix: config.cognitoDomainPrefix ?? stackNameFor(config.stage),
      ...(config.jwtIssuer &&
        config.jwtAudience &&
        config.webClientId && {
          externalIssuer: {
            url: config.jwtIssuer,
            audience: config.jwtAudience,
            webClientId: config.webClientId,
            endpointOrigins: config.jwtEndpointOrigins ?? [],
            scopes: config.jwtScopes,
            piiScope: config.jwtPiiScope,
            ...(config.jwtPiiGroup && { piiGroup: config.jwtPiiGroup }),
          },
        }),
    });
    const apiProps = {
      tables: this.tables,
      personalDataKey: this.personalDataKey,
      rolesClaim: config.jwtRolesClaim,
      pii: this.auth.pii,
      alertThresholds: {
        consularVisitDays: config.alertConsularVisitDays,
        custodyExpiringDays: config.alertCustodyExpiringDays,
        noNewsDays: config.alertNoNewsDays,
      },
      log: { tiles: logTiles, signingKey: logSigningKey, identity: logIdentity },
      logRetention,
      logLevel: config.logLevel,
    };
    this.apiFunction = new ApiFunction(this, 'ApiFunction', apiProps);
    // The stack's own web client is made after the distribution, which stands in front of the streaming
    // function: its id reaches the function through a parameter named here, not through the environment.
    const webAudienceParameter = this.auth.userPool ? `/${this.stackName}/oidc-web-audience` : undefined;
    this.streamingApi = new StreamingApiFunction(this, 'StreamingApiFunction', {
      ...apiProps,
      cursorSecret: this.apiFunction.cursorSecret,
      tokens: {
        issuer: this.auth.issuer,
        audiences: [...this.auth.audiences],
        ...(webAudienceParameter && { audienceParameterName: webAudienceParameter }),
      },
      ...(config.streamingConcurrency !== undefined && { reservedConcurrency: config.streamingConcurrency }),
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
    this.log = {
      tiles: logTiles,
      signingKey: logSigningKey,
      identity: logIdentity,
      integrator: new LogIntegratorFunction(this, 'LogIntegrator', {
        tables: this.tables,
        tiles: logTiles,
        signingKey: logSigningKey,
        identity: logIdentity,
        logRetention,
        logLevel: config.logLevel,
      }),
    };
    this.digest = new DigestFunction(this, 'Digest', {
      tables: this.tables,
      schedule: config.digestSchedule,
      logRetention,
      logLevel: config.logLevel,
    });

    this.httpApi = new LedgerHttpApi(this, 'HttpApi', {
      handler: this.apiFunction.function,
      authorizer: this.auth.authorizer,
      throttle: { rateLimit: config.apiRateLimit, burstLimit: config.apiBurstLimit },
      logRetention,
    });

    this.web = new WebDistribution(this, 'Web', {
      webDist: path.resolve(REPO_ROOT, config.webDist),
      api: this.httpApi.api,
      streamingUrl: this.streamingApi.url,
      signInOrigins: this.auth.signInOrigins,
      logRetention,
    });
    const appConfig = this.auth.addWebClient(this.web.distribution.distributionDomainName);
    if (webAudienceParameter && this.auth.webClient) {
      new StringParameter(this, 'WebAudience', {
        parameterName: webAudienceParameter,
        description: "The web application's client id, an audience the streaming function accepts",
        stringValue: this.auth.webClient.userPoolClientId,
      });
    }
    this.web.deployApp(
      config.signInName === undefined
        ? appConfig
        : { signIn: { ...appConfig.signIn, providerName: config.signInName } },
    );

    this.notifications = config.notifyFrom
      ? this.addNotifications(config, config.notifyFrom, apiProps.alertThresholds, logRetention)
      : undefined;

    const functions = {
      api: this.apiFunction.function,
      streaming: this.streamingApi.function,
      projector: this.projector.function,
      digest: this.digest.function,
      logIntegrator: this.log.integrator.function,
      ...(this.notifications && {
        notifier: this.notifications.notifier.function,
        webhooks: this.notifications.webhooks.function,
      }),
    };
    const tamperSignals = this.projector.metricTamperSignals();
    this.alarms = new LedgerAlarms(this, 'Alarms', {
      api: this.httpApi.api,
      functions,
      deadLetterQueue: this.projector.deadLetterQueue,
      logStreamDeadLetters: this.log.integrator.streamDeadLetterQueue,
      ...(this.notifications && {
        notificationDeadLetters: {
          webhooks: this.notifications.webhookQueue.deadLetterQueue,
          notifierStream: this.notifications.notifier.streamDeadLetterQueue,
        },
      }),
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

  /**
   * The notifier on its schedule and the ledger's stream, the webhook queue and its consumer, and the key that
   * signs the links in emails, which the API functions read too (they check confirm and unsubscribe links).
   * Links lead to the web application on the stack's own domain.
   */
  private addNotifications(
    config: StackConfig,
    from: string,
    alertThresholds: NotifierFunctionProps['alertThresholds'],
    logRetention: RetentionDays,
  ): LedgerNotifications {
    const sender = { from, sesIdentity: config.sesIdentity ?? domainOf(from) };
    const linkSecret = new NotifyLinkSecret(this, 'NotifyLinkSecret');
    const webhookQueue = new WebhookQueue(this, 'WebhookQueue', {
      maxReceiveCount: config.webhookMaxReceiveCount,
      visibilityTimeout: WEBHOOK_VISIBILITY_TIMEOUT,
    });
    const logging = { logRetention, logLevel: config.logLevel };
    const appBaseUrl = this.web.appUrl;
    const notifier = new NotifierFunction(this, 'Notifier', {
      ...logging,
      tables: this.tables,
      schedule: config.notifySchedule,
      sender,
      appBaseUrl,
      linkSecret,
      webhookQueue,
      alertThresholds,
    });
    const webhooks = new WebhookFunction(this, 'Webhooks', {
      ...logging,
      tables: this.tables,
      queue: webhookQueue,
      sender,
      appBaseUrl,
      linkSecret,
    });
    linkSecret.grantRead(this.apiFunction);
    linkSecret.grantRead(this.streamingApi);
    return { linkSecret, webhookQueue, notifier, webhooks };
  }

  private addOutputs(config: StackConfig): void {
    const output = (id: string, value: string, description: string) =>
      new CfnOutput(this, id, { value, description });
    output(
      'WebAppUrl',
      this.web.appUrl,
      'The web application: the address to give the people who use the ledger',
    );
    output(
      'DistributionUrl',
      this.web.origin,
      'The one domain of the web application and the API (the API under it answers as at ApiUrl)',
    );
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
    if (this.auth.webClient && this.auth.domain) {
      output('WebClientId', this.auth.webClient.userPoolClientId, "The web application's app client");
      output('SignInDomain', this.auth.domain.baseUrl(), 'Where people sign in (Cognito managed login)');
    }
    output(
      'NotificationsTableName',
      this.tables.notifications.tableName,
      'Subscriptions, webhook endpoints and the delivery log (kept when the stack is deleted)',
    );
    if (this.notifications) {
      output(
        'WebhookDeadLetterQueueUrl',
        this.notifications.webhookQueue.deadLetterQueue.queueUrl,
        'Webhook deliveries given up on; redrive it to the webhook queue once the receiver answers',
      );
    }
    output(
      'LogOrigin',
      this.log.identity.origin,
      "The transparency log's origin: its checkpoints' first line",
    );
    output(
      'LogTableName',
      this.tables.log.tableName,
      "The transparency log's table: its state, indexes, leaves and checkpoints (kept when the stack is deleted)",
    );
    output(
      'LogBucketName',
      this.log.tiles.bucket.bucketName,
      "The transparency log's tiles and checkpoint, served at /log/ (versioned; kept when the stack is deleted)",
    );
    output(
      'LogSigningKeyArn',
      this.log.signingKey.key.keyArn,
      "KMS key (Ed25519) that signs the log's checkpoints; its public half is at /log/key (kept when the stack is deleted)",
    );
    output(
      'LogIntegratorFunctionName',
      this.log.integrator.function.functionName,
      'Integrates and publishes the log; invoke it for a backfill and publish pass now',
    );
    output('AlarmTopicArn', this.alarms.topic.topicArn, 'SNS topic the alarms notify');
    output('DashboardName', this.dashboard.dashboard.dashboardName, 'CloudWatch dashboard');
  }
}
