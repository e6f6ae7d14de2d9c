import { Runtime } from 'aws-cdk-lib/aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseEnv, runtimeConfigFrom, runtimeEnvSchema } from '../../functions/config.ts';
import { LAMBDA_RUNTIME, type LedgerFunction } from '../../infra/constructs/ledger-function.ts';
import { type LedgerTemplate, logicalIdOf, synthLedgerTemplate } from './ledger-template.ts';

let synth: LedgerTemplate;
type FunctionName = 'api' | 'apiStream' | 'projector' | 'digest' | 'logIntegrator';
let functions: Record<FunctionName, { Properties: Record<string, unknown> }>;

beforeAll(() => {
  synth = synthLedgerTemplate({ logRetentionDays: 30, logLevel: 'DEBUG' });
  const all = synth.template.findResources('AWS::Lambda::Function');
  const resourceOf = (fn: LedgerFunction) =>
    all[logicalIdOf(synth.stack, fn.function)] as { Properties: Record<string, unknown> };
  functions = {
    api: resourceOf(synth.stack.apiFunction),
    apiStream: resourceOf(synth.stack.streamingApi),
    projector: resourceOf(synth.stack.projector),
    digest: resourceOf(synth.stack.digest),
    logIntegrator: resourceOf(synth.stack.log.integrator),
  };
});

/** The construct of each function of the stack. */
const constructOfAll = (): Record<FunctionName, LedgerFunction> => ({
  api: synth.stack.apiFunction,
  apiStream: synth.stack.streamingApi,
  projector: synth.stack.projector,
  digest: synth.stack.digest,
  logIntegrator: synth.stack.log.integrator,
});
const constructOf = (name: FunctionName): LedgerFunction => constructOfAll()[name];

function variablesOf(fn: { Properties: Record<string, unknown> }): Record<string, unknown> {
  return (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
}

/** The newest `nodejsNN.x` aws-cdk-lib knows, compared by version number, as cdk-nag's L1 rule does. */
function newestNodeRuntime(): string {
  const versions = Runtime.ALL.map((runtime) => runtime.name)
    .map((name) => /^nodejs(\d+)\.x$/.exec(name))
    .flatMap((match) => (match ? [{ name: match[0], major: Number(match[1]) }] : []));
  return versions.reduce((newest, next) => (next.major > newest.major ? next : newest)).name;
}

describe('the API, projector and digest functions', () => {
  it("are the only functions in the stack, besides aws-cdk-lib's own that copies the web application while deploying", () => {
    const ids = Object.keys(synth.template.findResources('AWS::Lambda::Function'));
    const ours = Object.values(constructOfAll()).map((fn) => logicalIdOf(synth.stack, fn.function));
    expect(ids.filter((id) => !ours.includes(id))).toEqual([
      expect.stringMatching(/^CustomCDKBucketDeployment/),
    ]);
    expect(ids).toHaveLength(6);
  });

  it('run on the newest Node.js runtime aws-cdk-lib offers', () => {
    expect(LAMBDA_RUNTIME.name).toBe(newestNodeRuntime());
    for (const fn of Object.values(functions)) expect(fn.Properties.Runtime).toBe(newestNodeRuntime());
  });

  it('run on ARM64', () => {
    for (const fn of Object.values(functions)) expect(fn.Properties.Architectures).toEqual(['arm64']);
  });

  it('call the exported `handler` of their bundle', () => {
    for (const fn of Object.values(functions)) expect(fn.Properties.Handler).toBe('index.handler');
  });

  it('know the tables they use by name, map stack traces to TypeScript, and log as the service at the chosen level', () => {
    const ref = (construct: Parameters<typeof logicalIdOf>[1]) => ({
      Ref: logicalIdOf(synth.stack, construct),
    });
    const shared = {
      NODE_OPTIONS: '--enable-source-maps',
      POWERTOOLS_SERVICE_NAME: 'detention-ledger',
      LOG_LEVEL: 'DEBUG',
      LEDGER_TABLE: ref(synth.stack.tables.ledger),
    };
    expect(variablesOf(functions.projector)).toEqual({
      ...shared,
      VIEWS_TABLE: ref(synth.stack.tables.views),
    });
    // The digest reads and writes the ledger alone.
    expect(variablesOf(functions.digest)).toEqual(shared);
    const log = {
      LOG_TABLE: ref(synth.stack.tables.log),
      LOG_BUCKET: ref(synth.stack.log.tiles.bucket),
      LOG_KMS_KEY_ID: { 'Fn::GetAtt': [logicalIdOf(synth.stack, synth.stack.log.signingKey.key), 'Arn'] },
      LOG_ORIGIN: 'detention-ledger-dev.detention-ledger.invalid/log',
    };
    // The integrator reads the ledger's events and keeps the log; no witnesses are named by default.
    expect(variablesOf(functions.logIntegrator)).toEqual({ ...shared, ...log });
    const api = {
      ...shared,
      VIEWS_TABLE: ref(synth.stack.tables.views),
      KEYS_TABLE: ref(synth.stack.tables.keys),
      NOTIFICATIONS_TABLE: ref(synth.stack.tables.notifications),
      KEY_WRAPPING: 'kms',
      KMS_KEY_ID: { 'Fn::GetAtt': [logicalIdOf(synth.stack, synth.stack.personalDataKey.key), 'Arn'] },
      AUTH_MODE: 'api-gateway',
      LEDGER_ROLES_CLAIM: 'cognito:groups',
      OIDC_PII_SCOPE: 'pii',
      OIDC_PII_GROUP: 'pii',
      ALERT_CONSULAR_VISIT_DAYS: '30',
      ALERT_CUSTODY_EXPIRING_DAYS: '14',
      ALERT_NO_NEWS_DAYS: '60',
      LEDGER_CURSOR_SECRET_ARN: { Ref: logicalIdOf(synth.stack, synth.stack.apiFunction.cursorSecret) },
      ...log,
    };
    expect(variablesOf(functions.api)).toEqual(api);
    // No authorizer stands in front of the function URL: the app verifies the user pool's tokens itself, for
    // the API client (in the environment) and the web client (in a parameter: the client is made after the
    // distribution in front of this function).
    const pool = logicalIdOf(synth.stack, synth.stack.auth.userPool!);
    expect(variablesOf(functions.apiStream)).toEqual({
      ...api,
      AUTH_MODE: 'oidc',
      OIDC_ISSUER: {
        'Fn::Join': [
          '',
          [
            'https://cognito-idp.',
            { Ref: 'AWS::Region' },
            '.',
            { Ref: 'AWS::URLSuffix' },
            '/',
            { Ref: pool },
          ],
        ],
      },
      OIDC_AUDIENCE: { Ref: logicalIdOf(synth.stack, synth.stack.auth.userPoolClient!) },
      OIDC_AUDIENCE_PARAMETER: '/detention-ledger-dev/oidc-web-audience',
    });
  });

  it('give the API an environment its configuration accepts, with the roles claim and alert thresholds from the context', () => {
    const configured = synthLedgerTemplate({
      jwtIssuer: 'https://login.example.org/realms/ledger',
      jwtAudience: 'ledger-api',
      webClientId: 'ledger-web',
      jwtRolesClaim: 'realm_roles',
      alertConsularVisitDays: 21,
      alertCustodyExpiringDays: '0',
      alertNoNewsDays: 90,
    });
    const api = configured.template.findResources('AWS::Lambda::Function')[
      logicalIdOf(configured.stack, configured.stack.apiFunction.function)
    ] as { Properties: Record<string, unknown> };
    const variables = variablesOf(api);
    expect(variables).toMatchObject({
      AUTH_MODE: 'api-gateway',
      LEDGER_ROLES_CLAIM: 'realm_roles',
      ALERT_CONSULAR_VISIT_DAYS: '21',
      ALERT_CUSTODY_EXPIRING_DAYS: '0',
      ALERT_NO_NEWS_DAYS: '90',
    });
    // The plain values as the function will parse them (CloudFormation fills in the references at deploy time).
    const plain = Object.fromEntries(
      Object.entries(variables).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
    );
    expect(variables.KMS_KEY_ID).toEqual({ 'Fn::GetAtt': [expect.any(String), 'Arn'] });
    const standIn = 'arn:aws:kms:eu-west-1:111122223333:key/stand-in';
    expect(runtimeConfigFrom(parseEnv(runtimeEnvSchema, { ...plain, KMS_KEY_ID: standIn }))).toMatchObject({
      alerts: { consularVisitDays: 21, custodyExpiringDays: 0, noNewsDays: 90 },
      auth: { mode: 'api-gateway', rolesClaim: 'realm_roles' },
      keyWrapping: { mode: 'kms', kmsKeyId: standIn },
    });
  });

  it('give every API instance the same cursor-signing key, generated at deploy time and read at run time, never in the environment', () => {
    const secretId = logicalIdOf(synth.stack, synth.stack.apiFunction.cursorSecret);
    const variables = variablesOf(functions.api);
    // The secret's ARN (a `Ref` of the secret), not its value nor a dynamic reference CloudFormation would
    // resolve into the function's configuration in clear.
    expect(variables.LEDGER_CURSOR_SECRET_ARN).toEqual({ Ref: secretId });
    expect(variables).not.toHaveProperty('LEDGER_CURSOR_SECRET');
    expect(JSON.stringify(synth.template.toJSON())).not.toMatch(/resolve:secretsmanager/);
    synth.template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true },
    });
    // The ARN is of the form the API's configuration accepts.
    const standIn = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:ApiFunctionCursorSecret-AbCdEf';
    expect(
      runtimeConfigFrom(parseEnv(runtimeEnvSchema, { LEDGER_CURSOR_SECRET_ARN: standIn })),
    ).toMatchObject({
      cursorSecretArn: standIn,
    });
  });

  it('write structured JSON logs to their own log group, kept for the configured number of days', () => {
    for (const [name, fn] of Object.entries(functions)) {
      const { logGroup } = constructOf(name as FunctionName);
      expect(fn.Properties.LoggingConfig).toEqual({
        LogFormat: 'JSON',
        ApplicationLogLevel: 'DEBUG',
        SystemLogLevel: 'WARN',
        LogGroup: { Ref: logicalIdOf(synth.stack, logGroup) },
      });
    }
    const retentions = Object.values(synth.template.findResources('AWS::Logs::LogGroup')).map(
      (logGroup) => (logGroup as { Properties: { RetentionInDays?: number } }).Properties.RetentionInDays,
    );
    // The five functions' log groups, the API's access logs and the web application's deployment.
    expect(retentions).toEqual([30, 30, 30, 30, 30, 30, 30]);
  });

  it('have roles without AWS-managed policies, allowed to write only their own logs besides their grants', () => {
    const managed = Object.entries(synth.template.findResources('AWS::IAM::Role')).filter(
      ([, role]) => (role as { Properties: Record<string, unknown> }).Properties.ManagedPolicyArns,
    );
    // Only aws-cdk-lib's deployment function, as aws-cdk-lib makes it (acknowledged in cdk-nag.test.ts).
    expect(managed.map(([id]) => id)).toEqual([
      expect.stringMatching(/^CustomCDKBucketDeployment.*ServiceRole/),
    ]);
    for (const name of Object.keys(functions) as FunctionName[]) {
      const { role, logGroup } = constructOf(name);
      const policy = synth.template.findResources('AWS::IAM::Policy', {
        Properties: { Roles: [{ Ref: logicalIdOf(synth.stack, role) }] },
      });
      const statements = Object.values(policy).flatMap(
        (p) =>
          (p as { Properties: { PolicyDocument: { Statement: { Action: unknown }[] } } }).Properties
            .PolicyDocument.Statement,
      );
      const logStatements = statements.filter((s) => JSON.stringify(s.Action).includes('logs:'));
      expect(logStatements).toEqual([
        {
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Effect: 'Allow',
          Resource: { 'Fn::GetAtt': [logicalIdOf(synth.stack, logGroup), 'Arn'] },
        },
      ]);
    }
  });
});
