import path from 'node:path';
import { type CfnElement, DefaultStackSynthesizer, Duration, Stack, Validations } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  AllowedMethods,
  type BehaviorOptions,
  CachePolicy,
  Function as CloudFrontFunction,
  Distribution,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  OriginSslPolicy,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { FunctionUrlOrigin, HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import type { IFunctionUrl } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import type { WebAppConfig } from './web-app-config.ts';

/**
 * The export routes that stream from the function URL: everything else goes through API Gateway, whose answers
 * are cut at 6 MB. (`GET /cases/{id}/events` with `Accept: application/x-ndjson` streams on the function URL's
 * path only, since CloudFront routes by path, not by header.)
 */
export const STREAMED_PATHS = ['/cases.csv', '/cases/*/events.ndjson'] as const;

/**
 * The viewer-request function of `/app` and `/app/*`: the build's files are `/app/assets/…` and the files at its
 * top (`/app/index.html`, `/app/config.json`); every other path is one of the application's own routes
 * (`/app/cases/…`, whose case ids may hold a dot) and is its `index.html`. `/app` itself moves to `/app/`. Files
 * that do not exist stay 403/404s from S3. Plain JavaScript for CloudFront's `cloudfront-js-2.0` runtime, and run
 * by the tests on sample paths.
 */
export const APP_FALLBACK_CODE = `function handler(event) {
  var request = event.request;
  if (request.uri === '/app') {
    return { statusCode: 301, statusDescription: 'Moved Permanently', headers: { location: { value: '/app/' } } };
  }
  var file = request.uri.indexOf('/app/assets/') === 0 || /^\\/app\\/[^\\/]+\\.[^\\/]+$/.test(request.uri);
  if (!file) request.uri = '/app/index.html';
  return request;
}`;

/**
 * The viewer-request function of the streamed paths: origin access control signs the request to the function
 * URL in \`Authorization\`, overwriting the viewer's bearer token, so the token is copied to
 * \`x-viewer-authorization\` first (what functions/api/viewer-authorization.ts reads). A viewer's own
 * \`x-viewer-authorization\` is dropped, so the app sees exactly the \`Authorization\` the viewer sent.
 */
export const VIEWER_AUTHORIZATION_CODE = `function handler(event) {
  var request = event.request;
  var headers = request.headers;
  delete headers['x-viewer-authorization'];
  if (headers.authorization) headers['x-viewer-authorization'] = { value: headers.authorization.value };
  return request;
}`;

/** Vite names the files under `assets/` by their content's hash: a new build means new names. */
const IMMUTABLE = CacheControl.fromString('public, max-age=31536000, immutable');

export interface WebDistributionProps {
  /** The built web application (`web/dist`): `index.html` and `assets/`. */
  readonly webDist: string;
  /** The HTTP API, for every path but the application's and the streamed exports'. */
  readonly api: IHttpApi;
  /** The streaming function's URL (`AWS_IAM`), for `STREAMED_PATHS`. */
  readonly streamingUrl: IFunctionUrl;
  /** Origins the browser reaches to sign in: the issuer's and its endpoints'. */
  readonly signInOrigins: readonly string[];
  /** How long CloudFront's and the web bucket's access logs are kept, and the deployment's own logs. */
  readonly logRetention: RetentionDays;
}

/**
 * One domain for the web application and the API: a CloudFront distribution serving `/app/*` from a private
 * S3 bucket (origin access control), the streamed exports from the streaming function's URL (origin access
 * control for Lambda), and everything else from the HTTP API, uncached, with the viewer's `Authorization` and
 * query strings. Every answer carries the same security headers (a strict Content-Security-Policy, HSTS,
 * `nosniff`, no referrer, no framing), and every request is logged.
 */
export class WebDistribution extends Construct {
  readonly distribution: Distribution;
  readonly bucket: Bucket;
  readonly logBucket: Bucket;
  readonly responseHeaders: ResponseHeadersPolicy;
  readonly appFallback: CloudFrontFunction;
  readonly viewerAuthorization: CloudFrontFunction;
  readonly #webDist: string;
  readonly #logRetention: RetentionDays;

  constructor(scope: Construct, id: string, props: WebDistributionProps) {
    super(scope, id);
    this.#webDist = props.webDist;
    this.#logRetention = props.logRetention;
    const { region, urlSuffix } = Stack.of(this);

    // CloudFront's standard logs are written with ACLs, so the log bucket lets the bucket owner own them.
    this.logBucket = new Bucket(this, 'AccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      // A retention period in days, as the log groups' (never "infinite": the schema refuses it).
      lifecycleRules: [{ expiration: Duration.days(props.logRetention) }],
    });
    Validations.of(this.logBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This bucket holds the access logs of the distribution and of the web bucket; logging its own access ' +
        'would need another bucket, whose access would be logged nowhere. Reading it is an IAM action in CloudTrail.',
    });
    this.bucket = new Bucket(this, 'App', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 'web-bucket/',
    });

    this.appFallback = new CloudFrontFunction(this, 'AppFallback', {
      comment: 'Paths of the web application that name no file are its index.html',
      code: FunctionCode.fromInline(APP_FALLBACK_CODE),
      runtime: FunctionRuntime.JS_2_0,
    });
    this.viewerAuthorization = new CloudFrontFunction(this, 'ViewerAuthorization', {
      comment: "Hands the viewer's Authorization to the streaming function beside CloudFront's signature",
      code: FunctionCode.fromInline(VIEWER_AUTHORIZATION_CODE),
      runtime: FunctionRuntime.JS_2_0,
    });

    const origins = props.signInOrigins.join(' ');
    this.responseHeaders = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'detention-ledger: what every answer of the web application and the API carries',
      securityHeadersBehavior: {
        // As the local runtime's (local/web-host.ts), with the provider's origins for signing in.
        contentSecurityPolicy: {
          contentSecurityPolicy: [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            `connect-src 'self' ${origins}`,
            "frame-ancestors 'none'",
            "base-uri 'none'",
            `form-action 'self' ${origins}`,
          ].join('; '),
          override: true,
        },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(730),
          includeSubdomains: true,
          override: true,
        },
        contentTypeOptions: { override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
      },
    });

    const apiOrigin = new HttpOrigin(`${props.api.apiId}.execute-api.${region}.${urlSuffix}`, {
      protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [OriginSslPolicy.TLS_V1_2],
    });
    const streamingOrigin = FunctionUrlOrigin.withOriginAccessControl(props.streamingUrl, {
      // The export's first bytes come after the first page of views is read; after that bytes keep coming.
      readTimeout: Duration.seconds(60),
    });
    const appOrigin = S3BucketOrigin.withOriginAccessControl(this.bucket);
    const responseHeadersPolicy = this.responseHeaders;

    // The API: never cached; CloudFront forwards `Authorization` with a policy like this one only because
    // caching is off. The Host header stays API Gateway's own, which it needs to find the API.
    const toApi: BehaviorOptions = {
      origin: apiOrigin,
      allowedMethods: AllowedMethods.ALLOW_ALL,
      cachePolicy: CachePolicy.CACHING_DISABLED,
      originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
      responseHeadersPolicy,
    };
    // The exports: GET only, since origin access control for Lambda signs no request body the viewer did not
    // hash itself; and the Host header is the function URL's, which its signature covers.
    const toStreaming: BehaviorOptions = {
      origin: streamingOrigin,
      allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
      cachePolicy: CachePolicy.CACHING_DISABLED,
      originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
      responseHeadersPolicy,
      // Compressing would have CloudFront gather what the function streams.
      compress: false,
      functionAssociations: [
        { function: this.viewerAuthorization, eventType: FunctionEventType.VIEWER_REQUEST },
      ],
    };
    const toApp: BehaviorOptions = {
      origin: appOrigin,
      allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
      cachePolicy: CachePolicy.CACHING_OPTIMIZED,
      viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      responseHeadersPolicy,
      compress: true,
      functionAssociations: [{ function: this.appFallback, eventType: FunctionEventType.VIEWER_REQUEST }],
    };

    this.distribution = new Distribution(this, 'Distribution', {
      comment: `${Stack.of(this).stackName}: the web application and the API`,
      defaultBehavior: toApi,
      additionalBehaviors: {
        '/app': toApp,
        '/app/*': toApp,
        ...Object.fromEntries(STREAMED_PATHS.map((pattern) => [pattern, toStreaming])),
      },
      httpVersion: HttpVersion.HTTP2_AND_3,
      enableLogging: true,
      logBucket: this.logBucket,
      logFilePrefix: 'cloudfront/',
    });
    Validations.of(this.distribution).acknowledge(
      {
        id: 'AwsSolutions-CFR1',
        reason:
          'Consular desks, NGOs and lawyers work from any country, often abroad: a geographic restriction would ' +
          'lock out exactly the people the ledger is for.',
      },
      {
        id: 'AwsSolutions-CFR2',
        reason:
          'Every API request passes API Gateway, throttled per stage and behind its JWT authorizer, or the ' +
          'streaming function, capped by reserved concurrency; a WAF web ACL is charged monthly and per request, ' +
          'so it is left to deployments that need rate rules per client.',
      },
      {
        id: 'AwsSolutions-CFR4',
        reason:
          "The distribution uses CloudFront's own *.cloudfront.net certificate, for which CloudFront fixes the " +
          'viewer security policy; a deployment with its own domain and certificate sets TLSv1.2_2021.',
      },
    );
  }

  /** The distribution's `https://` address. */
  get origin(): string {
    return `https://${this.distribution.distributionDomainName}`;
  }

  /** The web application's address, the one to give people. */
  get appUrl(): string {
    return `${this.origin}/app/`;
  }

  /**
   * Deploys the built application under `app/`, and `app/config.json` from the stack's own values: the hashed
   * assets cached for a year, `index.html` and `config.json` checked again on every load, so a new deployment
   * shows at once. Nothing is pruned: a tab opened before a deployment still finds the assets it names.
   */
  deployApp(config: WebAppConfig): void {
    // Both deployments run in aws-cdk-lib's one copying function, which logs here.
    const logGroup = new LogGroup(this, 'DeploymentLogs', { retention: this.#logRetention });
    new BucketDeployment(this, 'DeployAssets', {
      logGroup,
      sources: [Source.asset(path.join(this.#webDist, 'assets'))],
      destinationBucket: this.bucket,
      destinationKeyPrefix: 'app/assets/',
      cacheControl: [IMMUTABLE],
      prune: false,
    });
    new BucketDeployment(this, 'DeployIndexAndConfig', {
      logGroup,
      sources: [
        // Not the build's own records (the stamp of what it was built from): only what the application serves.
        Source.asset(this.#webDist, { exclude: ['assets', 'assets/**', '.*'] }),
        Source.jsonData('config.json', config),
      ],
      destinationBucket: this.bucket,
      destinationKeyPrefix: 'app/',
      cacheControl: [CacheControl.noCache()],
      prune: false,
    });
    acknowledgeDeploymentHandler(this, this.bucket);
  }
}

/**
 * The deployments' one copying function is aws-cdk-lib's own (a singleton at the stack's root), made as it makes
 * it: it runs only while CloudFormation deploys, copying the build from the CDK assets bucket into the web bucket.
 * cdk-nag names each wildcard it finds, so each is acknowledged by name, and a new one would fail the synth.
 */
function acknowledgeDeploymentHandler(scope: Construct, bucket: Bucket): void {
  const stack = Stack.of(scope);
  const handler = stack.node.children.find((child) =>
    child.node.id.startsWith('Custom::CDKBucketDeployment'),
  );
  if (!handler) return;
  const bucketId = stack.getLogicalId(bucket.node.defaultChild as CfnElement);
  const assets = `arn:<AWS::Partition>:s3:::cdk-${DefaultStackSynthesizer.DEFAULT_QUALIFIER}-assets-<AWS::AccountId>-<AWS::Region>/*`;
  const wildcards = [
    'Action::s3:GetBucket*',
    'Action::s3:GetObject*',
    'Action::s3:List*',
    'Action::s3:Abort*',
    'Action::s3:DeleteObject*',
    `Resource::${assets}`,
    `Resource::<${bucketId}.Arn>/*`,
  ];
  Validations.of(handler).acknowledge(
    {
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason:
        "aws-cdk-lib's bucket deployment function writes its logs with AWSLambdaBasicExecutionRole, as every " +
        'custom resource of aws-cdk-lib does; it runs only during deployments.',
    },
    ...wildcards.map((finding) => ({
      id: `AwsSolutions-IAM5[${finding}]`,
      reason:
        'The bucket deployment function copies every object of the build: it may read the CDK assets bucket and ' +
        'write and delete objects in the web bucket, which is all its wildcards allow.',
    })),
    {
      id: 'AwsSolutions-L1',
      reason:
        "The bucket deployment function's runtime (Python, with the AWS CLI layer) is chosen by aws-cdk-lib and " +
        'moves with it; it runs only during deployments and takes no request from outside.',
    },
  );
}
