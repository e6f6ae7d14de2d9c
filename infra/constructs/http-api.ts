import { Stack, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  type HttpStage,
  type IHttpRouteAuthorizer,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/**
 * The routes anyone may call: a load balancer's health probe, the API's own description, and the transparency
 * log's public half (docs/log.md: its checkpoint, keys, tiles and entry bundles, and consistency proofs), which
 * holds hashes only and must be readable by witnesses and auditors who have no account. An inclusion proof
 * (`/log/proof/inclusion`) is not among them: it takes an event id, which is not public, so it needs a token.
 */
export const PUBLIC_PATHS = [
  '/health',
  '/openapi.json',
  '/log/checkpoint',
  '/log/key',
  '/log/tile/{proxy+}',
  '/log/proof/consistency',
] as const;

/** One JSON object per request; `principal` is the token's subject, so access can be traced to a user. */
const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: '$context.requestId',
  requestTime: '$context.requestTime',
  sourceIp: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
  principal: '$context.authorizer.claims.sub',
  method: '$context.httpMethod',
  path: '$context.path',
  routeKey: '$context.routeKey',
  status: '$context.status',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationLatency: '$context.integrationLatency',
  error: '$context.error.message',
  authorizerError: '$context.authorizer.error',
  integrationError: '$context.integrationErrorMessage',
});

export interface LedgerHttpApiProps {
  readonly handler: IFunction;
  readonly authorizer: IHttpRouteAuthorizer;
  /** Steady requests per second and burst, for the whole API. */
  readonly throttle: { readonly rateLimit: number; readonly burstLimit: number };
  readonly logRetention: RetentionDays;
}

/**
 * The HTTP API (API Gateway v2) in front of the API function: every route goes to the one Hono app, behind
 * the JWT authorizer but for `PUBLIC_PATHS`; one `$default` stage, throttled, with JSON access logs.
 */
export class LedgerHttpApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly accessLogs: LogGroup;

  constructor(scope: Construct, id: string, props: LedgerHttpApiProps) {
    super(scope, id);
    const integration = new HttpLambdaIntegration('Integration', props.handler);

    this.api = new HttpApi(this, 'Api', {
      apiName: Stack.of(this).stackName,
      description: 'detention-ledger API',
      defaultIntegration: integration,
      defaultAuthorizer: props.authorizer,
      // The stage is made below, with throttling and access logs, which the default stage cannot have.
      createDefaultStage: false,
    });

    this.accessLogs = new LogGroup(this, 'AccessLogs', { retention: props.logRetention });
    this.stage = this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: props.throttle,
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        format: AccessLogFormat.custom(ACCESS_LOG_FORMAT),
      },
    });

    for (const path of PUBLIC_PATHS) {
      const [route] = this.api.addRoutes({
        path,
        methods: [HttpMethod.GET],
        integration,
        authorizer: new HttpNoneAuthorizer(),
      });
      if (route) {
        Validations.of(route).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: `GET ${path} is public by design: it reveals no case data; every other route requires a token.`,
        });
      }
    }
  }

  /** The API's base URL, ending in `/`. */
  get url(): string {
    return this.stage.url;
  }
}
