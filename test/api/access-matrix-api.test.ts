import { randomUUID } from 'node:crypto';
import { sign } from 'hono/jwt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUBLIC_ROUTES, ROUTE_ROLES, type RouteKey } from '../../functions/api/auth/access.ts';
import { type Role, roles } from '../../functions/api/auth/principal.ts';
import { notificationDependencies } from '../../functions/api/notifications/notification-dependencies.ts';
import type { AuthOptions } from '../../functions/config.ts';
import { NotificationStore } from '../../functions/notify/notification-store.ts';
import { signedLinks } from '../../functions/notify/signed-links.ts';
import { createServices, type Services } from '../../functions/services.ts';
import { TEST_LINK_SECRET } from '../support/notification-services.ts';
import { projectCases } from '../support/project-cases.ts';
import { detained, withoutId } from '../support/sample-events.ts';
import { servicesOn } from '../support/test-services.ts';
import { createTestTables, type TestTables } from '../support/test-tables.ts';
import { TEST_JWT_SECRET, testAuth, testToken } from '../support/tokens.ts';

let db: TestTables;
let now = new Date();

beforeAll(async () => {
  db = await createTestTables('access');
});
afterAll(() => db.drop());

const subject = { name: 'Test Person Access', nationality: 'Utopia' };

/** An expiry an hour from now, in JWT seconds: tokens must expire within a day. */
const inAnHour = () => Math.floor(Date.now() / 1000) + 3600;

/** A request every allowed role should see succeed, for each protected route (as `role`, for own items). */
function requestFor(
  route: RouteKey,
  role: Role = 'admin',
): {
  method: string;
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  ok: number;
} {
  const event = withoutId(detained('2025-06-30'));
  switch (route) {
    case 'POST /cases':
      return { method: 'POST', path: '/cases', body: { caseId: `m-${randomUUID()}`, subject }, ok: 201 };
    case 'POST /cases/{caseId}/events':
      return { method: 'POST', path: '/cases/matrix-case/events', body: { events: [event] }, ok: 201 };
    case 'POST /groups/{groupId}/events':
      // One key for every role: the first records, the others are answered as its replay.
      return {
        method: 'POST',
        path: '/groups/matrix-group/events',
        body: { caseIds: ['matrix-case'], events: [event] },
        headers: { 'idempotency-key': 'matrix-group-visit' },
        ok: 200,
      };
    case 'GET /summary/series':
      return { method: 'GET', path: '/summary/series?from=2025-06-01&to=2025-07-31', ok: 200 };
    case 'POST /ledger/digest':
      return { method: 'POST', path: '/ledger/digest', ok: 201 };
    case 'GET /audit':
      return { method: 'GET', path: '/audit?from=2020-01-01&to=2020-01-02', ok: 200 };
    case 'POST /cases/{caseId}/erase':
      // One id in both modes: the second is the retry of the first, and succeeds as its replay.
      return {
        method: 'POST',
        path: '/cases/matrix-case/erase',
        body: { reason: 'matrix check', eventId: '0b9c7d7e-4a4f-4c55-9d8e-3f1e2a6b5c41' },
        ok: 200,
      };
    case 'GET /cases/{caseId}/proof':
      return { method: 'GET', path: '/cases/matrix-case/proof?digest=1', ok: 200 };
    case 'GET /log/proof/inclusion':
      // These services keep no transparency log: a caller the route lets in is told it is unavailable.
      return {
        method: 'GET',
        path: '/log/proof/inclusion?eventId=0b9c7d7e-4a4f-4c55-9d8e-3f1e2a6b5c41',
        ok: 503,
      };
    case 'POST /subscriptions':
      return {
        method: 'POST',
        path: '/subscriptions',
        body: {
          scope: { kind: 'all' },
          alertKinds: ['no_news'],
          channel: { kind: 'email', address: 'matrix@example.org', language: 'en' },
        },
        ok: 201,
      };
    case 'POST /webhook-endpoints':
      return {
        method: 'POST',
        path: '/webhook-endpoints',
        body: { url: 'https://93.184.215.14/matrix', contactEmail: 'ops@example.org' },
        ok: 201,
      };
    default: {
      const [method, template] = route.split(' ') as [string, string];
      // Subscriptions are seen by their owner (or an admin): each role reads its own.
      const id = template.startsWith('/subscriptions') ? `matrix-sub-${role}` : 'matrix-endpoint';
      return { method, path: template.replace('{caseId}', 'matrix-case').replace('{id}', id), ok: 200 };
    }
  }
}

/** The two ways a caller is known: a token the app checks (local), or claims API Gateway has checked (AWS). */
const modes: Array<{
  name: string;
  auth: AuthOptions;
  credentials: (
    claims: Record<string, unknown>,
  ) => Promise<{ headers: Record<string, string>; env?: unknown }>;
}> = [
  {
    name: 'local: HS256 tokens checked by the app',
    auth: testAuth,
    credentials: async (claims) => ({
      headers: { authorization: `Bearer ${await sign(claims, TEST_JWT_SECRET, 'HS256')}` },
    }),
  },
  {
    name: 'AWS: claims verified by API Gateway',
    auth: { mode: 'api-gateway', rolesClaim: 'cognito:groups' },
    // API Gateway forwards Cognito groups as a bracketed, space-separated string.
    credentials: async (claims) => ({
      headers: {},
      env: {
        event: {
          requestContext: {
            authorizer: {
              jwt: {
                claims: {
                  ...claims,
                  'cognito:groups': `[${(claims['cognito:groups'] as string[]).join(' ')}]`,
                },
                scopes: null,
              },
            },
          },
        },
      },
    }),
  },
];

/** One subscription of each role's caller and one endpoint, for the routes that read or change one. */
async function seedNotifications() {
  const store = new NotificationStore({
    documents: db.clients.documents,
    tableName: db.tables.notifications,
  });
  const at = new Date().toISOString();
  if ((await store.getEndpoint('matrix-endpoint')) === undefined) {
    await store.createEndpoint({
      id: 'matrix-endpoint',
      url: 'https://93.184.215.14/matrix',
      contactEmail: 'ops@example.org',
      state: 'active',
      createdAt: at,
      createdBy: 'setup',
      secrets: [{ secret: `whsec_${Buffer.alloc(32, 7).toString('base64')}`, createdAt: at }],
    });
  }
  for (const role of roles) {
    if ((await store.getSubscription(`matrix-sub-${role}`)) !== undefined) continue;
    await store.createSubscription({
      id: `matrix-sub-${role}`,
      owner: `user-${role}`,
      ownerRoles: [role],
      scope: { kind: 'all' },
      alertKinds: ['no_news'],
      eventTypes: [],
      channel: { kind: 'email', address: 'matrix@example.org', language: 'en' },
      cadence: { kind: 'immediate' },
      state: 'active',
      createdAt: at,
    });
  }
}

describe.each(modes)('every route with every role — $name', ({ auth, credentials }) => {
  let services: Services;

  beforeAll(async () => {
    services = createServices({
      auth,
      clients: db.clients,
      tables: db.tables,
      keyWrapper: db.keyWrapper,
      clock: () => now,
      notifications: notificationDependencies({
        documents: db.clients.documents,
        tableName: db.tables.notifications,
        links: signedLinks(TEST_LINK_SECRET),
      }),
    });
    await seedNotifications();
    const admin = await credentials({ sub: 'setup', 'cognito:groups': ['admin'], exp: inAnHour() });
    const call = (method: string, path: string, body?: unknown) =>
      services.app.request(
        path,
        {
          method,
          headers: { ...admin.headers, 'content-type': 'application/json' },
          ...(body !== undefined && { body: JSON.stringify(body) }),
        },
        admin.env as never,
      );
    const opened = await call('POST', '/cases', {
      caseId: 'matrix-case',
      subject,
      groupId: 'matrix-group',
      events: [withoutId(detained())],
    });
    expect([201, 409]).toContain(opened.status);
    await projectCases(services, 'matrix-case');
    // A digest leaves out the last ten seconds: take it a minute later, so the case is in it.
    now = new Date(now.getTime() + 60_000);
    expect((await call('POST', '/ledger/digest')).status).toBe(201);
  });

  async function send(route: RouteKey, claims: Record<string, unknown> | undefined, role?: Role) {
    const request = requestFor(route, role);
    const given = claims ? await credentials(claims) : { headers: {} };
    const response = await services.app.request(
      request.path,
      {
        method: request.method,
        headers: {
          ...given.headers,
          ...request.headers,
          ...(request.body !== undefined && { 'content-type': 'application/json' }),
        },
        ...(request.body !== undefined && { body: JSON.stringify(request.body) }),
      },
      given.env as never,
    );
    return { response, request };
  }

  const matrix = Object.keys(ROUTE_ROLES).flatMap((route) =>
    roles.map((role) => ({ route: route as RouteKey, role })),
  );

  it.each(matrix)('$route as $role', async ({ route, role }) => {
    const allowed = (ROUTE_ROLES[route] as readonly Role[]).includes(role);
    const { response, request } = await send(
      route,
      { sub: `user-${role}`, 'cognito:groups': [role], exp: inAnHour() },
      role,
    );
    const text = await response.text();
    if (allowed) {
      expect(response.status, text).toBe(request.ok);
    } else {
      expect(response.status, text).toBe(403);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(JSON.parse(text).detail).toContain(ROUTE_ROLES[route][0]);
    }
  });

  it.each(Object.keys(ROUTE_ROLES) as RouteKey[])(
    '%s without credentials is a 401 problem',
    async (route) => {
      const { response } = await send(route, undefined);
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
    },
  );

  it('refuses a caller with no subject, and gives no role for unknown group names', async () => {
    expect((await send('GET /cases', { 'cognito:groups': ['admin'], exp: inAnHour() })).response.status).toBe(
      401,
    );
    expect(
      (await send('GET /cases', { sub: 'x', 'cognito:groups': ['Admin', 'root'], exp: inAnHour() })).response
        .status,
    ).toBe(403);
  });

  it('keeps knownAt for auditors: a viewer may ask asOf, not knownAt', async () => {
    const viewer = { sub: 'v', 'cognito:groups': ['viewer'], exp: inAnHour() };
    const ask = async (path: string) => {
      const given = await credentials(viewer);
      return services.app.request(path, { headers: given.headers }, given.env as never);
    };
    expect((await ask('/cases/matrix-case?asOf=2025-07-01')).status).toBe(200);
    expect((await ask('/cases/matrix-case?knownAt=2026-01-01')).status).toBe(403);
    expect((await ask('/summary?knownAt=2026-01-01')).status).toBe(403);
  });
});

describe('tokens the local API refuses', () => {
  let services: Services;
  beforeAll(() => {
    services = servicesOn(db, { clock: () => now });
  });
  const get = (authorization: string) => services.app.request('/cases', { headers: { authorization } });
  const claims = { sub: 'mallory', 'cognito:groups': ['admin'] };

  it.each([
    [
      'expired',
      async () => sign({ ...claims, exp: Math.floor(Date.now() / 1000) - 60 }, TEST_JWT_SECRET, 'HS256'),
    ],
    [
      'not yet valid',
      async () => sign({ ...claims, nbf: Math.floor(Date.now() / 1000) + 3600 }, TEST_JWT_SECRET, 'HS256'),
    ],
    [
      'signed with another secret',
      async () => sign(claims, 'another-secret-that-is-long-enough-too-000', 'HS256'),
    ],
    ['signed with another algorithm', async () => sign(claims, TEST_JWT_SECRET, 'HS512')],
    [
      'unsigned (alg none)',
      async () =>
        `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`,
    ],
    ['without an expiry', async () => sign(claims, TEST_JWT_SECRET, 'HS256')],
    [
      'living longer than 24 hours from now',
      async () =>
        sign({ ...claims, exp: Math.floor(Date.now() / 1000) + 86_400 + 60 }, TEST_JWT_SECRET, 'HS256'),
    ],
    [
      'issued for longer than 24 hours, though it expires within a day',
      async () => {
        const nowSeconds = Math.floor(Date.now() / 1000);
        return sign(
          { ...claims, iat: nowSeconds - 86_400, exp: nowSeconds + 3600 },
          TEST_JWT_SECRET,
          'HS256',
        );
      },
    ],
    ['not a token', async () => 'hello'],
    ['enormous', async () => `${'a'.repeat(9000)}.b.c`],
  ])('%s', async (_, token) => {
    const response = await get(`Bearer ${await token()}`);
    expect(response.status).toBe(401);
  });

  it('accepts a token that lives exactly 24 hours', async () => {
    const nowSeconds = Math.floor(Date.now() / 1000);
    const token = await sign(
      { ...claims, iat: nowSeconds, exp: nowSeconds + 86_400 },
      TEST_JWT_SECRET,
      'HS256',
    );
    expect((await get(`Bearer ${token}`)).status).toBe(200);
  });

  it('refuses a token once it expires, though it was accepted (and remembered) before', async () => {
    const exp = Math.floor(Date.now() / 1000) + 2;
    const token = await sign({ ...claims, exp }, TEST_JWT_SECRET, 'HS256');
    expect((await get(`Bearer ${token}`)).status).toBe(200);
    expect((await get(`Bearer ${token}`)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, exp * 1000 - Date.now() + 50));
    expect((await get(`Bearer ${token}`)).status).toBe(401);
  });

  it('records the token subject as recordedBy, and refuses a body that tries to name the recorder', async () => {
    const token = await testToken(['recorder'], { subject: 'desk-officer-7' });
    const post = (body: unknown) =>
      services.app.request('/cases', {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const forged = await post({ caseId: `rb-${randomUUID()}`, subject, recordedBy: 'someone-else' });
    expect(forged.status).toBe(400);
    const honest = await post({ caseId: `rb-${randomUUID()}`, subject });
    expect(honest.status).toBe(201);
    const stored = (await honest.json()) as { events: Array<{ recordedBy: string }> };
    expect(stored.events.map((event) => event.recordedBy)).toEqual(['desk-officer-7']);
  });

  it('declares a role for every route the OpenAPI document lists, but the public ones', async () => {
    const document = (await (await services.app.request('/openapi.json')).json()) as {
      paths: Record<string, Record<string, { security?: unknown }>>;
    };
    const listed = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
    );
    const protectedRoutes = listed.filter((route) => !(PUBLIC_ROUTES as readonly string[]).includes(route));
    expect(protectedRoutes.sort()).toEqual(Object.keys(ROUTE_ROLES).sort());
    for (const route of protectedRoutes) {
      const [method, path] = route.split(' ') as [string, string];
      expect(document.paths[path]?.[method.toLowerCase()]?.security, route).toEqual([{ bearer: [] }]);
    }
    expect((await services.app.request('/health')).status).toBe(200);
  });
});
