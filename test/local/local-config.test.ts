import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../functions/config.ts';
import { loadLocalConfig } from '../../local/local-config.ts';

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadLocalConfig(env, '/srv/ledger');
  } catch (error) {
    if (error instanceof ConfigurationError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigurationError');
}

describe('the local configuration', () => {
  it('defaults to port 3000, tables ledger, views and case-keys, DynamoDB Local with data in .ledger-data/', () => {
    expect(loadLocalConfig({}, '/srv/ledger')).toEqual({
      port: 3000,
      tables: {
        ledger: 'ledger',
        views: 'views',
        keys: 'case-keys',
        notifications: 'notifications',
        log: 'log',
      },
      dynamodb: {},
      alerts: { consularVisitDays: 30, custodyExpiringDays: 14, noNewsDays: 60 },
      auth: { mode: 'jwt-secret', rolesClaim: 'cognito:groups' },
      keyWrapping: { mode: 'local' },
      dataDir: '/srv/ledger/.ledger-data',
      masterKeysHome: join(homedir(), '.config', 'detention-ledger', 'master-keys'),
      log: { origin: 'localhost/detention-ledger', witnesses: [] },
      logDir: '/srv/ledger/.ledger-data/log',
      logKeyFile: undefined,
      serveWeb: true,
      notify: {
        from: 'detention-ledger@localhost',
        linkSecret: { kind: 'unset' },
        email: { kind: 'files' },
        webhooks: { mode: 'direct' },
        webhookPolicy: { allowHttp: false, allowLoopback: false },
        intervalSeconds: 60,
      },
      webSignIn: {},
    });
  });

  it('keeps the master keys under the configuration folder, never inside the data directory', () => {
    const config = loadLocalConfig({ XDG_CONFIG_HOME: '/home/test/.cfg' }, '/srv/ledger');
    expect(config.masterKeysHome).toBe('/home/test/.cfg/detention-ledger/master-keys');
    expect(loadLocalConfig({ HOME: '/home/test' }, '/srv/ledger').masterKeysHome).toBe(
      '/home/test/.config/detention-ledger/master-keys',
    );
    // A relative XDG_CONFIG_HOME is ignored, as the XDG rules say.
    expect(
      loadLocalConfig({ XDG_CONFIG_HOME: 'cfg', HOME: '/home/test' }, '/srv/ledger').masterKeysHome,
    ).toBe('/home/test/.config/detention-ledger/master-keys');
    expect(loadLocalConfig({ LEDGER_IN_MEMORY: '1' }).masterKeysHome).toBeUndefined();
  });

  it('reads what wraps the case keys, and refuses a master key of the wrong size or KMS without a key', () => {
    const master = Buffer.alloc(32, 7).toString('base64');
    expect(loadLocalConfig({ LEDGER_MASTER_KEY: master }).keyWrapping).toEqual({
      mode: 'local',
      masterKey: master,
    });
    expect(
      loadLocalConfig({ KEY_WRAPPING: 'kms', KMS_KEY_ID: 'arn:aws:kms:eu-west-1:1:key/x' }).keyWrapping,
    ).toEqual({
      mode: 'kms',
      kmsKeyId: 'arn:aws:kms:eu-west-1:1:key/x',
    });
    expect(problemsOf({ LEDGER_MASTER_KEY: Buffer.alloc(16).toString('base64') }).join('\n')).toContain(
      'LEDGER_MASTER_KEY',
    );
    expect(problemsOf({ LEDGER_MASTER_KEY: 'not base64 at all!' }).join('\n')).toContain('LEDGER_MASTER_KEY');
    expect(problemsOf({ KEY_WRAPPING: 'kms' }).join('\n')).toContain('KMS_KEY_ID');
    expect(problemsOf({ KEY_WRAPPING: 'rot13' }).join('\n')).toContain('KEY_WRAPPING');
  });

  it('reads how callers are authenticated, and refuses a short secret or an unknown mode', () => {
    expect(loadLocalConfig({ LEDGER_JWT_SECRET: 's'.repeat(32), LEDGER_ROLES_CLAIM: 'roles' }).auth).toEqual({
      mode: 'jwt-secret',
      secret: 's'.repeat(32),
      rolesClaim: 'roles',
    });
    expect(loadLocalConfig({ AUTH_MODE: 'api-gateway' }).auth).toEqual({
      mode: 'api-gateway',
      rolesClaim: 'cognito:groups',
      piiScope: 'pii',
    });
    expect(loadLocalConfig({ AUTH_MODE: 'api-gateway', OIDC_PII_GROUP: 'pii' }).auth).toMatchObject({
      mode: 'api-gateway',
      piiGroup: 'pii',
    });
    const problems = problemsOf({ AUTH_MODE: 'none', LEDGER_JWT_SECRET: 'short' }).join('\n');
    expect(problems).toContain('AUTH_MODE');
    expect(problems).toContain('LEDGER_JWT_SECRET');
  });

  it("says what each bad variable should hold, in words, not in zod's", () => {
    const problems = problemsOf({
      ALERT_NO_NEWS_DAYS: 'sixty',
      ALERT_CUSTODY_EXPIRING_DAYS: '-1',
      ALERT_CONSULAR_VISIT_DAYS: '2.5',
      DYNAMODB_ENDPOINT: 'localhost:8000',
      LEDGER_MASTER_KEY: 'not base64 at all!',
    });
    expect(problems).toEqual([
      'DYNAMODB_ENDPOINT: a DynamoDB endpoint URL, e.g. http://127.0.0.1:8000',
      'ALERT_CONSULAR_VISIT_DAYS: a whole number of days, 1 to 3650',
      'ALERT_CUSTODY_EXPIRING_DAYS: a whole number of days, 0 to 3650',
      'ALERT_NO_NEWS_DAYS: a whole number of days, 1 to 3650',
      'LEDGER_MASTER_KEY: 32 bytes, base64 (openssl rand -base64 32)',
    ]);
    expect(problems.join('\n')).not.toMatch(/NaN|expected number|Invalid/);
  });

  it('reads alert thresholds and the cursor key, and names each bad one', () => {
    const config = loadLocalConfig(
      {
        ALERT_CONSULAR_VISIT_DAYS: '21',
        ALERT_CUSTODY_EXPIRING_DAYS: '0',
        ALERT_NO_NEWS_DAYS: '90',
        LEDGER_CURSOR_SECRET: 'k'.repeat(32),
      },
      '/srv/ledger',
    );
    expect(config.alerts).toEqual({ consularVisitDays: 21, custodyExpiringDays: 0, noNewsDays: 90 });
    expect(config.cursorSecret).toBe('k'.repeat(32));
    const problems = problemsOf({
      ALERT_CONSULAR_VISIT_DAYS: '0',
      ALERT_NO_NEWS_DAYS: 'sixty',
      LEDGER_CURSOR_SECRET: 'short',
    }).join('\n');
    expect(problems).toContain('ALERT_CONSULAR_VISIT_DAYS');
    expect(problems).toContain('ALERT_NO_NEWS_DAYS');
    expect(problems).toContain('LEDGER_CURSOR_SECRET');
  });

  it('treats empty variables as unset', () => {
    expect(loadLocalConfig({ PORT: '', LEDGER_DATA_DIR: '' }, '/srv/ledger')).toMatchObject({
      port: 3000,
      dataDir: '/srv/ledger/.ledger-data',
    });
  });

  it('resolves a relative data directory against the working directory', () => {
    expect(loadLocalConfig({ LEDGER_DATA_DIR: 'var/../data' }, '/srv/ledger').dataDir).toBe(
      '/srv/ledger/data',
    );
  });

  it('keeps an absolute data directory as it is', () => {
    expect(loadLocalConfig({ LEDGER_DATA_DIR: '/var/lib/ledger' }, '/srv/ledger').dataDir).toBe(
      '/var/lib/ledger',
    );
  });

  it('keeps the data in memory only when LEDGER_IN_MEMORY is 1', () => {
    expect(loadLocalConfig({ LEDGER_IN_MEMORY: '1' }, '/srv/ledger').dataDir).toBeUndefined();
    expect(loadLocalConfig({ LEDGER_IN_MEMORY: '0' }, '/srv/ledger').dataDir).toBe(
      '/srv/ledger/.ledger-data',
    );
  });

  it('reads the port, the table names and an external DynamoDB endpoint', () => {
    const config = loadLocalConfig(
      {
        PORT: '8080',
        LEDGER_TABLE: 'my-ledger',
        VIEWS_TABLE: 'my-views',
        DYNAMODB_ENDPOINT: 'http://localhost:8000',
      },
      '/srv/ledger',
    );
    expect(config).toMatchObject({
      port: 8080,
      tables: { ledger: 'my-ledger', views: 'my-views' },
      dynamodb: { endpoint: 'http://localhost:8000' },
    });
  });

  it('serves the web application unless LEDGER_WEB=off, and refuses any other value', () => {
    expect(loadLocalConfig({}, '/srv/ledger').serveWeb).toBe(true);
    expect(loadLocalConfig({ LEDGER_WEB: 'on' }, '/srv/ledger').serveWeb).toBe(true);
    expect(loadLocalConfig({ LEDGER_WEB: 'off' }, '/srv/ledger').serveWeb).toBe(false);
    expect(problemsOf({ LEDGER_WEB: 'no' })).toEqual([expect.stringMatching(/^LEDGER_WEB: on .* or off/)]);
  });

  it('names the provider on the sign-in button only with a plain, short name', () => {
    expect(loadLocalConfig({ OIDC_PROVIDER_NAME: ' Example NGO ' }, '/srv/ledger').webSignIn).toEqual({
      providerName: 'Example NGO',
    });
    expect(problemsOf({ OIDC_PROVIDER_NAME: 'n'.repeat(101) })).toEqual([
      expect.stringMatching(/^OIDC_PROVIDER_NAME: at most 100/),
    ]);
    expect(problemsOf({ OIDC_PROVIDER_NAME: 'Example\u0007NGO' })).toEqual([
      expect.stringMatching(/^OIDC_PROVIDER_NAME: no control/),
    ]);
  });

  it('refuses a port that is not a number, or out of range', () => {
    expect(problemsOf({ PORT: 'eighty' })).toEqual([expect.stringMatching(/^PORT: .*port number/)]);
    expect(problemsOf({ PORT: '70000' })).toEqual([expect.stringMatching(/^PORT: /)]);
    expect(problemsOf({ PORT: '-1' })).toEqual([expect.stringMatching(/^PORT: /)]);
  });

  it('lists every problem in one error, so one restart fixes them all', () => {
    const problems = problemsOf({
      PORT: 'x',
      LEDGER_IN_MEMORY: 'yes',
      LEDGER_TABLE: 'a',
      DYNAMODB_ENDPOINT: 'nope',
    });
    expect(problems.map((problem) => problem.split(':')[0]).sort()).toEqual([
      'DYNAMODB_ENDPOINT',
      'LEDGER_IN_MEMORY',
      'LEDGER_TABLE',
      'PORT',
    ]);
    expect(() => loadLocalConfig({ PORT: 'x', LEDGER_IN_MEMORY: 'yes' })).toThrow(
      /PORT[\s\S]*LEDGER_IN_MEMORY/,
    );
  });
});
