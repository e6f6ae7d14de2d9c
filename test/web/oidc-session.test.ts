import { describe, expect, it } from 'vitest';
import type { OidcSignIn } from '../../web/src/app-config.ts';
import { nextPath } from '../../web/src/session/next-path.ts';
import { sessionOfOidcTokens } from '../../web/src/session/oidc/oidc-session.ts';
import { RENEW_AT_SHARE, renewAt } from '../../web/src/session/oidc/renewal.ts';

/** An unsigned JWT with these claims: the browser reads claims, the API checks signatures. */
function jwt(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'RS256' })}.${part(claims)}.signature`;
}

const signIn: OidcSignIn = { mode: 'oidc', issuer: 'https://id.example', clientId: 'ledger-web' };
const tokens = (access: Record<string, unknown>, id?: Record<string, unknown>) => ({
  accessToken: jwt(access),
  ...(id && { idToken: jwt(id) }),
  receivedAt: 1_000_000,
  expiresAt: 1_600_000,
});

describe('where signing in leads', () => {
  it('follows a path inside the application', () => {
    expect(nextPath('/cases/c-1?asOf=2025-01-01')).toBe('/cases/c-1?asOf=2025-01-01');
    expect(nextPath('/')).toBe('/');
  });

  it('never leads to another site, whatever the address says', () => {
    for (const next of [
      '//attacker.example/',
      '/\\attacker.example',
      'https://attacker.example/',
      'cases',
      '',
    ])
      expect(nextPath(next)).toBe('/');
    expect(nextPath(null)).toBe('/');
    expect(nextPath(undefined)).toBe('/');
  });
});

describe('when a token is renewed', () => {
  it('is at 80% of its life, counted from when this browser received it', () => {
    expect(RENEW_AT_SHARE).toBe(0.8);
    expect(renewAt(1_000_000, 1_600_000)).toBe(1_480_000);
  });

  it('is at once for a token that came already expired', () => {
    expect(renewAt(1_000_000, 900_000)).toBe(1_000_000);
  });
});

describe("the session a provider's tokens speak for", () => {
  it('holds the roles of the access token, by the API’s own rule, and the name of the id token', () => {
    const session = sessionOfOidcTokens(
      tokens({ sub: 'u-1', 'cognito:groups': ['viewer', 'recorder', 'not-a-role'] }, { name: 'Ida Example' }),
      signIn,
    );
    expect(session).toEqual({
      token: expect.any(String),
      name: 'Ida Example',
      roles: ['viewer', 'recorder'],
      pii: false,
      expiresAt: 1_600_000,
      renewAt: 1_480_000,
    });
  });

  it('names the person by preferred_username, then email, then the subject', () => {
    const nameOf = (id?: Record<string, unknown>) =>
      sessionOfOidcTokens(tokens({ sub: 'u-2' }, id), signIn)?.name;
    expect(nameOf({ name: ' ', preferred_username: 'ida', email: 'ida@example.org' })).toBe('ida');
    expect(nameOf({ email: 'ida@example.org' })).toBe('ida@example.org');
    expect(nameOf()).toBe('u-2');
  });

  it('reads roles from the configured claim, and pii from the configured scope or group', () => {
    const keycloak: OidcSignIn = { ...signIn, rolesClaim: 'realm_access.roles', piiGroup: 'pii-readers' };
    const byGroup = sessionOfOidcTokens(
      tokens({ sub: 'u-3', realm_access: { roles: ['auditor', 'pii-readers'] } }),
      keycloak,
    );
    expect([byGroup?.roles, byGroup?.pii]).toEqual([['auditor'], true]);
    const byScope = sessionOfOidcTokens(
      tokens({ sub: 'u-4', 'cognito:groups': ['viewer'], scope: 'openid ledger:pii' }),
      { ...signIn, piiScope: 'ledger:pii' },
    );
    expect(byScope?.pii).toBe(true);
    // With another pii scope configured, the ledger's own `pii` name grants nothing, as at the API.
    const plainPii = sessionOfOidcTokens(tokens({ sub: 'u-5', 'cognito:groups': ['viewer'], scope: 'pii' }), {
      ...signIn,
      piiScope: 'ledger:pii',
    });
    expect(plainPii?.pii).toBe(false);
    expect(sessionOfOidcTokens(tokens({ sub: 'u-6', 'cognito:groups': ['admin'] }), signIn)?.pii).toBe(true);
  });

  it('is none for an access token that is no JWT, or names nobody', () => {
    expect(sessionOfOidcTokens({ ...tokens({}), accessToken: 'opaque-token' }, signIn)).toBeUndefined();
    expect(sessionOfOidcTokens(tokens({ 'cognito:groups': ['admin'] }), signIn)).toBeUndefined();
  });
});
