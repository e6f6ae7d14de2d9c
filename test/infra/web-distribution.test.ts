import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  APP_FALLBACK_CODE,
  STREAMED_PATHS,
  VIEWER_AUTHORIZATION_CODE,
} from '../../infra/constructs/web-distribution.ts';
import { type LedgerTemplate, logicalIdOf, synthLedgerTemplate } from './ledger-template.ts';

/** CloudFront's managed policies, by the ids CloudFront gives them. */
const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
const CACHING_OPTIMIZED = '658327ea-f89d-4fab-a63d-7e88639e58f6';
const ALL_VIEWER_EXCEPT_HOST_HEADER = 'b689b0a8-53d0-40ab-baf2-68738e2966ac';

interface Behavior {
  PathPattern?: string;
  TargetOriginId: string;
  AllowedMethods: string[];
  CachePolicyId: string;
  OriginRequestPolicyId?: string;
  ResponseHeadersPolicyId: unknown;
  ViewerProtocolPolicy: string;
  FunctionAssociations?: { EventType: string; FunctionARN: unknown }[];
}
interface Origin {
  Id: string;
  DomainName: unknown;
  OriginAccessControlId?: unknown;
  S3OriginConfig?: unknown;
  CustomOriginConfig?: Record<string, unknown>;
}
interface DistributionConfig {
  DefaultCacheBehavior: Behavior;
  CacheBehaviors: Behavior[];
  Origins: Origin[];
  Logging?: { Bucket: unknown; Prefix: string };
  CustomErrorResponses?: unknown;
}

function distributionOf(synth: LedgerTemplate): DistributionConfig {
  const [distribution] = Object.values(synth.template.findResources('AWS::CloudFront::Distribution'));
  return (distribution as { Properties: { DistributionConfig: DistributionConfig } }).Properties
    .DistributionConfig;
}

const ref = (synth: LedgerTemplate, construct: Parameters<typeof logicalIdOf>[1]) => ({
  Ref: logicalIdOf(synth.stack, construct),
});

/** A template value that joins strings and references, written out: `{ Ref: 'X' }` becomes `{X}`. */
function joined(value: unknown): string {
  if (typeof value === 'string') return value;
  const v = value as Record<string, unknown>;
  if (typeof v.Ref === 'string') return `{${v.Ref}}`;
  if (v['Fn::GetAtt']) return `{${(v['Fn::GetAtt'] as string[]).join('.')}}`;
  const [separator, parts] = v['Fn::Join'] as [string, unknown[]];
  return parts.map(joined).join(separator);
}

/** A CloudFront Function's code, run as CloudFront runs it: `handler(event)`. */
type Handler = (event: { request: CloudFrontRequest }) => CloudFrontRequest | Record<string, unknown>;
interface CloudFrontRequest {
  uri: string;
  headers: Record<string, { value: string }>;
}
const handlerOf = (code: string) => new Function(`${code}\nreturn handler;`)() as Handler;
const request = (uri: string, headers: Record<string, { value: string }> = {}) => ({
  request: { uri, headers },
});

/**
 * What the deployment writes to `app/config.json`: the staged file with each deploy-time value as the template
 * gives it (`{ Ref: … }` written out), as the deployment's custom resource fills them in.
 */
function deployedConfig(synth: LedgerTemplate): unknown {
  const deployments = Object.values(synth.template.findResources('Custom::CDKBucketDeployment')).map(
    (resource) => (resource as { Properties: Record<string, unknown> }).Properties,
  );
  const deployment = deployments.find((d) => d.DestinationBucketKeyPrefix === 'app/')!;
  const keys = deployment.SourceObjectKeys as string[];
  const markers = (deployment.SourceMarkers as Record<string, unknown>[] | undefined) ?? [];
  const outdir = synth.app.synth().directory;
  for (const [index, key] of keys.entries()) {
    const file = path.join(outdir, `asset.${key.replace(/\.zip$/, '')}`, 'config.json');
    if (!existsSync(file)) continue;
    let text = readFileSync(file, 'utf8');
    for (const [marker, value] of Object.entries(markers[index] ?? {})) {
      text = text.replaceAll(marker, `{${JSON.stringify(value).replaceAll('"', "'")}}`);
    }
    return JSON.parse(text);
  }
  throw new Error('no config.json among the deployed sources');
}

describe('the web distribution with the stack’s own user pool', () => {
  let synth: LedgerTemplate;
  let config: DistributionConfig;
  let originIdOf: (kind: 'api' | 'app' | 'streaming') => string;

  beforeAll(() => {
    synth = synthLedgerTemplate();
    config = distributionOf(synth);
    originIdOf = (kind) => {
      const origin = config.Origins.find((o) =>
        kind === 'app'
          ? o.S3OriginConfig !== undefined
          : kind === 'streaming'
            ? JSON.stringify(o.DomainName).includes(logicalIdOf(synth.stack, synth.stack.streamingApi.url))
            : JSON.stringify(o.DomainName).includes(logicalIdOf(synth.stack, synth.stack.httpApi.api)),
      );
      return origin!.Id;
    };
  });

  it('keeps the web bucket private: all public access blocked, TLS only, encrypted, readable by the distribution alone', () => {
    const bucketId = logicalIdOf(synth.stack, synth.stack.web.bucket);
    synth.template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      LoggingConfiguration: {
        DestinationBucketName: ref(synth, synth.stack.web.logBucket),
        LogFilePrefix: 'web-bucket/',
      },
    });
    const bucket = synth.template.findResources('AWS::S3::Bucket')[bucketId] as {
      Properties: Record<string, unknown>;
    };
    expect(bucket.Properties.WebsiteConfiguration).toBeUndefined();
    const [policy] = Object.values(
      synth.template.findResources('AWS::S3::BucketPolicy', {
        Properties: { Bucket: { Ref: bucketId } },
      }),
    ) as { Properties: { PolicyDocument: { Statement: Record<string, unknown>[] } } }[];
    const statements = policy!.Properties.PolicyDocument.Statement;
    expect(statements.filter((s) => s.Effect === 'Allow')).toEqual([
      {
        Action: 's3:GetObject',
        Effect: 'Allow',
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/*']] },
        Condition: {
          StringEquals: {
            'AWS:SourceArn': {
              'Fn::Join': [
                '',
                [
                  'arn:',
                  { Ref: 'AWS::Partition' },
                  ':cloudfront::',
                  { Ref: 'AWS::AccountId' },
                  ':distribution/',
                  ref(synth, synth.stack.web.distribution),
                ],
              ],
            },
          },
        },
      },
    ]);
    expect(statements).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
  });

  it('reaches the bucket and the function URL with origin access control, signing every request with SigV4', () => {
    synth.template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 2);
    for (const type of ['s3', 'lambda']) {
      synth.template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
        OriginAccessControlConfig: {
          OriginAccessControlOriginType: type,
          SigningBehavior: 'always',
          SigningProtocol: 'sigv4',
        },
      });
    }
    const controlled = config.Origins.filter((o) => o.OriginAccessControlId !== undefined).map((o) => o.Id);
    expect(controlled.sort()).toEqual([originIdOf('app'), originIdOf('streaming')].sort());
    expect(config.Origins.find((o) => o.Id === originIdOf('api'))?.CustomOriginConfig).toMatchObject({
      OriginProtocolPolicy: 'https-only',
      OriginSSLProtocols: ['TLSv1.2'],
    });
  });

  it('keeps the function URL IAM-only, invocable by this distribution alone', () => {
    synth.template.hasResourceProperties('AWS::Lambda::Url', { AuthType: 'AWS_IAM' });
    const functionArn = {
      'Fn::GetAtt': [logicalIdOf(synth.stack, synth.stack.streamingApi.url), 'FunctionArn'],
    };
    const permissions = Object.values(synth.template.findResources('AWS::Lambda::Permission'))
      .map((p) => (p as { Properties: Record<string, unknown> }).Properties)
      .filter((p) => JSON.stringify(p.FunctionName) === JSON.stringify(functionArn));
    const distributionArn = {
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          ':cloudfront::',
          { Ref: 'AWS::AccountId' },
          ':distribution/',
          ref(synth, synth.stack.web.distribution),
        ],
      ],
    };
    expect(permissions.map((p) => p.Action).sort()).toEqual([
      'lambda:InvokeFunction',
      'lambda:InvokeFunctionUrl',
    ]);
    for (const permission of permissions) {
      expect(permission).toMatchObject({ Principal: 'cloudfront.amazonaws.com', SourceArn: distributionArn });
    }
  });

  it('sends everything but the application and the exports to the API: uncached, every method, Authorization and query strings forwarded', () => {
    expect(config.DefaultCacheBehavior).toMatchObject({
      TargetOriginId: originIdOf('api'),
      AllowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'],
      CachePolicyId: CACHING_DISABLED,
      // All the viewer's headers (Authorization included, which CloudFront allows with caching off), cookies
      // and query strings; the Host is API Gateway's own.
      OriginRequestPolicyId: ALL_VIEWER_EXCEPT_HOST_HEADER,
      ViewerProtocolPolicy: 'https-only',
    });
    expect(config.DefaultCacheBehavior.FunctionAssociations).toBeUndefined();
    // No distribution-wide error pages: they would turn the API's problem answers into the application's page.
    expect(config.CustomErrorResponses).toBeUndefined();
  });

  it('serves /app and /app/* from the bucket, cached, through the fallback to index.html', () => {
    const fallback = { 'Fn::GetAtt': [logicalIdOf(synth.stack, synth.stack.web.appFallback), 'FunctionARN'] };
    for (const pattern of ['/app', '/app/*']) {
      expect(
        config.CacheBehaviors.find((b) => b.PathPattern === pattern),
        pattern,
      ).toMatchObject({
        TargetOriginId: originIdOf('app'),
        AllowedMethods: ['GET', 'HEAD'],
        CachePolicyId: CACHING_OPTIMIZED,
        ViewerProtocolPolicy: 'redirect-to-https',
        FunctionAssociations: [{ EventType: 'viewer-request', FunctionARN: fallback }],
      });
    }
    synth.template.hasResourceProperties('AWS::CloudFront::Function', {
      FunctionCode: APP_FALLBACK_CODE,
      FunctionConfig: Match.objectLike({ Runtime: 'cloudfront-js-2.0' }),
    });
  });

  it('streams the CSV and NDJSON exports from the function URL, GET only, uncached, with the viewer’s token handed on', () => {
    expect(STREAMED_PATHS).toEqual(['/cases.csv', '/cases/*/events.ndjson']);
    const handOn = {
      'Fn::GetAtt': [logicalIdOf(synth.stack, synth.stack.web.viewerAuthorization), 'FunctionARN'],
    };
    for (const pattern of STREAMED_PATHS) {
      expect(
        config.CacheBehaviors.find((b) => b.PathPattern === pattern),
        pattern,
      ).toMatchObject({
        TargetOriginId: originIdOf('streaming'),
        AllowedMethods: ['GET', 'HEAD'],
        CachePolicyId: CACHING_DISABLED,
        OriginRequestPolicyId: ALL_VIEWER_EXCEPT_HOST_HEADER,
        FunctionAssociations: [{ EventType: 'viewer-request', FunctionARN: handOn }],
      });
    }
    synth.template.hasResourceProperties('AWS::CloudFront::Function', {
      FunctionCode: VIEWER_AUTHORIZATION_CODE,
    });
    expect(config.CacheBehaviors).toHaveLength(2 + STREAMED_PATHS.length);
  });

  it('gives every answer the security headers: a strict CSP naming the sign-in origins, two years of HSTS, nosniff, no referrer, no framing', () => {
    const policy = ref(synth, synth.stack.web.responseHeaders);
    for (const behavior of [config.DefaultCacheBehavior, ...config.CacheBehaviors]) {
      expect(behavior.ResponseHeadersPolicyId, behavior.PathPattern ?? 'default').toEqual(policy);
    }
    const [resource] = Object.values(synth.template.findResources('AWS::CloudFront::ResponseHeadersPolicy'));
    const headers = (
      resource as {
        Properties: { ResponseHeadersPolicyConfig: { SecurityHeadersConfig: Record<string, unknown> } };
      }
    ).Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    const policyText = joined(
      (headers.ContentSecurityPolicy as { ContentSecurityPolicy: unknown }).ContentSecurityPolicy,
    );
    const signIn = `https://cognito-idp.{AWS::Region}.{AWS::URLSuffix} https://{${logicalIdOf(synth.stack, synth.stack.auth.domain!)}}.auth.{AWS::Region}.amazoncognito.com`;
    expect(policyText).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        `connect-src 'self' ${signIn}; frame-ancestors 'none'; base-uri 'none'; form-action 'self' ${signIn}`,
    );
    expect(headers).toMatchObject({
      StrictTransportSecurity: {
        AccessControlMaxAgeSec: 63_072_000,
        IncludeSubdomains: true,
        Override: true,
      },
      ContentTypeOptions: { Override: true },
      ReferrerPolicy: { ReferrerPolicy: 'no-referrer', Override: true },
      FrameOptions: { FrameOption: 'DENY', Override: true },
    });
  });

  it('logs every request to a private log bucket that lets the bucket owner own CloudFront’s log files', () => {
    expect(config.Logging).toEqual({
      Bucket: { 'Fn::GetAtt': [logicalIdOf(synth.stack, synth.stack.web.logBucket), 'RegionalDomainName'] },
      Prefix: 'cloudfront/',
    });
    const logBucket = synth.template.findResources('AWS::S3::Bucket')[
      logicalIdOf(synth.stack, synth.stack.web.logBucket)
    ] as { Properties: Record<string, unknown> };
    expect(logBucket.Properties).toMatchObject({
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerPreferred' }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, RestrictPublicBuckets: true },
      LifecycleConfiguration: { Rules: [{ ExpirationInDays: 90, Status: 'Enabled' }] },
    });
  });

  it('deploys the build under app/ (hashed assets cached for a year) and config.json beside it, checked on every load', () => {
    const deployments = Object.values(synth.template.findResources('Custom::CDKBucketDeployment')).map(
      (resource) => (resource as { Properties: Record<string, unknown> }).Properties,
    );
    const bucket = ref(synth, synth.stack.web.bucket);
    expect(
      deployments.map((d) => [
        d.DestinationBucketName,
        d.DestinationBucketKeyPrefix,
        d.SystemMetadata,
        d.Prune,
      ]),
    ).toEqual([
      [bucket, 'app/assets/', { 'cache-control': 'public, max-age=31536000, immutable' }, false],
      [bucket, 'app/', { 'cache-control': 'no-cache' }, false],
    ]);
  });

  it("writes config.json from the stack's own values: Cognito's issuer, the web client, the roles claim, the pii grant and where to sign out", () => {
    const pool = logicalIdOf(synth.stack, synth.stack.auth.userPool!);
    const client = logicalIdOf(synth.stack, synth.stack.auth.webClient!);
    const domain = logicalIdOf(synth.stack, synth.stack.auth.domain!);
    const distribution = logicalIdOf(synth.stack, synth.stack.web.distribution);
    expect(deployedConfig(synth)).toEqual({
      signIn: {
        mode: 'oidc',
        issuer: `https://cognito-idp.{{'Ref':'AWS::Region'}}.{{'Ref':'AWS::URLSuffix'}}/{{'Ref':'${pool}'}}`,
        clientId: `{{'Ref':'${client}'}}`,
        scopes: 'openid email profile',
        rolesClaim: 'cognito:groups',
        piiScope: 'pii',
        piiGroup: 'pii',
        signOutUrl: `https://{{'Ref':'${domain}'}}.auth.{{'Ref':'AWS::Region'}}.amazoncognito.com/logout?client_id={{'Ref':'${client}'}}&logout_uri=https%3A%2F%2F{{'Fn::GetAtt':['${distribution}','DomainName']}}%2Fapp%2Fsigned-out`,
      },
    });
  });

  it('names the provider on the sign-in button when the context gives a name', () => {
    const named = synthLedgerTemplate({ signInName: 'Example NGO' });
    expect(deployedConfig(named)).toMatchObject({ signIn: { providerName: 'Example NGO' } });
    expect(deployedConfig(synth)).not.toHaveProperty('signIn.providerName');
  });

  it('gives the address of the web application as an output', () => {
    synth.template.hasOutput('WebAppUrl', {
      Value: {
        'Fn::Join': [
          '',
          [
            'https://',
            { 'Fn::GetAtt': [logicalIdOf(synth.stack, synth.stack.web.distribution), 'DomainName'] },
            '/app/',
          ],
        ],
      },
    });
  });
});

describe('the fallback to the application’s index.html (the CloudFront Function, run)', () => {
  const handler = handlerOf(APP_FALLBACK_CODE);

  it('answers the application’s own paths with index.html', () => {
    for (const uri of [
      '/app/',
      '/app/cases',
      '/app/cases/case-0001',
      '/app/cases/case.2025.07',
      '/app/cases/case-0001/record',
      '/app/signed-in',
      '/app/signed-out',
    ]) {
      expect(handler(request(uri)), uri).toEqual({ uri: '/app/index.html', headers: {} });
    }
  });

  it('leaves files alone, config.json and missing ones included, so S3 answers them as they are', () => {
    for (const uri of [
      '/app/index.html',
      '/app/config.json',
      '/app/assets/index-1a2b3c.js',
      '/app/missing.css',
    ]) {
      expect(handler(request(uri)), uri).toEqual({ uri, headers: {} });
    }
  });

  it('moves /app to /app/', () => {
    expect(handler(request('/app'))).toEqual({
      statusCode: 301,
      statusDescription: 'Moved Permanently',
      headers: { location: { value: '/app/' } },
    });
  });
});

describe('the hand-on of the viewer’s token to the streaming function (the CloudFront Function, run)', () => {
  const handler = handlerOf(VIEWER_AUTHORIZATION_CODE);

  it('copies Authorization to x-viewer-authorization, which origin access control leaves alone', () => {
    expect(handler(request('/cases.csv', { authorization: { value: 'Bearer a.b.c' } }))).toEqual({
      uri: '/cases.csv',
      headers: {
        authorization: { value: 'Bearer a.b.c' },
        'x-viewer-authorization': { value: 'Bearer a.b.c' },
      },
    });
  });

  it('drops an x-viewer-authorization the viewer sent, with or without an Authorization', () => {
    expect(handler(request('/cases.csv', { 'x-viewer-authorization': { value: 'Bearer x.y.z' } }))).toEqual({
      uri: '/cases.csv',
      headers: {},
    });
    expect(
      handler(
        request('/cases.csv', {
          authorization: { value: 'Bearer a.b.c' },
          'x-viewer-authorization': { value: 'Bearer x.y.z' },
        }),
      ),
    ).toMatchObject({ headers: { 'x-viewer-authorization': { value: 'Bearer a.b.c' } } });
  });
});
