import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLocalConfig } from '../../local/local-config.ts';
import {
  type LocalRuntime,
  OidcProviderUnusableError,
  startLocalRuntime,
} from '../../local/local-runtime.ts';
import { appConfigSchema } from '../../web/src/app-config.ts';
import { startOidcProvider, TEST_AUDIENCE, type TestOidcProvider } from '../support/oidc-provider.ts';
import { runToExit } from '../support/run-to-exit.ts';

/**
 * The local runtime in AUTH_MODE=oidc over real HTTP, against a real OpenID provider on loopback: it discovers
 * the provider at start, accepts its tokens, tells the web application where to sign in, and mints none.
 */

let provider: TestOidcProvider;
let other: TestOidcProvider;
let runtime: LocalRuntime;

const oidcEnv = (issuer: string) => ({
  LEDGER_IN_MEMORY: '1',
  PORT: '0',
  AUTH_MODE: 'oidc',
  OIDC_ISSUER: issuer,
  OIDC_AUDIENCE: TEST_AUDIENCE,
  OIDC_CLIENT_ID: 'ledger-web',
});

beforeAll(async () => {
  [provider, other] = await Promise.all([startOidcProvider(), startOidcProvider()]);
  runtime = await startLocalRuntime(loadLocalConfig(oidcEnv(provider.issuer)), {
    logger: () => {},
    say: () => {},
  });
}, 180_000);
afterAll(async () => {
  await runtime?.stop();
  await Promise.all([provider?.stop(), other?.stop()]);
});

const person = { name: 'Invented Person Runtime', nationality: 'Utopia' };

function at(path: string, token?: string, init: RequestInit = {}) {
  return fetch(`${runtime.url}${path}`, {
    ...init,
    headers: {
      ...(token && { authorization: `Bearer ${token}` }),
      ...(init.headers as Record<string, string>),
    },
  });
}

const post = (path: string, token: string | undefined, body: unknown) =>
  at(path, token, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('the local runtime in AUTH_MODE=oidc', () => {
  it("accepts the provider's tokens with each role's answers, and refuses another issuer's", async () => {
    const viewer = await provider.accessToken({
      subject: 'rt-viewer',
      claims: { 'cognito:groups': ['viewer'] },
    });
    const recorder = await provider.accessToken({
      subject: 'rt-recorder',
      claims: { 'cognito:groups': ['recorder'] },
    });
    const admin = await provider.accessToken({
      subject: 'rt-admin',
      claims: { 'cognito:groups': ['admin'] },
    });
    expect((await post('/cases', recorder, { caseId: 'rt-case', subject: person })).status).toBe(201);
    expect((await post('/cases', viewer, { caseId: 'rt-case-2', subject: person })).status).toBe(403);
    expect((await at('/cases', viewer)).status).toBe(200);
    expect((await at('/cases', recorder)).status).toBe(403);
    expect((await at('/audit?from=2020-01-01&to=2020-01-02', admin)).status).toBe(200);
    expect((await at('/audit?from=2020-01-01&to=2020-01-02', viewer)).status).toBe(403);
    expect((await at('/cases')).status).toBe(401);
    const foreign = await other.accessToken({
      subject: 'rt-foreign',
      claims: { 'cognito:groups': ['admin'] },
    });
    expect((await at('/cases', foreign)).status).toBe(401);
  });

  it('refuses a role the next token no longer carries', async () => {
    const first = await provider.accessToken({
      subject: 'rt-demoted',
      claims: { 'cognito:groups': ['viewer'] },
    });
    expect((await at('/cases', first)).status).toBe(200);
    const next = await provider.accessToken({
      subject: 'rt-demoted',
      claims: { 'cognito:groups': ['recorder'] },
    });
    expect((await at('/cases', next)).status).toBe(403);
  });

  it('tells the web application to sign in at the provider, and mints no tokens itself', async () => {
    const answer = await at('/app/config.json');
    const config = appConfigSchema.parse(await answer.json());
    // The claim, scope and group the API reads roles and pii from, so the screens read them the same way.
    expect(config).toEqual({
      signIn: {
        mode: 'oidc',
        issuer: provider.issuer,
        clientId: 'ledger-web',
        rolesClaim: 'cognito:groups',
        piiScope: 'pii',
      },
    });
    // The page fetches the provider's discovery document and token endpoint itself.
    expect(answer.headers.get('content-security-policy')).toContain(`connect-src 'self' ${provider.issuer};`);
    const admin = await provider.accessToken({
      subject: 'rt-admin',
      claims: { 'cognito:groups': ['admin'] },
    });
    const signIn = { name: 'Invented Person', roles: ['admin'], pii: true };
    // The API has no such route: with a valid token the answer is its 404, without one its 401.
    const headers = { origin: runtime.url, 'sec-fetch-site': 'same-origin' };
    const withToken = await at('/local/sign-in', admin, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify(signIn),
    });
    expect(withToken.status).toBe(404);
    expect((await post('/local/sign-in', undefined, signIn)).status).toBe(401);
    expect(runtime.jwtSecret).toBeUndefined();
  });
});

describe('the web application’s settings in AUTH_MODE=oidc', () => {
  it('passes on the scopes, resource, roles claim, pii group, sign-out URL and provider name it is given', async () => {
    const configured = await startLocalRuntime(
      loadLocalConfig({
        ...oidcEnv(provider.issuer),
        OIDC_SCOPES: 'openid profile pii',
        OIDC_RESOURCE: TEST_AUDIENCE,
        OIDC_SIGN_OUT_URL: 'https://sign-in.example/logout?client_id=ledger-web',
        OIDC_PROVIDER_NAME: 'Example NGO',
        LEDGER_ROLES_CLAIM: 'realm_access.roles',
        OIDC_PII_SCOPE: 'ledger:pii',
        OIDC_PII_GROUP: 'pii-readers',
      }),
      { logger: () => {}, say: () => {} },
    );
    try {
      const config = appConfigSchema.parse(await (await fetch(`${configured.url}/app/config.json`)).json());
      expect(config).toEqual({
        signIn: {
          mode: 'oidc',
          issuer: provider.issuer,
          clientId: 'ledger-web',
          scopes: 'openid profile pii',
          resource: TEST_AUDIENCE,
          signOutUrl: 'https://sign-in.example/logout?client_id=ledger-web',
          providerName: 'Example NGO',
          rolesClaim: 'realm_access.roles',
          piiScope: 'ledger:pii',
          piiGroup: 'pii-readers',
        },
      });
    } finally {
      await configured.stop();
    }
  });
  it("lets the page fetch from the token endpoint's origin when it is not the issuer's", async () => {
    // As at Cognito: the issuer is one host, the token endpoint (the managed sign-in domain) another.
    const server = createServer((_req, res) => {
      const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          issuer,
          jwks_uri: `${issuer}/jwks`,
          token_endpoint: 'http://localhost:9/oauth2/token',
        }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const split = await startLocalRuntime(loadLocalConfig(oidcEnv(issuer)), {
      logger: () => {},
      say: () => {},
    });
    try {
      const page = await fetch(`${split.url}/app/`);
      expect(page.headers.get('content-security-policy')).toContain(
        `connect-src 'self' ${issuer} http://localhost:9;`,
      );
    } finally {
      await split.stop();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('starting in AUTH_MODE=oidc with a provider that cannot be used', () => {
  const servers: Server[] = [];
  afterAll(() => Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve)))));

  /** An HTTP server on loopback answering every request with `body`: a provider that is not one. */
  async function answering(body: (issuer: string) => string): Promise<string> {
    const server = createServer((_req, res) => {
      const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      res.writeHead(200, { 'content-type': 'application/json' }).end(body(issuer));
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async function startError(issuer: string): Promise<OidcProviderUnusableError> {
    const started = startLocalRuntime(loadLocalConfig({ ...oidcEnv(issuer), LEDGER_WEB: 'off' }), {
      logger: () => {},
    });
    const error = await started.then(
      async (unexpected) => {
        await unexpected.stop();
        throw new Error('the runtime started');
      },
      (failure: unknown) => failure,
    );
    expect(error).toBeInstanceOf(OidcProviderUnusableError);
    expect((error as Error).message).toContain(`OIDC_ISSUER=${issuer}`);
    return error as OidcProviderUnusableError;
  }

  it('says the issuer is unreachable', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const issuer = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise((resolve) => closed.close(resolve));
    const error = await startError(issuer);
    expect(error.code).toBe('oidc_provider_unusable');
    expect(error.message).toMatch(/\/\.well-known\/openid-configuration is unreachable \(.*ECONNREFUSED/);
  });

  it('npm start says so in one message, without a stack trace, and exits 1', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const issuer = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise((resolve) => closed.close(resolve));
    const root = fileURLToPath(new URL('../../', import.meta.url));
    const tsx = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));
    const { code, stderr } = await runToExit(tsx, ['local/start.ts'], {
      cwd: root,
      env: { ...process.env, ...oidcEnv(issuer), LEDGER_WEB: 'off' },
    });
    expect(code).toBe(1);
    expect(stderr).toMatch(
      new RegExp(`^AUTH_MODE=oidc: the OpenID provider OIDC_ISSUER=${issuer} cannot be used: `),
    );
    expect(stderr).not.toMatch(/^\s+at /m);
  });

  it('says the issuer answered no JSON, or a document of another issuer', async () => {
    expect((await startError(await answering(() => '<html>sign in</html>'))).message).toContain(
      'did not answer JSON',
    );
    const impostor = await answering(() =>
      JSON.stringify({ issuer: provider.issuer, jwks_uri: `${provider.issuer}/jwks` }),
    );
    expect((await startError(impostor)).message).toContain(`names another issuer, ${provider.issuer}`);
  });
});
