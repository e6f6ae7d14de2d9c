import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ServerType, serve } from '@hono/node-server';
import { clientTypesOf } from 'ledger-client-generator';
import createClient, { type Client, type Middleware } from 'openapi-fetch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { directoryTileStore } from '../../functions/log/directory-tile-store.ts';
import { createLogIntegrator, type LogIntegrator } from '../../functions/log/integrator.ts';
import { signedLinks } from '../../functions/notify/signed-links.ts';
import type { Services } from '../../functions/services.ts';
import { DIGEST_SETTLE_MS } from '../../functions/store/digest-store.ts';
import { openLogKey } from '../../local/log-key-file.ts';
import { CLIENT_TYPES_FILE, clientTypesFileOf } from '../../local/web/client-types-file.ts';
import type { components, paths } from '../../web/src/api/ledger-api.d.ts';
import { notificationServicesOn, TEST_LINK_SECRET } from '../support/notification-services.ts';
import { projectCases } from '../support/project-cases.ts';
import { createTestTables, type TestTables } from '../support/test-tables.ts';
import { testToken } from '../support/tokens.ts';
import { type DeclaredSchemas, declaredSchemas, errorsOf } from './declared-schemas.ts';
import { type DeclaredResponse, type OpenApiDocument, operationsOf } from './openapi-document.ts';

/**
 * The API as an outsider meets it: the document fetched from `/openapi.json` over real HTTP, a client typed by
 * what openapi-typescript makes of it, and every answer — success or problem — checked against the schema the
 * document declares for that route, status and media type. An undeclared status, media type or field fails.
 */

let db: TestTables;
let services: Services;
let logDir: string;
let logIntegrator: LogIntegrator;
let server: ServerType;
let baseUrl: string;
let document: OpenApiDocument;
let schemas: DeclaredSchemas;
let now = new Date('2026-03-02T10:00:00.000Z');
const links = signedLinks(TEST_LINK_SECRET);

/** The JSON media types: the CSV and NDJSON answers are read as text where they are asked for. */
type JsonMedia = 'application/json' | 'application/problem+json';
type LedgerClient = Client<paths, JsonMedia>;
let api: LedgerClient;
let viewer: LedgerClient;
let anonymous: LedgerClient;

/** Every `METHOD /path status` the API answered in this file, to show which answers the flow covered. */
const answered = new Set<string>();

/** The headers that carry meaning for a client: when an answer sends one, its status must declare it. */
const meaningfulHeaders = ['etag', 'location', 'idempotent-replayed', 'retry-after', 'www-authenticate'];

/** What is wrong with the headers of an answer, measured against those its status declares. */
function undeclaredHeaders(route: string, declared: DeclaredResponse, headers: Headers): string[] {
  const byName = new Map(
    Object.entries(declared.headers ?? {}).map(([name, header]) => [name.toLowerCase(), header]),
  );
  return meaningfulHeaders.flatMap((name) => {
    const value = headers.get(name);
    if (value === null) return [];
    const header = byName.get(name);
    if (!header) return [`${route} sends ${name}, which it does not declare`];
    const validate = schemas.validator(header.schema ?? {});
    const typed = header.schema?.type === 'integer' && /^\d+$/.test(value) ? Number(value) : value;
    return validate(typed) ? [] : [`${route} header ${name}: ${errorsOf(validate)}`];
  });
}

/** What is wrong with an answer, measured against the document; empty when it is as declared. */
function undeclared(method: string, template: string, status: number, headers: Headers, text: string) {
  const route = `${method.toUpperCase()} ${template}`;
  const operation = document.paths[template]?.[method.toLowerCase()];
  if (!operation) return [`${route} is not in the document`];
  answered.add(`${route} ${status}`);
  const declared = operation.responses[String(status)];
  if (!declared) {
    return [`${route} answered ${status}; it declares ${Object.keys(operation.responses).join(', ')}`];
  }
  const problems = undeclaredHeaders(`${route} ${status}`, declared, headers);
  if (!declared.content) {
    if (text !== '') problems.push(`${route} ${status} declares no body, got ${text.slice(0, 200)}`);
    return problems;
  }
  const mediaType = headers.get('content-type')?.split(';')[0]?.trim().toLowerCase() ?? '';
  const media = declared.content[mediaType];
  if (!media) {
    return [
      ...problems,
      `${route} ${status} came as '${mediaType}'; declared: ${Object.keys(declared.content).join(', ')}`,
    ];
  }
  if (media.schema) {
    const validate = schemas.validator(media.schema);
    const body = /[/+]json$/.test(mediaType) ? JSON.parse(text) : text;
    if (!validate(body)) problems.push(`${route} ${status} ${mediaType}:\n${errorsOf(validate)}`);
  }
  if (mediaType === 'application/x-ndjson') {
    // The document can only call the stream a string; each of its lines is an event of the history.
    const event = schemas.validator({
      anyOf: [{ $ref: '#/components/schemas/ShownEvent' }, { $ref: '#/components/schemas/StoredEvent' }],
    });
    for (const line of text.split('\n').filter(Boolean)) {
      if (!event(JSON.parse(line))) problems.push(`${route} NDJSON line:\n${errorsOf(event)}`);
    }
  }
  return problems;
}

/** Fails the call whose answer the document does not declare, before the test sees it. */
const validating: Middleware = {
  async onResponse({ request, response, schemaPath }) {
    const text = await response.clone().text();
    const problems = undeclared(request.method, schemaPath, response.status, response.headers, text);
    if (problems.length > 0) throw new Error(problems.join('\n'));
  },
};

async function clientWith(token: string | null): Promise<LedgerClient> {
  const client = createClient<paths, JsonMedia>({
    baseUrl,
    ...(token !== null && { headers: { authorization: `Bearer ${token}` } }),
  });
  client.use(validating);
  return client;
}

/** A request outside the typed client (a body it would never send), checked against the document all the same. */
async function rawRequest(
  method: string,
  template: string,
  path: string,
  init: { headers: Record<string, string>; body: string | Buffer },
) {
  // A connection of its own that closes after the answer: an early answer leaves the body unread.
  const { status, headers, text } = await new Promise<{ status: number; headers: Headers; text: string }>(
    (resolve, reject) => {
      let hasAnswer = false;
      const request = httpRequest(
        `${baseUrl}${path}`,
        { method, headers: init.headers, agent: false },
        (response) => {
          hasAnswer = true;
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            const received = new Headers();
            for (const [name, value] of Object.entries(response.headers)) {
              if (typeof value === 'string') received.set(name, value);
            }
            resolve({
              status: response.statusCode ?? 0,
              headers: received,
              text: Buffer.concat(chunks).toString('utf8'),
            });
          });
        },
      );
      // Once the answer has come, the server may close before it has read the rest of the body.
      request.on('error', (error: NodeJS.ErrnoException) => {
        if (!hasAnswer || (error.code !== 'EPIPE' && error.code !== 'ECONNRESET')) reject(error);
      });
      request.end(init.body);
    },
  );
  expect(undeclared(method, template, status, headers, text)).toEqual([]);
  return { status, problem: text ? (JSON.parse(text) as components['schemas']['Problem']) : undefined };
}

beforeAll(async () => {
  db = await createTestTables('contract');
  logDir = await mkdtemp(join(tmpdir(), 'contract-log-'));
  const tiles = directoryTileStore(logDir);
  const signer = await openLogKey({ name: 'test.example/contract' });
  services = notificationServicesOn(db, { clock: () => now, links, logParts: { tiles, signer } });
  logIntegrator = createLogIntegrator({ store: services.logStore, tiles, signer, clock: () => now });
  server = serve({ fetch: services.app.fetch, port: 0, hostname: '127.0.0.1' });
  // Generating the client types holds the event loop for seconds: a 5 s keep-alive would close the idle
  // socket under the next request (ECONNRESET), so connections stay open for the whole file.
  (server as import('node:http').Server).keepAliveTimeout = 120_000;
  await new Promise<void>((resolve) => (server.listening ? resolve() : server.once('listening', resolve)));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const served = await fetch(`${baseUrl}/openapi.json`);
  expect(served.status).toBe(200);
  document = (await served.json()) as OpenApiDocument;
  schemas = declaredSchemas(document);
  api = await clientWith(
    await testToken(['viewer', 'recorder', 'auditor', 'admin'], { subject: 'contract-desk', pii: true }),
  );
  viewer = await clientWith(await testToken(['viewer'], { subject: 'contract-viewer' }));
  anonymous = await clientWith(null);
});

afterAll(async () => {
  await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  await db.drop();
  await rm(logDir, { recursive: true, force: true });
});

const group = `g-contract-${randomUUID().slice(0, 8)}`;
const caseA = `contract-a-${randomUUID().slice(0, 8)}`;
const caseB = `contract-b-${randomUUID().slice(0, 8)}`;
const caseC = `contract-c-${randomUUID().slice(0, 8)}`;
const source = [{ title: 'Invented monitoring report', publisher: 'Example Monitor' }];
let openingOfB: string;
let digestSequence: number;

describe('a client generated from the served /openapi.json', () => {
  it('is typed by what openapi-typescript makes of the served document, kept in the repository', async () => {
    const committed = readFileSync(CLIENT_TYPES_FILE, 'utf8');
    // After a change to the API: `npm run contract:types`, and review the difference.
    expect(committed).toBe(clientTypesFileOf(await clientTypesOf(document)));
  });

  it('answers /health as declared', async () => {
    const { data } = await anonymous.GET('/health');
    expect(data).toEqual({ status: 'ok' });
  });

  it('opens cases and appends with If-Match; a stale version is 412, a taken case id 409', async () => {
    const opened = await api.POST('/cases', {
      body: {
        caseId: caseA,
        subject: { name: 'Test Person Contract', nationality: 'Utopia', birthYear: 1980 },
        groupId: group,
        labels: ['contract'],
        sources: source,
        events: [
          {
            type: 'Detained',
            occurredAt: '2026-02-01',
            sources: source,
            data: { place: 'Invented City', facility: 'Harbour Remand Centre' },
          },
        ],
      },
    });
    expect(opened.response.status).toBe(201);
    expect(opened.data?.version).toBe(2);
    expect(opened.response.headers.get('etag')).toBe('"2"');

    const appended = await api.POST('/cases/{caseId}/events', {
      params: { path: { caseId: caseA }, header: { 'if-match': '"2"' } },
      body: {
        events: [
          {
            type: 'CustodyOrdered',
            occurredAt: '2026-02-02',
            sources: source,
            data: { court: 'Invented District Court', months: 2 },
          },
        ],
      },
    });
    expect(appended.data?.version).toBe(3);

    const stale = await api.POST('/cases/{caseId}/events', {
      params: { path: { caseId: caseA }, header: { 'if-match': '"2"' } },
      body: {
        events: [
          { type: 'FamilyContact', occurredAt: '2026-02-03', sources: source, data: { kind: 'call' } },
        ],
      },
    });
    expect(stale.response.status).toBe(412);
    expect(stale.error?.type).toContain('version-conflict');

    const again = await api.POST('/cases', {
      body: { caseId: caseA, subject: { name: 'Test Person Other' } },
    });
    expect(again.response.status).toBe(409);

    for (const caseId of [caseB, caseC]) {
      const other = await api.POST('/cases', {
        body: { caseId, subject: { name: `Test Person ${caseId}` }, groupId: group },
      });
      expect(other.response.status).toBe(201);
      if (caseId === caseB) openingOfB = other.data?.events[0]?.eventId ?? '';
    }
  });

  it('refuses with declared problems: a bad body 400, an unknown case 404, a rule broken 422', async () => {
    const empty = await api.POST('/cases/{caseId}/events', {
      params: { path: { caseId: caseA } },
      body: { events: [] },
    });
    expect(empty.response.status).toBe(400);
    expect(empty.error?.errors?.[0]?.path).toBe('events');

    const missing = await api.POST('/cases/{caseId}/events', {
      params: { path: { caseId: `contract-none-${randomUUID().slice(0, 8)}` } },
      body: {
        events: [
          { type: 'FamilyContact', occurredAt: '2026-02-03', sources: source, data: { kind: 'visit' } },
        ],
      },
    });
    expect(missing.response.status).toBe(404);

    const foreign = await api.POST('/cases/{caseId}/events', {
      params: { path: { caseId: caseA } },
      body: {
        events: [
          {
            type: 'Retracted',
            occurredAt: '2026-02-04',
            sources: source,
            data: { eventId: openingOfB, reason: 'Test' },
          },
        ],
      },
    });
    expect(foreign.response.status).toBe(422);
  });

  it('refuses a caller without a token (401), without the role (403), and bodies too large (413) or not JSON (415)', async () => {
    const unknown = await anonymous.GET('/cases');
    expect(unknown.response.status).toBe(401);
    expect(unknown.response.headers.get('www-authenticate')).toBe('Bearer');
    const denied = await viewer.POST('/cases', { body: { subject: { name: 'Test Person Denied' } } });
    expect(denied.response.status).toBe(403);

    const token = await testToken(['recorder', 'admin']);
    const huge = Buffer.alloc(2 * 1024 * 1024, 'a');
    for (const [template, path] of [
      ['/cases', '/cases'],
      ['/cases/{caseId}/events', `/cases/${caseA}/events`],
      ['/cases/{caseId}/erase', `/cases/${caseA}/erase`],
      ['/ledger/digest', '/ledger/digest'],
    ] as const) {
      const tooLarge = await rawRequest('POST', template, path, {
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: huge,
      });
      expect(tooLarge.status, path).toBe(413);
    }
    for (const [template, path] of [
      ['/cases', '/cases'],
      ['/cases/{caseId}/events', `/cases/${caseA}/events`],
      ['/cases/{caseId}/erase', `/cases/${caseA}/erase`],
    ] as const) {
      const notJson = await rawRequest('POST', template, path, {
        headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain' },
        body: 'Test Person Plain',
      });
      expect(notJson.status, path).toBe(415);
    }
  });

  it('reads a view with its ETag, and answers If-None-Match with 304', async () => {
    await projectCases(services, caseA, caseB, caseC);
    const view = await api.GET('/cases/{caseId}', { params: { path: { caseId: caseA } } });
    expect(view.data?.status).toBe('detained');
    expect(view.data?.custodyUntil).toBe('2026-04-02');
    const etag = view.response.headers.get('etag');
    // This caller sees the person in clear: the tag names that form as well as the version.
    expect(etag).toBe('"3-clear"');
    expect(
      (await viewer.GET('/cases/{caseId}', { params: { path: { caseId: caseA } } })).response.headers.get(
        'etag',
      ),
    ).toBe('"3"');

    const unchanged = await api.GET('/cases/{caseId}', {
      params: { path: { caseId: caseA }, header: { 'if-none-match': etag! } },
    });
    expect(unchanged.response.status).toBe(304);

    const past = await api.GET('/cases/{caseId}', {
      params: { path: { caseId: caseA }, query: { asOf: '2026-01-15' } },
    });
    expect(past.response.status).toBe(200);
    const noSuch = await api.GET('/cases/{caseId}', {
      params: { path: { caseId: 'contract-no-such-case' } },
    });
    expect(noSuch.response.status).toBe(404);
    const badMoment = await api.GET('/cases/{caseId}', {
      params: { path: { caseId: caseA }, query: { asOf: 'not a day' } },
    });
    expect(badMoment.response.status).toBe(400);
    const notAnAuditor = await viewer.GET('/cases/{caseId}', {
      params: { path: { caseId: caseA }, query: { knownAt: '2026-03-01' } },
    });
    expect(notAnAuditor.response.status).toBe(403);
  });

  it('lists cases a page at a time by cursor, and as CSV', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await viewer.GET('/cases', {
        params: { query: { groupId: group, limit: 1, ...(cursor && { cursor }) } },
      });
      expect(page.data?.cases).toHaveLength(1);
      seen.push(...(page.data?.cases.map((view) => view.caseId) ?? []));
      cursor = page.data?.nextCursor;
    } while (cursor !== undefined);
    expect(seen).toEqual([caseA, caseB, caseC].sort());

    const tooMany = await viewer.GET('/cases', { params: { query: { limit: 101 } } });
    expect(tooMany.response.status).toBe(400);

    const csv = await viewer.GET('/cases.csv', { params: { query: { groupId: group } }, parseAs: 'text' });
    expect(csv.data?.split('\n').filter(Boolean)).toHaveLength(4);
    const negotiated = await viewer.GET('/cases', {
      params: { query: { groupId: group } },
      headers: { accept: 'text/csv' },
      parseAs: 'text',
    });
    expect(negotiated.response.headers.get('content-type')).toContain('text/csv');
  });

  it('counts the group in a summary and raises its alerts', async () => {
    const summary = await viewer.GET('/summary', { params: { query: { groupId: group } } });
    expect(summary.data?.total).toBe(3);
    expect(summary.data?.byFacility).toEqual({ 'Harbour Remand Centre': 1 });

    const alerts = await viewer.GET('/alerts', {
      params: { query: { groupId: group, consularVisitDays: 7, noNewsDays: 14 } },
    });
    expect(alerts.data?.alerts.map((alert) => [alert.caseId, alert.kind])).toContainEqual([
      caseA,
      'consular_visit_overdue',
    ]);
    expect(alerts.data?.thresholds).toMatchObject({ consularVisitDays: 7, noNewsDays: 14 });
    const belowBound = await viewer.GET('/alerts', { params: { query: { noNewsDays: 0 } } });
    expect(belowBound.response.status).toBe(400);
  });

  it('pages a history by cursor, shown and stored, and streams it as NDJSON', async () => {
    const versions: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await api.GET('/cases/{caseId}/events', {
        params: { path: { caseId: caseA }, query: { limit: 1, ...(cursor && { cursor }) } },
      });
      versions.push(...(page.data?.events.map((event) => event.version) ?? []));
      cursor = page.data?.nextCursor;
    } while (cursor !== undefined);
    expect(versions).toEqual([1, 2, 3]);

    const stored = await api.GET('/cases/{caseId}/events', {
      params: { path: { caseId: caseA }, query: { form: 'stored' } },
    });
    const opening = stored.data?.events[0];
    expect(opening?.type === 'CaseOpened' && 'sealed' in opening.data.subject).toBe(true);

    const ndjson = await api.GET('/cases/{caseId}/events.ndjson', {
      params: { path: { caseId: caseA } },
      parseAs: 'text',
    });
    expect(ndjson.data?.split('\n').filter(Boolean)).toHaveLength(3);

    const forbidden = await viewer.GET('/cases/{caseId}/events', { params: { path: { caseId: caseA } } });
    expect(forbidden.response.status).toBe(403);
  });

  it('pages the audit feed by cursor', async () => {
    const recorded: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await api.GET('/audit', {
        params: { query: { from: '2026-03-02', to: '2026-03-03', limit: 2, ...(cursor && { cursor }) } },
      });
      recorded.push(...(page.data?.events.map((event) => `${event.streamId} ${event.version}`) ?? []));
      cursor = page.data?.nextCursor;
    } while (cursor !== undefined);
    expect(recorded.sort()).toEqual(
      [`${caseA} 1`, `${caseA} 2`, `${caseA} 3`, `${caseB} 1`, `${caseC} 1`].sort(),
    );

    const backwards = await api.GET('/audit', {
      params: { query: { from: '2026-03-02', to: '2026-03-01' } },
    });
    expect(backwards.response.status).toBe(400);
  });

  it('verifies a chain, takes a digest and proves a case in it', async () => {
    const verified = await api.GET('/cases/{caseId}/verify', { params: { path: { caseId: caseA } } });
    expect(verified.data).toMatchObject({ ok: true, events: 3 });
    const unknown = await api.GET('/cases/{caseId}/verify', {
      params: { path: { caseId: 'contract-no-such-case' } },
    });
    expect(unknown.response.status).toBe(404);

    const none = await api.GET('/ledger/digest', { params: { query: { sequence: 999_999 } } });
    expect(none.response.status).toBe(404);
    now = new Date(now.getTime() + DIGEST_SETTLE_MS + 60_000);
    const taken = await api.POST('/ledger/digest');
    expect(taken.response.status).toBe(201);
    digestSequence = taken.data?.sequence ?? 0;
    const latest = await api.GET('/ledger/digest');
    expect(latest.data?.sequence).toBe(digestSequence);
    const zero = await api.GET('/ledger/digest', { params: { query: { sequence: 0 } } });
    expect(zero.response.status).toBe(400);

    const proof = await api.GET('/cases/{caseId}/proof', {
      params: { path: { caseId: caseA }, query: { digest: digestSequence } },
    });
    expect(proof.data?.current.matches).toBe(true);
    const notInIt = await api.GET('/cases/{caseId}/proof', {
      params: { path: { caseId: 'contract-no-such-case' }, query: { digest: digestSequence } },
    });
    expect(notInIt.response.status).toBe(404);
    // This server's log integrates nothing, so the case is not in it yet: the declared 409, never a packet with
    // holes (test/api/evidence-route.test.ts runs a log and checks the packet's declared schema).
    const evidence = await api.GET('/cases/{caseId}/evidence', { params: { path: { caseId: caseA } } });
    expect(evidence.response.status).toBe(409);
  });

  it('publishes the transparency log, proves an event in it and one size extending another', async () => {
    const none = await anonymous.GET('/log/checkpoint', { parseAs: 'text' });
    expect(none.response.status).toBe(404);
    const history = await api.GET('/cases/{caseId}/events', {
      params: { path: { caseId: caseA }, query: { form: 'stored' } },
    });
    const stored = (history.data?.events ?? []) as unknown as Array<{ eventId: string; hash: string }>;
    expect(stored.length).toBeGreaterThan(1);
    await logIntegrator.integrate(stored.slice(0, 1));
    await logIntegrator.integrate(stored.slice(1));

    const checkpoint = await anonymous.GET('/log/checkpoint', { parseAs: 'text' });
    expect(checkpoint.data).toContain(`\n${stored.length}\n`);
    const keys = await anonymous.GET('/log/key', { parseAs: 'text' });
    expect(keys.data).toMatch(/^test\.example\/contract\+[0-9a-f]{8}\+/);
    const consistency = await anonymous.GET('/log/proof/consistency', {
      params: { query: { from: '1', to: String(stored.length) } },
    });
    expect(consistency.data).toMatchObject({ from: 1, to: stored.length });
    const backwards = await anonymous.GET('/log/proof/consistency', {
      params: { query: { from: '2', to: '1' } },
    });
    expect(backwards.response.status).toBe(400);
    const beyond = await anonymous.GET('/log/proof/consistency', {
      params: { query: { from: '1', to: '999' } },
    });
    expect(beyond.response.status).toBe(404);

    const inclusion = await api.GET('/log/proof/inclusion', {
      params: { query: { eventId: stored[1]!.eventId } },
    });
    expect(inclusion.data).toMatchObject({ index: 1, treeSize: stored.length });
    const unknown = await api.GET('/log/proof/inclusion', {
      params: { query: { eventId: '00000000-0000-4000-8000-000000000000' } },
    });
    expect(unknown.response.status).toBe(404);
    const unsigned = await anonymous.GET('/log/proof/inclusion', {
      params: { query: { eventId: stored[1]!.eventId } },
    });
    expect(unsigned.response.status).toBe(401);
  });

  it('erases a case once: the subject reads [erased], a second erasure is 409', async () => {
    const notAdmin = await viewer.POST('/cases/{caseId}/erase', {
      params: { path: { caseId: caseC } },
      body: { reason: 'Test erasure' },
    });
    expect(notAdmin.response.status).toBe(403);
    const erased = await api.POST('/cases/{caseId}/erase', {
      params: { path: { caseId: caseC } },
      body: { reason: 'Test erasure' },
    });
    expect(erased.data?.event.type).toBe('Erased');
    const again = await api.POST('/cases/{caseId}/erase', {
      params: { path: { caseId: caseC } },
      body: { reason: 'Test erasure' },
    });
    expect(again.response.status).toBe(409);
    const history = await api.GET('/cases/{caseId}/events', { params: { path: { caseId: caseC } } });
    const opening = history.data?.events[0];
    expect(
      opening?.type === 'CaseOpened' && 'name' in opening.data.subject && opening.data.subject.name,
    ).toBe('[erased]');
  });

  it("counts the group's days, lists the groups, and records for several of its cases at once", async () => {
    const series = await viewer.GET('/summary/series', {
      params: { query: { groupId: group, from: '2026-01-31', to: '2026-02-02' } },
    });
    expect(series.data?.days.map((day) => [day.day, day.held])).toEqual([
      ['2026-01-31', 0],
      ['2026-02-01', 1],
      ['2026-02-02', 1],
    ]);
    const backwards = await viewer.GET('/summary/series', {
      params: { query: { from: '2026-02-02', to: '2026-02-01' } },
    });
    expect(backwards.response.status).toBe(400);

    const groups = await viewer.GET('/groups');
    expect(groups.data?.groups).toContainEqual({ groupId: group });

    const visit = {
      type: 'ConsularVisit' as const,
      occurredAt: '2026-03-01',
      sources: source,
      data: { by: 'Invented Embassy' },
    };
    const missing = `contract-none-${randomUUID().slice(0, 8)}`;
    const recorded = await api.POST('/groups/{groupId}/events', {
      params: { path: { groupId: group }, header: { 'idempotency-key': `contract-${randomUUID()}` } },
      body: { caseIds: [caseB, missing], events: [visit] },
    });
    expect(recorded.data?.results.map((result) => [result.caseId, result.outcome])).toEqual([
      [caseB, 'recorded'],
      [missing, 'refused'],
    ]);
    expect(recorded.data?.results[1]?.problem?.code).toBe('case_not_found');
    const noCases = await api.POST('/groups/{groupId}/events', {
      params: { path: { groupId: group }, header: { 'idempotency-key': `contract-${randomUUID()}` } },
      body: { caseIds: [], events: [visit] },
    });
    expect(noCases.response.status).toBe(400);
  });

  it('subscribes, confirms and ends by link, and manages webhook endpoints, all as declared', async () => {
    const subscribed = await viewer.POST('/subscriptions', {
      body: {
        scope: { kind: 'cases', caseIds: ['C-1042'] },
        alertKinds: ['no_news'],
        eventTypes: [],
        channel: { kind: 'email', address: 'contract.desk@example.org', language: 'en' },
      },
    });
    const id = subscribed.data?.id ?? '';
    expect(subscribed.data?.state).toBe('pending');
    expect((await viewer.GET('/subscriptions')).data?.subscriptions.map((s) => s.id)).toContain(id);
    expect((await viewer.GET('/subscriptions/{id}', { params: { path: { id } } })).data?.id).toBe(id);
    const notYours = await api.GET('/subscriptions/{id}', { params: { path: { id: 'contract-none' } } });
    expect(notYours.response.status).toBe(404);
    const confirmed = await anonymous.POST('/subscriptions/confirm', {
      body: { token: links.sign(id, 'confirm', now) },
    });
    expect(confirmed.data?.outcome).toBe('confirmed');
    const forged = await anonymous.POST('/subscriptions/confirm', { body: { token: 'forged' } });
    expect(forged.response.status).toBe(400);
    const unsubscribed = await anonymous.POST('/subscriptions/unsubscribe', {
      body: { token: links.sign(id, 'unsubscribe', now) },
    });
    expect(unsubscribed.data?.outcome).toBe('unsubscribed');
    const ended = await anonymous.POST('/subscriptions/confirm', {
      body: { token: links.sign(id, 'confirm', now) },
    });
    expect(ended.response.status).toBe(410);
    const second = await viewer.POST('/subscriptions', {
      body: {
        scope: { kind: 'all' },
        alertKinds: ['custody_term_expiring'],
        eventTypes: [],
        channel: { kind: 'email', address: 'contract.desk@example.org', language: 'ru' },
      },
    });
    const deleted = await viewer.DELETE('/subscriptions/{id}', {
      params: { path: { id: second.data?.id ?? '' } },
    });
    expect(deleted.data?.state).toBe('unsubscribed');

    const made = await api.POST('/webhook-endpoints', {
      body: { url: 'http://127.0.0.1:9/contract', contactEmail: 'ops@example.org' },
    });
    const endpointId = made.data?.endpoint.id ?? '';
    expect(made.data?.secret).toMatch(/^whsec_/);
    const path = { params: { path: { id: endpointId } } };
    expect((await api.GET('/webhook-endpoints')).data?.endpoints.map((e) => e.id)).toContain(endpointId);
    expect((await api.GET('/webhook-endpoints/{id}', path)).data?.state).toBe('active');
    expect(
      (await api.POST('/webhook-endpoints/{id}/rotate-secret', path)).data?.endpoint.secrets,
    ).toHaveLength(2);
    expect((await api.POST('/webhook-endpoints/{id}/disable', path)).data?.state).toBe('disabled');
    expect((await api.POST('/webhook-endpoints/{id}/enable', path)).data?.state).toBe('active');
    const log = await api.GET('/webhook-endpoints/{id}/deliveries', {
      params: { path: { id: endpointId }, query: { limit: 10 } },
    });
    expect(log.data?.deliveries).toEqual([]);
    const oneClick = await rawRequest(
      'POST',
      '/subscriptions/unsubscribe',
      '/subscriptions/unsubscribe?token=x',
      {
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'List-Unsubscribe=One-Click',
      },
    );
    expect(oneClick.status).toBe(400);
  });

  it('has answered every operation of the document, and every kind of problem a client must handle', () => {
    const operations = operationsOf(document).map(({ key }) => key);
    const covered = new Set([...answered].map((entry) => entry.split(' ').slice(0, 2).join(' ')));
    expect(operations.filter((key) => !covered.has(key))).toEqual([]);
    const statuses = new Set([...answered].map((entry) => entry.split(' ')[2]));
    for (const status of [
      '200',
      '201',
      '304',
      '400',
      '401',
      '403',
      '404',
      '409',
      '412',
      '413',
      '415',
      '422',
    ]) {
      expect(statuses, status).toContain(status);
    }
  });
});
