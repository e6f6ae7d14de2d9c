import { describe, expect, it } from 'vitest';
import { principalFromClaims, seesPersonalData } from '../../functions/api/auth/principal.ts';

describe('principalFromClaims: roles and pii as identity providers write them', () => {
  it('reads a claim whose whole name has dots (Auth0 namespaces) before a nested path', () => {
    const namespaced = principalFromClaims(
      { sub: 'p-1', 'https://ledger.example.org/roles': ['viewer'] },
      'https://ledger.example.org/roles',
    );
    expect([...(namespaced?.roles ?? [])]).toEqual(['viewer']);
    const nested = principalFromClaims(
      { sub: 'p-2', realm_access: { roles: ['recorder', 'offline_access'] } },
      'realm_access.roles',
    );
    expect([...(nested?.roles ?? [])]).toEqual(['recorder']);
    // A path through something that is not an object gives no roles, never an error.
    expect(principalFromClaims({ sub: 'p-3', realm_access: 'admin' }, 'realm_access.roles')?.roles.size).toBe(
      0,
    );
    expect(
      principalFromClaims({ sub: 'p-4', realm_access: { roles: ['admin'] } }, 'realm_access.toString')?.roles
        .size,
    ).toBe(0);
  });

  it('grants pii by the configured scope or group, and not by the plain pii scope when another is configured', () => {
    const viewer = (extra: Record<string, unknown>) => ({
      sub: 'p-5',
      'cognito:groups': ['viewer'],
      ...extra,
    });
    const sees = (claims: Record<string, unknown>, grant: { scope?: string; group?: string }) => {
      const principal = principalFromClaims(claims, 'cognito:groups', grant);
      return principal !== undefined && seesPersonalData(principal);
    };
    expect(sees(viewer({ scope: 'openid pii' }), { scope: 'pii' })).toBe(true);
    expect(sees(viewer({ scope: 'openid pii' }), { scope: 'ledger:pii' })).toBe(false);
    expect(sees(viewer({ scp: ['ledger:pii'] }), { scope: 'ledger:pii' })).toBe(true);
    expect(
      sees(
        { sub: 'p-6', 'cognito:groups': ['viewer', 'pii-readers'] },
        { scope: 'pii', group: 'pii-readers' },
      ),
    ).toBe(true);
    expect(sees(viewer({}), { scope: 'pii', group: 'pii-readers' })).toBe(false);
  });
});
