import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLocalConfig } from '../../local/local-config.ts';
import { type LocalRuntime, startLocalRuntime } from '../../local/local-runtime.ts';
import { SIGN_IN_TOKEN_SECONDS } from '../../local/local-sign-in.ts';
import { WEB_DIST } from '../../local/web-build.ts';
import { createLocalHost, WEB_SECURITY_HEADERS } from '../../local/web-host.ts';
import { appConfigSchema } from '../../web/src/app-config.ts';
import { servicesOn } from '../support/test-services.ts';
import { createTestTables } from '../support/test-tables.ts';
import { testToken } from '../support/tokens.ts';

/**
 * The local runtime as a browser meets it, over real HTTP: the web application at /app/, its headers, and
 * signing in. In memory, on any free port; the runtime builds the application first when it is stale.
 */

let runtime: LocalRuntime;
beforeAll(async () => {
  runtime = await startLocalRuntime(loadLocalConfig({ LEDGER_IN_MEMORY: '1', PORT: '0' }), {
    logger: () => {},
    say: () => {},
  });
}, 180_000);
afterAll(() => runtime?.stop());

const at = (path: string, init?: RequestInit) =>
  fetch(`${runtime.url}${path}`, { redirect: 'manual', ...init });

function expectWebHeaders(response: Response) {
  for (const [name, value] of Object.entries(WEB_SECURITY_HEADERS))
    expect(response.headers.get(name)).toBe(value);
}

interface SignIn {
  name?: unknown;
  roles?: unknown;
  pii?: unknown;
}

function signIn(body: SignIn | string, headers: Record<string, string> = {}) {
  return at('/local/sign-in', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      origin: runtime.url,
      'sec-fetch-site': 'same-origin',
      ...headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

async function tokenFor(body: SignIn): Promise<string> {
  const response = await signIn(body);
  expect(response.status).toBe(200);
  return ((await response.json()) as { token: string }).token;
}

describe('the web application at /app/', () => {
  it('serves index.html at /app/ with the security headers, checked again on every load', async () => {
    const response = await at('/app/');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expectWebHeaders(response);
    const html = await response.text();
    expect(html).toBe(await readFile(join(WEB_DIST, 'index.html'), 'utf8'));
    expect(html).toContain('<div id="root">');
  });

  it('answers HEAD as GET without a body, as browsers and proxies check pages', async () => {
    const head = await at('/app/cases/demo-c01', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toMatch(/^text\/html/);
    expectWebHeaders(head);
    expect(await head.text()).toBe('');
  });

  it('serves the hashed assets as immutable, and a missing asset is a 404, not the page', async () => {
    const html = await (await at('/app/')).text();
    const script = /src="(\/app\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const asset = await at(script!);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expectWebHeaders(asset);

    const stamp = await at('/app/.build-stamp.json');
    expect(stamp.status).toBe(404);

    const missing = await at('/app/assets/missing.js');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toBe('application/problem+json');
    expectWebHeaders(missing);
  });

  it("answers the application's own routes with its page, so a reload or a shared link works", async () => {
    for (const path of ['/app/cases/demo-c01', '/app/sign-in', '/app/cases/new?group=g1']) {
      const response = await at(path);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-cache');
      expectWebHeaders(response);
      expect(await response.text()).toContain('<div id="root">');
    }
  });

  it('leads from / and /app to /app/', async () => {
    for (const path of ['/', '/app']) {
      const response = await at(path);
      expect(response.status, path).toBe(302);
      expect(response.headers.get('location')).toBe('/app/');
    }
  });

  it('tells the application how people sign in here', async () => {
    const response = await at('/app/config.json');
    expect(response.status).toBe(200);
    expectWebHeaders(response);
    const config = appConfigSchema.parse(await response.json());
    expect(config).toEqual({ signIn: { mode: 'local' } });
  });

  it('only reads: a write under /app/ is refused, and the API keeps every other path', async () => {
    const write = await at('/app/cases', { method: 'POST', body: '{}' });
    expect(write.status).toBe(405);
    expect(write.headers.get('allow')).toBe('GET, HEAD');
    expect((await at('/health')).status).toBe(200);
    expect((await at('/openapi.json')).status).toBe(200);
    expect((await at('/cases')).status).toBe(401);
  });
});

describe('signing in on this machine', () => {
  it('mints a one-hour token the API accepts, with the roles chosen and no more', async () => {
    const before = Math.floor(Date.now() / 1000) * 1000;
    const response = await signIn({ name: 'Desk officer Ada', roles: ['viewer'], pii: false });
    const after = Date.now();
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const { token, expiresAt } = (await response.json()) as { token: string; expiresAt: string };
    // An hour from when it was minted, which was between the two readings of the clock.
    expect(Date.parse(expiresAt)).toBeGreaterThanOrEqual(before + SIGN_IN_TOKEN_SECONDS * 1000);
    expect(Date.parse(expiresAt)).toBeLessThanOrEqual(after + SIGN_IN_TOKEN_SECONDS * 1000);
    expect(SIGN_IN_TOKEN_SECONDS).toBe(3600);
    const payload = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<
      string,
      unknown
    >;
    expect(payload).toMatchObject({ sub: 'Desk officer Ada', 'cognito:groups': ['viewer'] });
    expect(payload.scope).toBeUndefined();
    expect((payload.exp as number) * 1000).toBe(Date.parse(expiresAt));

    const authorization = { authorization: `Bearer ${token}` };
    expect((await at('/cases', { headers: authorization })).status).toBe(200);
    const open = await at('/cases', {
      method: 'POST',
      headers: { ...authorization, 'content-type': 'application/json' },
      body: JSON.stringify({ subject: { name: 'Ada Example', nationality: 'Examplestan' } }),
    });
    expect(open.status).toBe(403);
  });

  it('records what a recorder signed in as, and gives the pii scope only when asked', async () => {
    const token = await tokenFor({ name: 'Recorder Bea', roles: ['recorder', 'viewer'], pii: true });
    const payload = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<
      string,
      unknown
    >;
    expect(payload).toMatchObject({ sub: 'Recorder Bea', scope: 'pii' });
    const open = await at('/cases', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ subject: { name: 'Bea Example', nationality: 'Examplestan' } }),
    });
    expect(open.status).toBe(201);
    const opened = (await open.json()) as { caseId: string };
    await runtime.projected();
    const events = await at(`/cases/${opened.caseId}/events`, {
      headers: {
        authorization: `Bearer ${await tokenFor({ name: 'Auditor Cy', roles: ['auditor'], pii: false })}`,
      },
    });
    expect(events.status).toBe(200);
    expect(JSON.stringify(await events.json())).toContain('"recordedBy":"Recorder Bea"');
  });

  it('refuses a malformed, incomplete, oversized or unknown sign-in with a problem naming the field', async () => {
    const refusals: [string, SignIn | string, number, string?][] = [
      ['not JSON', '{"name": ', 400],
      ['no name', { roles: ['viewer'], pii: false }, 400, 'name'],
      ['blank name', { name: '   ', roles: ['viewer'], pii: false }, 400, 'name'],
      ['name too long', { name: 'a'.repeat(81), roles: ['viewer'], pii: false }, 400, 'name'],
      ['control character', { name: 'Ada\nadmin', roles: ['viewer'], pii: false }, 400, 'name'],
      ['no roles', { name: 'Ada', roles: [], pii: false }, 400, 'roles'],
      ['unknown role', { name: 'Ada', roles: ['viewer', 'superuser'], pii: false }, 400, 'roles.1'],
      ['pii missing', { name: 'Ada', roles: ['viewer'] }, 400, 'pii'],
      ['pii not a boolean', { name: 'Ada', roles: ['viewer'], pii: 'yes' }, 400, 'pii'],
      ['an extra claim', { name: 'Ada', roles: ['viewer'], pii: false, exp: 9_999_999_999 } as SignIn, 400],
      [
        'oversized',
        { name: 'Ada', roles: ['viewer'], pii: false, padding: 'x'.repeat(10_000) } as SignIn,
        413,
      ],
    ];
    for (const [why, body, status, field] of refusals) {
      const response = await signIn(body);
      expect(response.status, why).toBe(status);
      expect(response.headers.get('content-type'), why).toBe('application/problem+json');
      const problem = (await response.json()) as {
        type: string;
        detail: string;
        errors?: { path: string }[];
      };
      expect(problem.type, why).toMatch(/^urn:problem:detention-ledger:/);
      if (field)
        expect(
          problem.errors?.map((issue) => issue.path),
          why,
        ).toContain(field);
    }
  });

  it('refuses what a web page elsewhere could send: another origin, a cross-site fetch, a form', async () => {
    const valid = { name: 'Ada', roles: ['admin'], pii: true };
    for (const origin of ['http://evil.example', 'null', runtime.url.replace('127.0.0.1', '127.0.0.2')]) {
      expect((await signIn(valid, { origin })).status, origin).toBe(403);
    }
    expect((await signIn(valid, { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await signIn(valid, { 'sec-fetch-site': 'same-site' })).status).toBe(403);
    // A plain HTML form can only send these types.
    for (const type of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
    ]) {
      expect((await signIn(JSON.stringify(valid), { 'content-type': type })).status, type).toBe(415);
    }
    // From this machine's own pages, by either name of loopback, and from a terminal (no Origin at all).
    expect((await signIn(valid, { origin: runtime.url.replace('127.0.0.1', 'localhost') })).status).toBe(200);
    const terminal = await fetch(`${runtime.url}/local/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify(valid),
    });
    expect(terminal.status).toBe(200);
  });

  it('takes POST only', async () => {
    const response = await at('/local/sign-in');
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
  });
});

describe('where signing in does not exist', () => {
  const request = () =>
    new Request('http://127.0.0.1/local/sign-in', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Ada', roles: ['admin'], pii: true }),
    });

  it('is not a route of the API app, so never of Lambda, even for a caller with a valid token', async () => {
    const db = await createTestTables('sign-in');
    try {
      const { app } = servicesOn(db);
      const admin = request();
      admin.headers.set('authorization', `Bearer ${await testToken(['admin'], { pii: true })}`);
      const response = await app.request(admin);
      expect(response.status).toBe(404);
      expect(((await response.json()) as { type: string }).type).toBe(
        'urn:problem:detention-ledger:http-404',
      );
    } finally {
      await db.drop();
    }
  });

  it('answers no request that did not come over a socket from this machine', async () => {
    const host = createLocalHost({
      api: () => new Response('api', { status: 404 }),
      webDist: WEB_DIST,
      signIn: {
        secret: 's'.repeat(32),
        rolesClaim: 'cognito:groups',
        ownOrigins: () => ['http://127.0.0.1'],
      },
    });
    expect((await host.request(request())).status).toBe(403);
    const fromElsewhere = { incoming: { socket: { remoteAddress: '192.0.2.7', remotePort: 4000 } } };
    expect((await host.request(request(), undefined, fromElsewhere)).status).toBe(403);
    const fromHere = {
      incoming: { socket: { remoteAddress: '127.0.0.1', remotePort: 4000, remoteFamily: 'IPv4' } },
    };
    expect((await host.request(request(), undefined, fromHere)).status).toBe(200);
  });

  it('is not offered by a runtime that does not check tokens itself, nor with LEDGER_WEB=off', async () => {
    const api = () => new Response('from the api', { status: 404 });
    const withoutSecret = createLocalHost({ api, webDist: WEB_DIST, signIn: undefined });
    const fromHere = { incoming: { socket: { remoteAddress: '127.0.0.1' } } };
    const answer = await withoutSecret.request(request(), undefined, fromHere);
    expect([answer.status, await answer.text()]).toEqual([404, 'from the api']);
    const apiOnly = createLocalHost({
      api,
      webDist: undefined,
      signIn: {
        secret: 's'.repeat(32),
        rolesClaim: 'cognito:groups',
        ownOrigins: () => ['http://127.0.0.1'],
      },
    });
    const off = await apiOnly.request(request(), undefined, fromHere);
    expect([off.status, await off.text()]).toEqual([404, 'from the api']);
    expect(await (await apiOnly.request('/app/')).text()).toBe('from the api');
  });
});
