import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { PII_GROUP } from '../../infra/constructs/ledger-auth.ts';
import { createLedgerApp } from '../../infra/ledger-app.ts';
import {
  cdkJsonContext,
  type LedgerTemplate,
  logicalIdOf,
  synthLedgerTemplate,
  WEB_DIST_FIXTURE,
} from './ledger-template.ts';

type Resource = { Type: string; Properties?: unknown };

function propertiesOf(synth: LedgerTemplate, construct: Parameters<typeof logicalIdOf>[1]) {
  const resources = synth.template.toJSON().Resources as Record<string, Resource>;
  return resources[logicalIdOf(synth.stack, construct)]?.Properties as Record<string, unknown>;
}

/** The staged `app/config.json` as written at synthesis, deploy-time values still markers. */
function stagedConfig(synth: LedgerTemplate): Record<string, Record<string, unknown>> {
  const outdir = synth.app.synth().directory;
  const deployment = Object.values(synth.template.findResources('Custom::CDKBucketDeployment'))
    .map((resource) => (resource as { Properties: Record<string, unknown> }).Properties)
    .find((properties) => properties.DestinationBucketKeyPrefix === 'app/')!;
  for (const key of deployment.SourceObjectKeys as string[]) {
    const file = path.join(outdir, `asset.${key.replace(/\.zip$/, '')}`, 'config.json');
    if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8'));
  }
  throw new Error('no config.json among the deployed sources');
}

describe('sign-in with the stack’s own Cognito user pool', () => {
  let synth: LedgerTemplate;

  beforeAll(() => {
    synth = synthLedgerTemplate();
  });

  it("cannot take the web client's id in the streaming function's environment: that would be a dependency cycle, which the synth refuses", () => {
    // The web client's callback names the distribution, which stands in front of the streaming function: hence
    // the parameter. CDK's own CloudFormation checks (cdk.json's validateAgainstDefaultRules) catch a cycle.
    const { stack } = createLedgerApp({
      context: { ...cdkJsonContext(), webDist: WEB_DIST_FIXTURE, 'aws:cdk:bundling-stacks': [] },
    });
    stack.streamingApi.function.addEnvironment('WEB_CLIENT', stack.auth.webClient!.userPoolClientId);
    expect(() => Template.fromStack(stack)).toThrow(/Circular dependency/);
  });

  it('offers managed login, the newer version, on a Cognito domain named after the stack', () => {
    synth.template.hasResourceProperties('AWS::Cognito::UserPoolDomain', {
      Domain: 'detention-ledger-dev',
      ManagedLoginVersion: 2,
      UserPoolId: { Ref: logicalIdOf(synth.stack, synth.stack.auth.userPool!) },
    });
    synthLedgerTemplate({ cognitoDomainPrefix: 'ngo-ledger' }).template.hasResourceProperties(
      'AWS::Cognito::UserPoolDomain',
      { Domain: 'ngo-ledger' },
    );
    synth.template.hasResourceProperties('AWS::Cognito::ManagedLoginBranding', {
      ClientId: { Ref: logicalIdOf(synth.stack, synth.stack.auth.webClient!) },
      UseCognitoProvidedValues: true,
    });
  });

  it('has a public web client: authorization code only, no secret, the distribution’s callback and sign-out pages', () => {
    const distributionDomain = {
      'Fn::GetAtt': [logicalIdOf(synth.stack, synth.stack.web.distribution), 'DomainName'],
    };
    expect(propertiesOf(synth, synth.stack.auth.webClient!)).toMatchObject({
      GenerateSecret: false,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'email', 'profile'],
      CallbackURLs: [{ 'Fn::Join': ['', ['https://', distributionDomain, '/app/signed-in']] }],
      LogoutURLs: [{ 'Fn::Join': ['', ['https://', distributionDomain, '/app/signed-out']] }],
      SupportedIdentityProviders: ['COGNITO'],
      // No password flow of its own, and no REFRESH_TOKEN_AUTH: the refresh token rotates.
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH'],
      PreventUserExistenceErrors: 'ENABLED',
      EnableTokenRevocation: true,
    });
  });

  it('gives the web client short access tokens and a refresh token that rotates', () => {
    expect(propertiesOf(synth, synth.stack.auth.webClient!)).toMatchObject({
      AccessTokenValidity: 30,
      IdTokenValidity: 30,
      RefreshTokenValidity: 720,
      TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'minutes' },
      RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 10 },
    });
  });

  it('keeps TOTP MFA required of every user', () => {
    synth.template.hasResourceProperties('AWS::Cognito::UserPool', {
      MfaConfiguration: 'ON',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
    });
  });

  it('grants pii by membership of the pii group, to both API functions', () => {
    synth.template.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: PII_GROUP });
    for (const fn of [synth.stack.apiFunction, synth.stack.streamingApi]) {
      expect(
        (propertiesOf(synth, fn.function).Environment as { Variables: Record<string, unknown> }).Variables,
      ).toMatchObject({ OIDC_PII_GROUP: PII_GROUP, OIDC_PII_SCOPE: 'pii' });
    }
  });

  it("hands the streaming function the web client's id through a parameter it may read", () => {
    synth.template.hasResourceProperties('AWS::SSM::Parameter', {
      Name: '/detention-ledger-dev/oidc-web-audience',
      Type: 'String',
      Value: { Ref: logicalIdOf(synth.stack, synth.stack.auth.webClient!) },
    });
  });

  it('reserves instances for the exports only when the context asks, so a new account can deploy', () => {
    expect(propertiesOf(synth, synth.stack.streamingApi.function)).not.toHaveProperty(
      'ReservedConcurrentExecutions',
    );
    const more = synthLedgerTemplate({ streamingConcurrency: 12 });
    expect(propertiesOf(more, more.stack.streamingApi.function).ReservedConcurrentExecutions).toBe(12);
  });

  it('outputs the web client and the sign-in domain', () => {
    synth.template.hasOutput('WebClientId', {
      Value: { Ref: logicalIdOf(synth.stack, synth.stack.auth.webClient!) },
    });
    synth.template.hasOutput('SignInDomain', {});
  });
});

/** The context of a stack that trusts an existing provider. */
const EXTERNAL = {
  jwtIssuer: 'https://id.example.org/realms/ledger',
  jwtAudience: 'ledger-api',
  webClientId: 'ledger-web',
  jwtEndpointOrigins: 'https://login.example.org',
  jwtRolesClaim: 'realm_access.roles',
  jwtPiiGroup: 'ledger-pii',
};

describe('sign-in at an existing OpenID provider (jwtIssuer)', () => {
  let synth: LedgerTemplate;

  beforeAll(() => {
    synth = synthLedgerTemplate(EXTERNAL);
  });

  it('makes no user pool, no domain, no client and no parameter', () => {
    for (const type of [
      'AWS::Cognito::UserPool',
      'AWS::Cognito::UserPoolDomain',
      'AWS::Cognito::UserPoolClient',
      'AWS::Cognito::ManagedLoginBranding',
      'AWS::SSM::Parameter',
    ]) {
      synth.template.resourceCountIs(type, 0);
    }
  });

  it('has the streaming function verify that issuer’s tokens for the API and the web client', () => {
    const variables = (
      propertiesOf(synth, synth.stack.streamingApi.function).Environment as {
        Variables: Record<string, unknown>;
      }
    ).Variables;
    expect(variables).toMatchObject({
      AUTH_MODE: 'oidc',
      OIDC_ISSUER: 'https://id.example.org/realms/ledger',
      OIDC_AUDIENCE: 'ledger-api,ledger-web',
      LEDGER_ROLES_CLAIM: 'realm_access.roles',
      OIDC_PII_SCOPE: 'pii',
      OIDC_PII_GROUP: 'ledger-pii',
    });
    expect(variables).not.toHaveProperty('OIDC_AUDIENCE_PARAMETER');
  });

  it('writes config.json for that issuer and the web client given', () => {
    expect(stagedConfig(synth)).toEqual({
      signIn: {
        mode: 'oidc',
        issuer: 'https://id.example.org/realms/ledger',
        clientId: 'ledger-web',
        scopes: 'openid',
        rolesClaim: 'realm_access.roles',
        piiScope: 'pii',
        piiGroup: 'ledger-pii',
      },
    });
  });

  it('asks the issuer for the scopes the context names', () => {
    const scoped = synthLedgerTemplate({ ...EXTERNAL, jwtScopes: 'openid profile pii' });
    expect(stagedConfig(scoped)).toMatchObject({ signIn: { scopes: 'openid profile pii' } });
  });

  it("lets the page reach only the issuer's origin and the endpoint origins given", () => {
    const [policy] = Object.values(
      synth.template.findResources('AWS::CloudFront::ResponseHeadersPolicy'),
    ) as {
      Properties: {
        ResponseHeadersPolicyConfig: {
          SecurityHeadersConfig: { ContentSecurityPolicy: { ContentSecurityPolicy: string } };
        };
      };
    }[];
    const csp =
      policy!.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig.ContentSecurityPolicy
        .ContentSecurityPolicy;
    expect(csp).toContain("connect-src 'self' https://id.example.org https://login.example.org;");
    expect(csp).toContain("form-action 'self' https://id.example.org https://login.example.org");
  });
});
