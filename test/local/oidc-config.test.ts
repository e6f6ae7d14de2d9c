import { describe, expect, it } from 'vitest';
import { ConfigurationError, loadRuntimeConfig } from '../../functions/config.ts';
import { loadLocalConfig } from '../../local/local-config.ts';

const oidc = {
  AUTH_MODE: 'oidc',
  OIDC_ISSUER: 'https://id.example.org/realms/ledger',
  OIDC_AUDIENCE: 'ledger-api',
};

function problemsOf(env: Record<string, string>, load = loadRuntimeConfig): string[] {
  try {
    load(env);
  } catch (error) {
    if (error instanceof ConfigurationError) return [...error.problems];
    throw error;
  }
  return [];
}

describe('AUTH_MODE=oidc configuration', () => {
  it('reads the issuer, the audiences, the roles claim and how pii is granted', () => {
    expect(
      loadRuntimeConfig({
        ...oidc,
        OIDC_AUDIENCE: 'ledger-api, https://ledger.example.org',
        LEDGER_ROLES_CLAIM: 'realm_access.roles',
        OIDC_PII_GROUP: 'ledger-pii',
        OIDC_CLIENT_ID: 'ledger-web',
      }).auth,
    ).toEqual({
      mode: 'oidc',
      issuer: 'https://id.example.org/realms/ledger',
      audiences: ['ledger-api', 'https://ledger.example.org'],
      rolesClaim: 'realm_access.roles',
      piiScope: 'pii',
      piiGroup: 'ledger-pii',
      clientId: 'ledger-web',
    });
  });

  it('is a clear start-up error without an issuer or an audience', () => {
    const problems = problemsOf({ AUTH_MODE: 'oidc' });
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^OIDC_ISSUER: required when AUTH_MODE is oidc/);
    expect(problems[1]).toMatch(/^OIDC_AUDIENCE: required when AUTH_MODE is oidc/);
  });

  it('takes plain http only for a provider on this machine', () => {
    expect(problemsOf({ ...oidc, OIDC_ISSUER: 'http://id.example.org' })).toEqual([
      'OIDC_ISSUER: https (plain http only for a provider on this machine: 127.0.0.1, localhost or [::1])',
    ]);
    expect(loadRuntimeConfig({ ...oidc, OIDC_ISSUER: 'http://127.0.0.1:9000' }).auth).toMatchObject({
      issuer: 'http://127.0.0.1:9000',
    });
    expect(problemsOf({ ...oidc, OIDC_ISSUER: 'not a url' })[0]).toMatch(/^OIDC_ISSUER: the issuer URL/);
    expect(problemsOf({ ...oidc, OIDC_AUDIENCE: 'a,,b' })[0]).toMatch(/^OIDC_AUDIENCE\.1: comma-separated/);
    expect(problemsOf({ ...oidc, OIDC_PII_SCOPE: 'two scopes' })[0]).toMatch(
      /^OIDC_PII_SCOPE: one OAuth scope/,
    );
  });

  it("locally, needs the web application's client id unless the web application is off", () => {
    const local = { ...oidc, LEDGER_IN_MEMORY: '1' };
    expect(problemsOf(local, loadLocalConfig)[0]).toMatch(/^OIDC_CLIENT_ID: required when AUTH_MODE is oidc/);
    expect(loadLocalConfig({ ...local, LEDGER_WEB: 'off' }).auth.mode).toBe('oidc');
    expect(loadLocalConfig({ ...local, OIDC_CLIENT_ID: 'ledger-web' }).auth.mode).toBe('oidc');
  });
});
