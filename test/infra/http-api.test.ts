import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { LEDGER_ROLES, PII_GROUP } from '../../infra/constructs/ledger-auth.ts';
import { type LedgerTemplate, logicalIdOf, synthLedgerTemplate } from './ledger-template.ts';

function routes(synth: LedgerTemplate) {
  return Object.values(synth.template.findResources('AWS::ApiGatewayV2::Route')).map(
    (route) => (route as { Properties: Record<string, unknown> }).Properties,
  );
}

describe('the HTTP API with the default Cognito user pool', () => {
  let synth: LedgerTemplate;
  let userPoolId: string;
  let clientId: string;

  beforeAll(() => {
    synth = synthLedgerTemplate({ stage: 'test', apiRateLimit: 20, apiBurstLimit: 40 });
    userPoolId = logicalIdOf(synth.stack, synth.stack.auth.userPool!);
    clientId = logicalIdOf(synth.stack, synth.stack.auth.userPoolClient!);
  });

  it('is an HTTP API (API Gateway v2) named after the stack, proxying every request to the API function', () => {
    synth.template.resourceCountIs('AWS::ApiGatewayV2::Api', 1);
    synth.template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      ProtocolType: 'HTTP',
      Name: 'detention-ledger-test',
    });
    synth.template.resourceCountIs('AWS::ApiGatewayV2::Integration', 1);
    synth.template.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'AWS_PROXY',
      PayloadFormatVersion: '2.0',
      IntegrationUri: {
        'Fn::GetAtt': [logicalIdOf(synth.stack, synth.stack.apiFunction.function), 'Arn'],
      },
    });
  });

  it("checks tokens with a JWT authorizer that trusts the stack's user pool, its API client and its web client", () => {
    synth.template.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 1);
    const webClientId = logicalIdOf(synth.stack, synth.stack.auth.webClient!);
    synth.template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Audience: [{ Ref: clientId }, { Ref: webClientId }],
        Issuer: {
          'Fn::Join': [
            '',
            [
              'https://cognito-idp.',
              { Ref: 'AWS::Region' },
              '.',
              { Ref: 'AWS::URLSuffix' },
              '/',
              { Ref: userPoolId },
            ],
          ],
        },
      },
    });
  });

  it("requires a token on every route but GET /health, GET /openapi.json and the log's public half", () => {
    const byKey = Object.fromEntries(routes(synth).map((route) => [route.RouteKey, route.AuthorizationType]));
    expect(byKey).toEqual({
      $default: 'JWT',
      'GET /health': 'NONE',
      'GET /openapi.json': 'NONE',
      'GET /log/checkpoint': 'NONE',
      'GET /log/key': 'NONE',
      'GET /log/tile/{proxy+}': 'NONE',
      'GET /log/proof/consistency': 'NONE',
    });
    // An inclusion proof takes an event id, which is not public: it reaches the app through `$default`, with
    // the authorizer's claims.
    expect(byKey).not.toHaveProperty('GET /log/proof/inclusion');
  });

  it('throttles its one stage as configured, and writes JSON access logs naming the caller', () => {
    synth.template.resourceCountIs('AWS::ApiGatewayV2::Stage', 1);
    synth.template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40 },
      AccessLogSettings: {
        DestinationArn: { 'Fn::GetAtt': [logicalIdOf(synth.stack, synth.stack.httpApi.accessLogs), 'Arn'] },
        Format: Match.stringLikeRegexp('"principal":"\\$context.authorizer.claims.sub"'),
      },
    });
    const stage = Object.values(synth.template.findResources('AWS::ApiGatewayV2::Stage'))[0] as {
      Properties: { AccessLogSettings: { Format: string } };
    };
    expect(Object.keys(JSON.parse(stage.Properties.AccessLogSettings.Format))).toContain('requestId');
  });

  it('keeps a user pool for staff: no self sign-up, MFA by authenticator app, strong passwords', () => {
    synth.template.hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        UserPoolName: 'detention-ledger-test',
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
        MfaConfiguration: 'ON',
        EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
        DeletionProtection: 'ACTIVE',
        Policies: {
          PasswordPolicy: Match.objectLike({
            MinimumLength: 12,
            RequireLowercase: true,
            RequireUppercase: true,
            RequireNumbers: true,
            RequireSymbols: true,
          }),
        },
      }),
    });
  });

  it('has an app client without a secret that signs in from the command line, a group per role and one for pii', () => {
    synth.template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      AllowedOAuthFlowsUserPoolClient: false,
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    });
    const groups = Object.values(synth.template.findResources('AWS::Cognito::UserPoolGroup')).map(
      (group) => (group as { Properties: { GroupName: string } }).Properties.GroupName,
    );
    expect(groups.sort()).toEqual([...Object.keys(LEDGER_ROLES), PII_GROUP].sort());
  });
});

describe('the HTTP API with an existing issuer given as context', () => {
  let synth: LedgerTemplate;

  beforeAll(() => {
    synth = synthLedgerTemplate({
      jwtIssuer: 'https://login.example.org/realms/ledger',
      jwtAudience: 'ledger-api,ledger-cli',
      webClientId: 'ledger-web',
    });
  });

  it("trusts that issuer and audience, and the web application's client, instead", () => {
    synth.template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      JwtConfiguration: {
        Issuer: 'https://login.example.org/realms/ledger',
        Audience: ['ledger-api', 'ledger-cli', 'ledger-web'],
      },
    });
  });

  it('makes no user pool', () => {
    synth.template.resourceCountIs('AWS::Cognito::UserPool', 0);
    synth.template.resourceCountIs('AWS::Cognito::UserPoolClient', 0);
    synth.template.resourceCountIs('AWS::Cognito::UserPoolDomain', 0);
    expect(synth.stack.auth.userPool).toBeUndefined();
  });

  it('still requires a token on every route but the public ones', () => {
    expect(routes(synth).filter((route) => route.AuthorizationType === 'NONE')).toHaveLength(6);
    expect(routes(synth).find((route) => route.RouteKey === '$default')?.AuthorizationType).toBe('JWT');
  });
});
