import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { caseViewSchema } from '../../domain/case-view.ts';
import { eventTypes } from '../../domain/event-catalogue.ts';
import { caseAnswerSchema } from '../../functions/api/response-schemas.ts';
import { createServices, type Services } from '../../functions/services.ts';
import { jsonAt, rawRequest, typedClient } from '../support/api-client.ts';
import { projectCases } from '../support/project-cases.ts';
import { consularVisit, detained, released, withoutId } from '../support/sample-events.ts';
import { servicesOn } from '../support/test-services.ts';
import { createTestTables, type TestTables } from '../support/test-tables.ts';
import { testAuth, testToken } from '../support/tokens.ts';

let db: TestTables;
let services: Services;
let client: Awaited<ReturnType<typeof typedClient>>;
let now = new Date('2025-12-01T12:00:00.000Z');

const subject = { name: 'Ada Example', nationality: 'Utopia' };

/** The parts of the OpenAPI document these tests read. */
const OpenApiDocument = z.object({
  openapi: z.string(),
  paths: z.record(z.string(), z.record(z.string(), z.unknown())),
  components: z.object({ schemas: z.record(z.string(), z.unknown()) }),
});

/** A case's view, as of and as known at the moments `query` names. */
function viewOf(caseId: string, query: { asOf?: string; knownAt?: string } = {}) {
  return client.cases[':caseId'].$get({ param: { caseId }, query, header: {} });
}

function project(...caseIds: string[]) {
  return projectCases(services, ...caseIds);
}

beforeAll(async () => {
  db = await createTestTables('read-api');
  services = servicesOn(db, { clock: () => now });
  client = await typedClient(services.app);
});
afterAll(() => db.drop());

describe('GET /cases/{caseId}', () => {
  const caseId = 'case-read-1';
  beforeAll(async () => {
    now = new Date('2025-07-20T12:00:00.000Z');
    await client.cases.$post({
      header: {},
      json: { caseId, subject, groupId: 'g-read', events: [withoutId(detained('2025-06-30'))] },
    });
    await client.cases[':caseId'].events.$post({
      param: { caseId },
      header: {},
      json: { events: [withoutId(consularVisit('2025-07-03'))] },
    });
    now = new Date('2025-11-05T12:00:00.000Z');
    // A release in October whose day nobody knows, recorded in November.
    await client.cases[':caseId'].events.$post({
      param: { caseId },
      header: {},
      json: { events: [withoutId(released('2025-10?'))] },
    });
    now = new Date('2025-12-01T12:00:00.000Z');
    await project(caseId);
  });

  it('answers with the stored view and its subject in the shape of the contract, with its version as ETag', async () => {
    const answer = await client.cases[':caseId'].$get({ param: { caseId }, query: {}, header: {} });
    expect(answer.status).toBe(200);
    const body = await jsonAt(answer, 200);
    expect(caseAnswerSchema.strict().safeParse(body).success).toBe(true);
    // DynamoDB keeps no key order in a map; the contract's order is the schema's.
    expect(Object.keys(body)).toEqual(Object.keys(caseAnswerSchema.shape));
    expect(body.subject).toEqual(subject);
    expect(body).toMatchObject({
      caseId,
      groupId: 'g-read',
      nationality: 'Utopia',
      status: 'released',
      detainedAt: '2025-06-30',
      releasedAt: '2025-10?',
      lastConsularVisitAt: '2025-07-03',
      consularVisitCount: 1,
      version: 4,
      statusHistory: [
        { status: 'detained', from: '2025-06-30', to: '2025-10?' },
        { status: 'released', from: '2025-10?', to: null },
      ],
    });
    // This caller sees the person: the tag names the form shown as well as the version.
    expect(answer.headers.get('etag')).toBe('"4-clear"');
    const notModified = await client.cases[':caseId'].$get({
      param: { caseId },
      query: {},
      header: { 'if-none-match': '"4-clear"' },
    });
    expect(notModified.status).toBe(304);
  });

  it('answers If-None-Match by weak comparison and in lists: 304 for W/"4" or a list that holds "4", else the view', async () => {
    const viewer = await typedClient(services.app, await testToken(['viewer']));
    const ifNoneMatch = async (tags: string, query: { asOf?: string } = {}) =>
      viewer.cases[':caseId'].$get({ param: { caseId }, query, header: { 'if-none-match': tags } });
    expect((await ifNoneMatch('W/"4"')).status).toBe(304);
    expect((await ifNoneMatch('"2", "4"')).status).toBe(304);
    expect((await ifNoneMatch('*')).status).toBe(304);
    // The answer with the person in clear is another representation: the pseudonymous one's tag is not its.
    expect((await ifNoneMatch('"4-clear"')).status).toBe(200);
    const other = await ifNoneMatch('"3", W/"5"');
    expect(other.status).toBe(200);
    if (other.status === 200) expect((await other.json()).version).toBe(4);
    const asOf = await ifNoneMatch('*', { asOf: '2025-10-15' });
    expect(asOf.status).toBe(200);
    expect(asOf.headers.get('etag')).toBeNull();
  });

  it('answers what was true as of a moment, keeping an uncertain release pending until its month ends', async () => {
    const midAnswer = await viewOf(caseId, { asOf: '2025-10-15' });
    const mid = await jsonAt(midAnswer, 200);
    expect(mid).toMatchObject({
      status: 'detained',
      releasedAt: null,
      pendingUntil: '2025-10-31T23:59:59.999Z',
    });
    expect(mid.pending).toHaveLength(1);
    expect(midAnswer.headers.get('etag')).toBeNull();
    const after = await jsonAt(await viewOf(caseId, { asOf: '2025-11-01' }), 200);
    expect(after).toMatchObject({ status: 'released', pending: [] });
    const before = await jsonAt(await viewOf(caseId, { asOf: '2025-06-29' }), 200);
    expect(before).toMatchObject({ status: 'unknown', groupId: 'g-read' });
  });

  it('answers what the ledger knew at a moment, and both clocks together', async () => {
    const knew = await jsonAt(await viewOf(caseId, { knownAt: '2025-08-01' }), 200);
    expect(knew).toMatchObject({ status: 'detained', version: 3 });
    const thenAboutSeptember = await jsonAt(
      await viewOf(caseId, { knownAt: '2025-11-30', asOf: '2025-09-30' }),
      200,
    );
    expect(thenAboutSeptember).toMatchObject({ status: 'detained', version: 4 });
    const beforeOpening = await viewOf(caseId, { knownAt: '2025-07-01' });
    expect(beforeOpening.status).toBe(404);
  });

  it('folds the ledger when the projector has not caught up with a new case', async () => {
    await client.cases.$post({ header: {}, json: { caseId: 'case-unprojected', subject } });
    const answer = await viewOf('case-unprojected');
    expect(answer.status).toBe(200);
    expect(await jsonAt(answer, 200)).toMatchObject({
      caseId: 'case-unprojected',
      version: 1,
      status: 'unknown',
    });
  });

  it('answers 404 for an unknown case and 400 for a malformed moment or case id', async () => {
    expect((await viewOf('nobody')).status).toBe(404);
    for (const query of [
      { asOf: 'yesterday' },
      { asOf: '2025-10?' },
      { knownAt: '2025-13-01' },
      { asOf: '9'.repeat(100) },
    ]) {
      const answer = await viewOf(caseId, query);
      expect(answer.status, JSON.stringify(query)).toBe(400);
      expect(answer.headers.get('content-type')).toBe('application/problem+json');
    }
    expect((await viewOf('x'.repeat(200))).status).toBe(400);
  });
});

describe('GET /cases', () => {
  beforeAll(async () => {
    now = new Date('2025-12-01T12:00:00.000Z');
    for (let i = 0; i < 7; i++) {
      const events =
        i % 2 === 0 ? [withoutId(detained())] : [withoutId(detained()), withoutId(released('2025-08-01'))];
      await client.cases.$post({
        header: {},
        json: { caseId: `list-${i}`, subject, groupId: 'g-list', events },
      });
    }
    await project(...Array.from({ length: 7 }, (_, i) => `list-${i}`));
  });

  it('lists by group and status, a page at a time, with a cursor that ends on the last page', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const answer = await client.cases.$get({
        query: { groupId: 'g-list', limit: '3', ...(cursor && { cursor }) },
      });
      expect(answer.status).toBe(200);
      const page = await jsonAt(answer, 200);
      seen.push(...page.cases.map((c) => c.caseId));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(Array.from({ length: 7 }, (_, i) => `list-${i}`));
    const releasedOnly = await jsonAt(
      await client.cases.$get({ query: { groupId: 'g-list', status: 'released' } }),
      200,
    );
    expect(releasedOnly.cases.map((c) => c.caseId)).toEqual(['list-1', 'list-3', 'list-5']);
    expect(releasedOnly).not.toHaveProperty('nextCursor');
    for (const view of releasedOnly.cases) {
      expect(Object.keys(view)).toEqual(Object.keys(caseViewSchema.shape));
    }
  });

  it('refuses a cursor of another query, a forged cursor and bad filters with 400', async () => {
    const page = await jsonAt(await client.cases.$get({ query: { groupId: 'g-list', limit: '2' } }), 200);
    const otherQuery = await client.cases.$get({
      query: { status: 'released', cursor: `${page.nextCursor}` },
    });
    expect(otherQuery.status).toBe(400);
    for (const query of [
      'cursor=not-a-cursor',
      'status=missing',
      'limit=0',
      'limit=1000',
      'limit=ten',
      'groupId=%23x',
    ]) {
      // Values the query's types forbid (an unknown status) go out as they are.
      const answer = await rawRequest(services.app, `/cases?${query}`);
      expect(answer.status, query).toBe(400);
    }
  });
});

describe('GET /cases/{caseId}/events', () => {
  it('pages through the history with envelopes and hashes, and filters by knownAt', async () => {
    now = new Date('2025-07-01T00:00:00.000Z');
    await client.cases.$post({
      header: {},
      json: { caseId: 'hist-1', subject, events: [withoutId(detained())] },
    });
    now = new Date('2025-08-01T00:00:00.000Z');
    const history = client.cases[':caseId'].events;
    await history.$post({
      param: { caseId: 'hist-1' },
      header: {},
      json: { events: [withoutId(consularVisit('2025-07-03'))] },
    });
    const first = await jsonAt(
      await history.$get({ param: { caseId: 'hist-1' }, query: { limit: '2' } }),
      200,
    );
    expect(first.events.map((e) => e.version)).toEqual([1, 2]);
    expect(first.events[1]).toMatchObject({ streamId: 'hist-1', prevHash: first.events[0]?.hash });
    const second = await jsonAt(
      await history.$get({
        param: { caseId: 'hist-1' },
        query: { limit: '2', cursor: `${first.nextCursor}` },
      }),
      200,
    );
    expect(second.events.map((e) => e.version)).toEqual([3]);
    expect(second).not.toHaveProperty('nextCursor');
    const known = await jsonAt(
      await history.$get({ param: { caseId: 'hist-1' }, query: { knownAt: '2025-07-15' } }),
      200,
    );
    expect(known.events).toHaveLength(2);
    expect((await history.$get({ param: { caseId: 'nobody' }, query: {} })).status).toBe(404);
    expect(
      (await history.$get({ param: { caseId: 'hist-1' }, query: { cursor: 'eyJxIjoiIn0' } })).status,
    ).toBe(400);
  });
});

describe('health, the OpenAPI document and unknown routes', () => {
  it('reports healthy when both tables answer, and 503 when one does not', async () => {
    const healthy = await client.health.$get();
    expect(healthy.status).toBe(200);
    expect(await jsonAt(healthy, 200)).toMatchObject({ status: 'ok' });
    const broken = createServices({
      auth: testAuth,
      clients: db.clients,
      tables: { ...db.tables, views: 'no-such-table' },
    });
    const answer = await (await typedClient(broken.app)).health.$get();
    expect(answer.status).toBe(503);
    expect(answer.headers.get('retry-after')).toBe('5');
    expect((await jsonAt(answer, 503)).detail).toContain('views');
  });

  it('serves an OpenAPI 3.1 document of every route, generated from the validating schemas', async () => {
    // The document is not one of the app's typed routes: read it raw, as any client of it would.
    const answer = await rawRequest(services.app, '/openapi.json');
    expect(answer.status).toBe(200);
    const body = OpenApiDocument.parse(await answer.json());
    expect(body.openapi).toBe('3.1.0');
    expect(Object.keys(body.paths).sort()).toEqual(
      [
        '/alerts',
        '/audit',
        '/cases',
        '/cases.csv',
        '/cases/{caseId}',
        '/cases/{caseId}/erase',
        '/cases/{caseId}/events',
        '/cases/{caseId}/events.ndjson',
        '/cases/{caseId}/proof',
        '/cases/{caseId}/verify',
        '/groups',
        '/groups/{groupId}/events',
        '/health',
        '/ledger/digest',
        '/log/checkpoint',
        '/log/key',
        '/log/proof/consistency',
        '/log/proof/inclusion',
        '/summary',
        '/summary/series',
        '/subscriptions',
        '/subscriptions/confirm',
        '/subscriptions/unsubscribe',
        '/subscriptions/{id}',
        '/webhook-endpoints',
        '/webhook-endpoints/{id}',
        '/webhook-endpoints/{id}/deliveries',
        '/webhook-endpoints/{id}/disable',
        '/webhook-endpoints/{id}/enable',
        '/webhook-endpoints/{id}/rotate-secret',
      ].sort(),
    );
    const newEvent = JSON.stringify(body.components.schemas.NewEvent);
    for (const type of eventTypes) expect(newEvent).toContain(`"${type}"`);
    expect(body.components.schemas).toHaveProperty('CaseView');
    expect(body.components.schemas).toHaveProperty('CaseAnswer');
    expect(body.paths['/cases/{caseId}/events']?.post).toHaveProperty(['responses', '412']);
  });

  it('answers an unknown route with a 404 problem', async () => {
    const answer = await rawRequest(services.app, '/nowhere');
    expect(answer.status).toBe(404);
    expect(answer.headers.get('content-type')).toBe('application/problem+json');
  });
});
