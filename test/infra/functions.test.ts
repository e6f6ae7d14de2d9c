import { Runtime } from 'aws-cdk-lib/aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { LAMBDA_RUNTIME, type LedgerFunction } from '../../infra/constructs/ledger-function.ts';
import { type LedgerTemplate, logicalIdOf, synthLedgerTemplate } from './ledger-template.ts';

let synth: LedgerTemplate;
let functions: Record<'api' | 'projector', { Properties: Record<string, unknown> }>;

beforeAll(() => {
  synth = synthLedgerTemplate({ logRetentionDays: 30, logLevel: 'DEBUG' });
  const all = synth.template.findResources('AWS::Lambda::Function');
  const resourceOf = (fn: LedgerFunction) =>
    all[logicalIdOf(synth.stack, fn.function)] as { Properties: Record<string, unknown> };
  functions = { api: resourceOf(synth.stack.apiFunction), projector: resourceOf(synth.stack.projector) };
});

/** The newest `nodejsNN.x` aws-cdk-lib knows, compared by version number, as cdk-nag's L1 rule does. */
function newestNodeRuntime(): string {
  const versions = Runtime.ALL.map((runtime) => runtime.name)
    .map((name) => /^nodejs(\d+)\.x$/.exec(name))
    .flatMap((match) => (match ? [{ name: match[0], major: Number(match[1]) }] : []));
  return versions.reduce((newest, next) => (next.major > newest.major ? next : newest)).name;
}

describe('the API and projector functions', () => {
  it('are the only functions in the stack', () => {
    synth.template.resourceCountIs('AWS::Lambda::Function', 2);
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

  it('know both tables by name, map stack traces to TypeScript, and log as the service at the chosen level', () => {
    const ledgerRef = { Ref: logicalIdOf(synth.stack, synth.stack.tables.ledger) };
    const viewsRef = { Ref: logicalIdOf(synth.stack, synth.stack.tables.views) };
    for (const fn of Object.values(functions)) {
      expect(fn.Properties.Environment).toEqual({
        Variables: expect.objectContaining({
          LEDGER_TABLE: ledgerRef,
          VIEWS_TABLE: viewsRef,
          NODE_OPTIONS: '--enable-source-maps',
          POWERTOOLS_SERVICE_NAME: 'detention-ledger',
          LOG_LEVEL: 'DEBUG',
        }),
      });
    }
    const names = (fn: { Properties: Record<string, unknown> }) =>
      Object.keys((fn.Properties.Environment as { Variables: object }).Variables).sort();
    expect(names(functions.projector)).toEqual([
      'LEDGER_TABLE',
      'LOG_LEVEL',
      'NODE_OPTIONS',
      'POWERTOOLS_SERVICE_NAME',
      'VIEWS_TABLE',
    ]);
    expect(names(functions.api)).toEqual([...names(functions.projector), 'LEDGER_CURSOR_SECRET'].sort());
  });

  it('give every API instance the same cursor-signing key, generated at deploy time and never in the template', () => {
    const secretId = logicalIdOf(synth.stack, synth.stack.apiFunction.cursorSecret);
    const variables = (functions.api.Properties.Environment as { Variables: Record<string, unknown> })
      .Variables;
    expect(variables.LEDGER_CURSOR_SECRET).toEqual({
      'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: secretId }, ':SecretString:::}}']],
    });
    synth.template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true },
    });
  });

  it('write structured JSON logs to their own log group, kept for the configured number of days', () => {
    for (const [name, fn] of Object.entries(functions)) {
      const logGroup = synth.stack[name === 'api' ? 'apiFunction' : 'projector'].logGroup;
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
    // The two functions' log groups and the API's access logs.
    expect(retentions).toEqual([30, 30, 30]);
  });

  it('have roles without AWS-managed policies, allowed to write only their own logs besides their grants', () => {
    for (const role of Object.values(synth.template.findResources('AWS::IAM::Role'))) {
      expect((role as { Properties: Record<string, unknown> }).Properties.ManagedPolicyArns).toBeUndefined();
    }
    for (const name of ['apiFunction', 'projector'] as const) {
      const { role, logGroup } = synth.stack[name];
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
