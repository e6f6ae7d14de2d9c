import { sign } from 'hono/jwt';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DISCOVERY_RETRY_AFTER_MS } from '../../functions/api/auth/oidc-authenticator.ts';
import type { OidcAuthOptions } from '../../functions/config.ts';
import { createServices, type Services } from '../../functions/services.ts';
import { startOidcProvider, TEST_AUDIENCE, type TestOidcProvider } from '../support/oidc-provider.ts';
import { projectCases } from '../support/project-cases.ts';
import { detained, withoutId } from '../support/sample-events.ts';
import { createTestTables, type TestTables } from '../support/test-tables.ts';

let db: TestTables;
let provider: TestOidcProvider;
let other: TestOidcProvider;
let now = new Date();

const person = { name: 'Invented Person Oidc', nationality: 'Utopia' };

beforeAll(async () => {
  [db, provider, other] = await Promise.all([
    createTestTables('oidc'),
    startOidcProvider(),
    startOidcProvider(),
  ]);
});
afterAll(async () => {
  await Promise.all([db?.drop(), provider?.stop(), other?.stop()]);
});

const authFor = (issuer: string, extra: Partial<OidcAuthOptions> = {}): OidcAuthOptions => ({
  mode: 'oidc',
  issuer,
  audiences: [TEST_AUDIENCE],
  rolesClaim: 'cognito:groups',
  piiScope: 'pii',
  ...extra,
});

function servicesFor(auth: OidcAuthOptions): Services {
  return createServices({
    auth,
    clients: db.clients,
    tables: db.tables,
    keyWrapper: db.keyWrapper,
    clock: () => now,
    // Every unknown key id fetches the key set again, so a rotation shows at once.
    jwksCooldownMs: 0,
  });
}

async function call(
  services: Services,
  token: string | undefined,
  method: string,
  path: string,
  body?: unknown,
) {
  const response = await services.app.request(path, {
    method,
    headers: {
      ...(token && { authorization: `Bearer ${token}` }),
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, text, json: () => JSON.parse(text) };
}

const groups = (...names: string[]) => ({ 'cognito:groups': names });

describe('AUTH_MODE=oidc: access tokens of a real OpenID provider, verified by the app', () => {
  let services: Services;

  beforeAll(async () => {
    services = servicesFor(authFor(provider.issuer));
    const admin = await provider.accessToken({ subject: 'setup-admin', claims: groups('admin') });
    const opened = await call(services, admin, 'POST', '/cases', {
      caseId: 'oidc-case',
      subject: person,
      events: [withoutId(detained())],
    });
    expect([201, 409], opened.text).toContain(opened.status);
    await projectCases(services, 'oidc-case');
  });

  it.each([
    { role: 'viewer', read: 200, open: 403, audit: 403, erase: 403 },
    { role: 'recorder', read: 403, open: 201, audit: 403, erase: 403 },
    { role: 'auditor', read: 200, open: 403, audit: 200, erase: 403 },
    { role: 'admin', read: 200, open: 201, audit: 200, erase: 'allowed' },
  ])('a $role token gets the access matrix answers', async ({ role, read, open, audit, erase }) => {
    const token = await provider.accessToken({ subject: `oidc-${role}`, claims: groups(role) });
    expect((await call(services, token, 'GET', '/cases')).status).toBe(read);
    const opened = await call(services, token, 'POST', '/cases', {
      caseId: `oidc-open-${role}`,
      subject: person,
    });
    expect(opened.status, opened.text).toBe(open);
    if (open === 201) expect(opened.json().events[0].recordedBy).toBe(`oidc-${role}`);
    expect((await call(services, token, 'GET', '/audit?from=2020-01-01&to=2020-01-02')).status).toBe(audit);
    // Erasure is not tried here (it would erase the shared case): a 403 or not is the whole point.
    const erased = await call(services, token, 'POST', '/cases/no-such-case/erase', { reason: 'matrix' });
    if (erase === 'allowed') expect(erased.status).not.toBe(403);
    else expect(erased.status).toBe(erase);
  });

  it('refuses a token that has expired, beyond the clock skew allowed', async () => {
    const token = await provider.accessToken({
      subject: 'oidc-expiring',
      claims: groups('viewer'),
      ttlSeconds: 60,
    });
    expect((await call(services, token, 'GET', '/cases')).status).toBe(200);
    const saved = now;
    try {
      now = new Date(Date.now() + 60_000 + 10_000);
      expect((await call(services, token, 'GET', '/cases')).status, 'within the skew').toBe(200);
      now = new Date(Date.now() + 60_000 + 31_000);
      const late = await call(services, token, 'GET', '/cases');
      expect(late.status).toBe(401);
      expect(late.json().type).toBe('urn:problem:detention-ledger:unauthenticated');
    } finally {
      now = saved;
    }
  });

  it('refuses a token of another issuer, one for another audience, and an HS256 token', async () => {
    const foreign = await other.accessToken({ subject: 'oidc-foreign', claims: groups('admin') });
    expect((await call(services, foreign, 'GET', '/cases')).status).toBe(401);
    const elsewhere = await provider.accessToken({
      subject: 'oidc-elsewhere',
      claims: groups('admin'),
      audience: 'https://another-app.test/api',
    });
    expect((await call(services, elsewhere, 'GET', '/cases')).status).toBe(401);
    // Shaped like the provider's own tokens, but signed with a secret instead of the provider's key.
    const shared = await sign(
      {
        iss: provider.issuer,
        aud: TEST_AUDIENCE,
        sub: 'oidc-forger',
        'cognito:groups': ['admin'],
        exp: Math.floor(Date.now() / 1000) + 600,
      },
      'a-secret-that-is-long-enough-for-hs256-0123456789',
      'HS256',
    );
    expect((await call(services, shared, 'GET', '/cases')).status).toBe(401);
  });

  it('accepts a token signed with a new key after the provider rotates its keys', async () => {
    const before = await provider.accessToken({ subject: 'oidc-rotating', claims: groups('viewer') });
    expect((await call(services, before, 'GET', '/cases')).status).toBe(200);
    await provider.rotateKeys();
    const after = await provider.accessToken({ subject: 'oidc-rotating', claims: groups('viewer') });
    expect(decodeProtectedHeader(after).kid).not.toBe(decodeProtectedHeader(before).kid);
    expect((await call(services, after, 'GET', '/cases')).status).toBe(200);
  });

  it('refuses a role the next token no longer carries', async () => {
    const first = await provider.accessToken({ subject: 'oidc-demoted', claims: groups('recorder') });
    expect(
      (await call(services, first, 'POST', '/cases', { caseId: 'oidc-demoted-1', subject: person })).status,
    ).toBe(201);
    const next = await provider.accessToken({ subject: 'oidc-demoted', claims: groups('viewer') });
    const refused = await call(services, next, 'POST', '/cases', {
      caseId: 'oidc-demoted-2',
      subject: person,
    });
    expect(refused.status).toBe(403);
  });

  it('grants pii by the configured scope', async () => {
    const withScope = await provider.accessToken({
      subject: 'oidc-pii',
      claims: groups('viewer'),
      scope: 'pii',
    });
    const without = await provider.accessToken({ subject: 'oidc-no-pii', claims: groups('viewer') });
    expect((await call(services, withScope, 'GET', '/cases/oidc-case')).json().subject.name).toBe(
      person.name,
    );
    expect((await call(services, without, 'GET', '/cases/oidc-case')).json().subject.name).toBeUndefined();
  });

  it("grants pii by a scope of another name, and not by the ledger's own scope then", async () => {
    const renamed = servicesFor(authFor(provider.issuer, { piiScope: 'ledger:pii' }));
    const named = await provider.accessToken({
      subject: 'oidc-pii-named',
      claims: groups('viewer'),
      scope: 'ledger:pii',
    });
    const plain = await provider.accessToken({
      subject: 'oidc-pii-plain',
      claims: groups('viewer'),
      scope: 'pii',
    });
    expect((await call(renamed, named, 'GET', '/cases/oidc-case')).json().subject.name).toBe(person.name);
    expect((await call(renamed, plain, 'GET', '/cases/oidc-case')).json().subject.name).toBeUndefined();
  });

  it('grants pii by a group, and reads roles from a nested claim (Keycloak)', async () => {
    const keycloak = servicesFor(
      authFor(provider.issuer, { rolesClaim: 'realm_access.roles', piiGroup: 'ledger-pii' }),
    );
    const member = await provider.accessToken({
      subject: 'oidc-pii-group',
      claims: { realm_access: { roles: ['viewer', 'ledger-pii'] } },
    });
    const viewer = await provider.accessToken({
      subject: 'oidc-pii-none',
      claims: { realm_access: { roles: ['viewer'] } },
    });
    expect((await call(keycloak, member, 'GET', '/cases/oidc-case')).json().subject.name).toBe(person.name);
    expect((await call(keycloak, viewer, 'GET', '/cases/oidc-case')).json().subject.name).toBeUndefined();
    expect(
      (await call(keycloak, viewer, 'POST', '/cases', { caseId: 'oidc-kc', subject: person })).status,
    ).toBe(403);
  });
});

describe('AUTH_MODE=oidc with Cognito-shaped access tokens: `client_id`, no `aud`', () => {
  const WEB_CLIENT = 'ledger-web-client';
  let services: Services;
  beforeAll(() => {
    services = servicesFor(authFor(provider.issuer, { audiences: [TEST_AUDIENCE, WEB_CLIENT] }));
  });

  it('accepts a token without `aud` whose `client_id` is one of the audiences', async () => {
    const token = await provider.signedToken({
      subject: 'oidc-cognito-viewer',
      claims: { client_id: WEB_CLIENT, token_use: 'access', scope: 'openid', ...groups('viewer') },
    });
    expect(decodeJwt(token).aud).toBeUndefined();
    const answer = await call(services, token, 'GET', '/cases');
    expect(answer.status, answer.text).toBe(200);
  });

  it('refuses a token without `aud` for another client, or for no client at all', async () => {
    const another = await provider.signedToken({
      subject: 'oidc-cognito-other',
      claims: { client_id: 'another-client', ...groups('admin') },
    });
    expect((await call(services, another, 'GET', '/cases')).status).toBe(401);
    const none = await provider.signedToken({ subject: 'oidc-cognito-none', claims: groups('admin') });
    expect((await call(services, none, 'GET', '/cases')).status).toBe(401);
  });

  it('refuses a token whose `aud` names another audience, whatever its `client_id`', async () => {
    // The provider's tokens carry the client they were issued to in `client_id`: here, an accepted one.
    const token = await provider.accessToken({
      subject: WEB_CLIENT,
      claims: groups('admin'),
      audience: 'https://another-app.test/api',
    });
    expect(decodeJwt(token)).toMatchObject({ client_id: WEB_CLIENT, aud: 'https://another-app.test/api' });
    expect((await call(services, token, 'GET', '/cases')).status).toBe(401);
  });
});

describe('AUTH_MODE=oidc when the provider is down', () => {
  let provider: TestOidcProvider;
  beforeAll(async () => {
    provider = await startOidcProvider();
  });
  afterAll(() => provider.stop());

  it('answers 503 with a detail naming the provider, not 401, and recovers when it is back', async () => {
    const token = await provider.accessToken({ subject: 'oidc-outage', claims: groups('viewer') });
    provider.down();
    const services = servicesFor(authFor(provider.issuer));
    const answer = await call(services, token, 'GET', '/cases');
    expect(answer.status, answer.text).toBe(503);
    expect(answer.json().type).toBe('urn:problem:detention-ledger:unavailable');
    expect(answer.json().detail).toContain(provider.issuer);
    provider.up();
    const saved = now;
    try {
      now = new Date(saved.getTime() + DISCOVERY_RETRY_AFTER_MS);
      expect((await call(services, token, 'GET', '/cases')).status).toBe(200);
    } finally {
      now = saved;
    }
  });

  it('remembers a failed discovery for a few seconds: meanwhile it answers 503 without asking the provider again', async () => {
    const token = await provider.accessToken({ subject: 'oidc-outage', claims: groups('viewer') });
    provider.down();
    const services = servicesFor(authFor(provider.issuer));
    const saved = now;
    try {
      expect((await call(services, token, 'GET', '/cases')).status).toBe(503);
      // The provider is back, but the failure is still remembered: had the app asked again, it would get in.
      provider.up();
      now = new Date(saved.getTime() + DISCOVERY_RETRY_AFTER_MS - 1);
      const meanwhile = await call(services, token, 'GET', '/cases');
      expect(meanwhile.status, meanwhile.text).toBe(503);
      expect(meanwhile.json().detail).toContain(provider.issuer);
      now = new Date(saved.getTime() + DISCOVERY_RETRY_AFTER_MS);
      expect((await call(services, token, 'GET', '/cases')).status).toBe(200);
    } finally {
      provider.up();
      now = saved;
    }
  });

  it('answers 503 when a token names a new key and the key set cannot be fetched', async () => {
    const services = servicesFor(authFor(provider.issuer));
    const known = await provider.accessToken({ subject: 'oidc-outage', claims: groups('viewer') });
    expect((await call(services, known, 'GET', '/cases')).status).toBe(200);
    await provider.rotateKeys();
    const rotated = await provider.accessToken({ subject: 'oidc-outage', claims: groups('viewer') });
    provider.down();
    try {
      const answer = await call(services, rotated, 'GET', '/cases');
      expect(answer.status, answer.text).toBe(503);
      expect(answer.json().detail).toContain('key set');
    } finally {
      provider.up();
    }
  });
});
