import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ALERT_THRESHOLDS } from '../../domain/alerts.ts';
import { parseEnv, runtimeEnvSchema } from '../../functions/config.ts';
import { isScheduleExpression } from '../../infra/config/schedule-expression.ts';
import { parseStackConfig, STACK_CONTEXT_KEYS, StackConfigError } from '../../infra/config/stack-config.ts';
import { REPO_ROOT } from '../../infra/function-entries.ts';

function problemsOf(context: Record<string, unknown>): readonly string[] {
  try {
    parseStackConfig(context);
  } catch (error) {
    if (error instanceof StackConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected the context to be refused');
}

describe('stack configuration from CDK context', () => {
  it('gives every setting a documented default when the context says nothing', () => {
    expect(parseStackConfig({})).toEqual({
      stage: 'dev',
      logRetentionDays: 90,
      logLevel: 'INFO',
      jwtRolesClaim: 'cognito:groups',
      jwtPiiScope: 'pii',
      jwtScopes: 'openid',
      webDist: 'web/dist',
      apiRateLimit: 50,
      apiBurstLimit: 100,
      projectorRetryAttempts: 10,
      projectorMaxRecordAgeHours: 6,
      projectorParallelization: 1,
      digestSchedule: 'rate(1 day)',
      notifySchedule: 'rate(5 minutes)',
      webhookMaxReceiveCount: 8,
      alertConsularVisitDays: 30,
      alertCustodyExpiringDays: 14,
      alertNoNewsDays: 60,
      allowKeyBackups: false,
      alarmIteratorAgeSeconds: 300,
      alarmDlqMessages: 1,
      alarmApi5xxPercent: 1,
      alarmLambdaErrors: 1,
      alarmLambdaThrottles: 1,
    });
  });

  it('reads numbers given as strings, as `-c key=value` gives them, and lists given comma-separated', () => {
    const config = parseStackConfig({
      stage: 'prod',
      logRetentionDays: '365',
      apiRateLimit: '200',
      alarmApi5xxPercent: '0.5',
      jwtIssuer: 'https://issuer.example.org/realms/ledger',
      jwtAudience: 'ledger-api, ledger-cli',
      webClientId: 'ledger-web',
    });
    expect(config).toMatchObject({
      stage: 'prod',
      logRetentionDays: 365,
      apiRateLimit: 200,
      alarmApi5xxPercent: 0.5,
      jwtAudience: ['ledger-api', 'ledger-cli'],
    });
  });

  it('treats an empty value as unset, so `-c alarmEmail=` falls back to the default', () => {
    expect(parseStackConfig({ alarmEmail: '', stage: '' })).toMatchObject({ stage: 'dev' });
    expect(parseStackConfig({ alarmEmail: '' }).alarmEmail).toBeUndefined();
  });

  it('ignores context it does not own, such as CDK feature flags', () => {
    expect(parseStackConfig({ '@aws-cdk/core:checkSecretUsage': true }).stage).toBe('dev');
  });

  it('names every wrong key, its rule and the value it got, in one error', () => {
    const problems = problemsOf({
      stage: 'Prod!',
      alarmEmail: 'not-an-address',
      logRetentionDays: '100',
      apiRateLimit: 'fast',
    });
    expect(problems).toHaveLength(4);
    expect(problems[0]).toMatch(/^stage: must be 1-20 of a-z 0-9 - .* \(got "Prod!"\)$/);
    expect(problems[1]).toMatch(/^alarmEmail: must be an e-mail address \(got "not-an-address"\)$/);
    expect(problems[2]).toMatch(/^logRetentionDays: must be one of 1, 3, 5, .*, 3653 \(got "100"\)$/);
    expect(problems[3]).toMatch(/^apiRateLimit: .* \(got "fast"\)$/);
  });

  it('says how to set the context in the error message', () => {
    expect(() => parseStackConfig({ logLevel: 'LOUD' })).toThrow(
      /Invalid CDK context \(set it with -c key=value or under "context" in cdk.json\):\n {2}- logLevel:/,
    );
  });

  it('refuses an issuer without an audience and an audience without an issuer', () => {
    expect(problemsOf({ jwtIssuer: 'https://issuer.example.org', webClientId: 'ledger-web' })).toEqual([
      expect.stringMatching(/^jwtIssuer: jwtIssuer and jwtAudience go together/),
    ]);
    expect(problemsOf({ jwtAudience: 'ledger-api' })).toEqual([
      expect.stringMatching(/^jwtIssuer: jwtIssuer and jwtAudience go together/),
    ]);
  });

  it("requires the web application's client id with an existing issuer, and refuses it without one", () => {
    expect(problemsOf({ jwtIssuer: 'https://issuer.example.org', jwtAudience: 'ledger-api' })).toEqual([
      "webClientId: required with jwtIssuer: the web application's client id at that issuer (a public client: authorization code with PKCE, no secret) (got nothing)",
    ]);
    expect(problemsOf({ webClientId: 'ledger-web' })).toEqual([
      expect.stringMatching(/^webClientId: only with jwtIssuer: with the stack's own user pool/),
    ]);
  });

  it("takes the provider's other sign-in origins as https origins, and the pii grant of its tokens", () => {
    const config = parseStackConfig({
      jwtIssuer: 'https://accounts.google.com',
      jwtAudience: 'ledger-web',
      webClientId: 'ledger-web',
      jwtEndpointOrigins: 'https://oauth2.googleapis.com/token, https://accounts.google.com',
      jwtPiiScope: 'ledger:pii',
      jwtPiiGroup: 'ledger-pii',
    });
    expect(config).toMatchObject({
      jwtEndpointOrigins: ['https://oauth2.googleapis.com', 'https://accounts.google.com'],
      jwtPiiScope: 'ledger:pii',
      jwtPiiGroup: 'ledger-pii',
    });
    expect(problemsOf({ jwtEndpointOrigins: 'http://oauth2.example.org' })).toEqual([
      expect.stringMatching(/^jwtEndpointOrigins.*: each must be an https:\/\/ origin/),
    ]);
    expect(problemsOf({ jwtPiiScope: 'two scopes' })).toEqual([
      expect.stringMatching(/^jwtPiiScope: one OAuth scope/),
    ]);
  });

  it('takes a Cognito domain prefix as Cognito accepts it, and the streaming concurrency as a small whole number', () => {
    expect(parseStackConfig({ cognitoDomainPrefix: 'ngo-ledger-prod' }).cognitoDomainPrefix).toBe(
      'ngo-ledger-prod',
    );
    for (const prefix of [
      'Ledger',
      '-ledger',
      'ledger-',
      'my-cognito-ledger',
      'aws-ledger',
      'l'.repeat(64),
    ]) {
      expect(problemsOf({ cognitoDomainPrefix: prefix }), prefix).toEqual([
        expect.stringMatching(/^cognitoDomainPrefix: must/),
      ]);
    }
    expect(parseStackConfig({ jwtScopes: 'openid pii' }).jwtScopes).toBe('openid pii');
    for (const scopes of ['pii', 'openid  pii', 'openid "pii"']) {
      expect(problemsOf({ jwtScopes: scopes }), scopes).toEqual([expect.stringMatching(/^jwtScopes: /)]);
    }
    expect(parseStackConfig({ signInName: ' Example NGO ' }).signInName).toBe('Example NGO');
    for (const name of ['', 'n'.repeat(101), 'Example\nNGO']) {
      if (name === '') expect(parseStackConfig({ signInName: name }).signInName).toBeUndefined();
      else expect(problemsOf({ signInName: name }), name).toEqual([expect.stringMatching(/^signInName: /)]);
    }
    expect(parseStackConfig({ streamingConcurrency: '20' }).streamingConcurrency).toBe(20);
    for (const value of [0, 1001, 2.5]) {
      expect(problemsOf({ streamingConcurrency: value }), String(value)).toEqual([
        expect.stringMatching(/^streamingConcurrency: /),
      ]);
    }
  });

  it('refuses an issuer that is not an https URL', () => {
    expect(
      problemsOf({ jwtIssuer: 'http://issuer.example.org', jwtAudience: 'a', webClientId: 'b' }),
    ).toEqual(['jwtIssuer: must be an https:// URL (got "http://issuer.example.org")']);
  });

  it('takes the digest schedule as an EventBridge rate or cron expression', () => {
    expect(parseStackConfig({ digestSchedule: 'rate(6 hours)' }).digestSchedule).toBe('rate(6 hours)');
    expect(parseStackConfig({ digestSchedule: ' cron(0 3 * * ? *) ' }).digestSchedule).toBe(
      'cron(0 3 * * ? *)',
    );
    expect(problemsOf({ digestSchedule: 'daily' })).toEqual([
      expect.stringMatching(/^digestSchedule: must be an EventBridge schedule: .* \(got "daily"\)$/),
    ]);
  });

  it('knows which schedule expressions EventBridge accepts', () => {
    for (const valid of [
      'rate(1 minute)',
      'rate(15 minutes)',
      'rate(1 hour)',
      'rate(1 day)',
      'rate(7 days)',
      'cron(0 3 * * ? *)',
      'cron(15 2 ? * MON-FRI *)',
      'cron(0/30 8-18 ? * 2#1 2026)',
      'cron(0 0 L * ? *)',
    ]) {
      expect(isScheduleExpression(valid), valid).toBe(true);
    }
    for (const invalid of [
      '',
      'rate(0 days)',
      'rate(1 days)',
      'rate(2 day)',
      'rate(1 week)',
      'rate(1day)',
      'cron(0 3 * * *)',
      'cron(0 3 * * * *)',
      'cron(0 3 ? * ? *)',
      'cron(0 3 * * ? * *)',
      'cron(0 3 * * ? *); rm',
      'at(2026-01-01T00:00:00)',
    ]) {
      expect(isScheduleExpression(invalid), invalid).toBe(false);
    }
  });

  it("gives the API's alert thresholds the design's defaults and the ranges the API accepts", () => {
    const defaults = parseStackConfig({});
    expect({
      consularVisitDays: defaults.alertConsularVisitDays,
      custodyExpiringDays: defaults.alertCustodyExpiringDays,
      noNewsDays: defaults.alertNoNewsDays,
    }).toEqual(DEFAULT_ALERT_THRESHOLDS);
    const ranges = {
      alertConsularVisitDays: ['ALERT_CONSULAR_VISIT_DAYS', 1, 3650],
      alertCustodyExpiringDays: ['ALERT_CUSTODY_EXPIRING_DAYS', 0, 3650],
      alertNoNewsDays: ['ALERT_NO_NEWS_DAYS', 1, 3650],
    } as const;
    for (const [key, [variable, min, max]] of Object.entries(ranges)) {
      for (const days of [min, max]) {
        expect(parseStackConfig({ [key]: String(days) })[key as keyof typeof ranges]).toBe(days);
        expect(parseEnv(runtimeEnvSchema, { [variable]: String(days) })[variable]).toBe(days);
      }
      for (const days of [min - 1, max + 1, 1.5]) {
        expect(problemsOf({ [key]: days }), `${key}=${days}`).toEqual([expect.stringMatching(`^${key}: `)]);
        expect(
          () => parseEnv(runtimeEnvSchema, { [variable]: String(days) }),
          `${variable}=${days}`,
        ).toThrow();
      }
    }
  });

  it('takes allowKeyBackups as true or false, from cdk.json or -c, and refuses anything else', () => {
    expect(parseStackConfig({}).allowKeyBackups).toBe(false);
    expect(parseStackConfig({ allowKeyBackups: true }).allowKeyBackups).toBe(true);
    expect(parseStackConfig({ allowKeyBackups: 'true' }).allowKeyBackups).toBe(true);
    expect(parseStackConfig({ allowKeyBackups: 'false' }).allowKeyBackups).toBe(false);
    expect(parseStackConfig({ allowKeyBackups: false }).allowKeyBackups).toBe(false);
    for (const value of ['yes', '1', 1, 'TRUE']) {
      expect(problemsOf({ allowKeyBackups: value }), String(value)).toEqual([
        `allowKeyBackups: must be true or false (got ${JSON.stringify(value)})`,
      ]);
    }
  });

  it('takes the break-glass principal as the ARN of an IAM role or user, and nothing else', () => {
    expect(parseStackConfig({}).breakGlassPrincipalArn).toBeUndefined();
    for (const arn of [
      'arn:aws:iam::111122223333:role/ledger-break-glass',
      'arn:aws:iam::111122223333:role/ops/ledger-break-glass',
      'arn:aws:iam::111122223333:user/ada.example',
      'arn:aws-cn:iam::111122223333:role/break-glass',
    ]) {
      expect(parseStackConfig({ breakGlassPrincipalArn: arn }).breakGlassPrincipalArn, arn).toBe(arn);
    }
    for (const arn of [
      'ledger-break-glass',
      'arn:aws:iam::111122223333:root',
      'arn:aws:sts::111122223333:assumed-role/ledger-break-glass/session',
      'arn:aws:iam::1111:role/short-account',
      'arn:aws:iam::111122223333:role/*',
      'arn:aws:iam::111122223333:group/admins',
    ]) {
      expect(problemsOf({ breakGlassPrincipalArn: arn }), arn).toEqual([
        expect.stringMatching(/^breakGlassPrincipalArn: must be the ARN of an IAM role or user/),
      ]);
    }
  });

  it("takes the roles claim as the API's LEDGER_ROLES_CLAIM accepts it", () => {
    expect(parseStackConfig({ jwtRolesClaim: 'roles' }).jwtRolesClaim).toBe('roles');
    expect(
      parseEnv(runtimeEnvSchema, { LEDGER_ROLES_CLAIM: 'r'.repeat(100) }).LEDGER_ROLES_CLAIM,
    ).toHaveLength(100);
    expect(problemsOf({ jwtRolesClaim: 'r'.repeat(101) })).toEqual([
      expect.stringMatching(/^jwtRolesClaim: at most 100 characters/),
    ]);
    expect(() => parseEnv(runtimeEnvSchema, { LEDGER_ROLES_CLAIM: 'r'.repeat(101) })).toThrow();
  });

  it('is documented in docs/operations.md, every key with its default', () => {
    const operations = readFileSync(path.join(REPO_ROOT, 'docs', 'operations.md'), 'utf8');
    const section = operations.slice(operations.indexOf('## Deploy to AWS'));
    const rows = [...section.matchAll(/^\| `(\w+)` \| (?:`([^`]*)`|unset) \|/gm)].map(([, key, value]) => [
      key,
      value,
    ]);
    const defaults = parseStackConfig({});
    expect(rows.map(([key]) => key).sort()).toEqual([...STACK_CONTEXT_KEYS].sort());
    for (const [key, value] of rows) {
      const expected = defaults[key as keyof typeof defaults];
      expect(value, key).toBe(expected === undefined ? undefined : String(expected));
    }
  });
});
