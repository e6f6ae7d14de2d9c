import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CURSOR_TTL_MS } from '../../functions/api/cursor.ts';
import type { Services } from '../../functions/services.ts';
import { answered, jsonAt, typedClient } from '../support/api-client.ts';
import { projectCases } from '../support/project-cases.ts';
import { countRequests } from '../support/request-counter.ts';
import { consularVisit, detained, withoutId } from '../support/sample-events.ts';
import { servicesOn } from '../support/test-services.ts';
import { createTestTables, type TestTables } from '../support/test-tables.ts';
import { testToken } from '../support/tokens.ts';

let db: TestTables;
let services: Services;
let client: Client;

type Client = Awaited<ReturnType<typeof typedClient>>;
type ListQuery = NonNullable<Parameters<Client['cases']['$get']>[0]>['query'];

/** A list answer for `query`, as `caller` is given it. */
const list = (query: ListQuery, caller = client) => caller.cases.$get({ query });
/** A page of the list, which must be answered. */
const pageOf = async (query: ListQuery, caller = client) => jsonAt(await list(query, caller), 200);
let now = new Date('2025-08-01T12:00:00Z');

const source = [{ title: 'Invented test report' }];
/** Texts a spreadsheet export must carry intact: quotes, commas, line breaks, and a would-be formula. */
// A facility is a name, on one line; a line break is carried by the charge's free text.
const awkwardFacility = 'Block "C", Wing 2; North Remand';
const awkwardCharge = {
  text: '=HYPERLINK("http://example.invalid","click"), "hooliganism"\nsecond line',
  article: '213, part 2',
};

async function open(caseId: string, nationality: string, facility: string, until?: string) {
  const events = [withoutId(detained('2025-06-30', facility))];
  if (until)
    events.push({
      type: 'CustodyOrdered',
      occurredAt: '2025-07-01',
      sources: source,
      data: { court: 'Port City Court', until },
    } as never);
  const answer = await answered(
    client.cases.$post({
      header: {},
      json: { caseId, subject: { name: `Test Person ${caseId}`, nationality }, groupId: 'g-list', events },
    }),
  );
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
}

beforeAll(async () => {
  db = await createTestTables('list-export');
  services = servicesOn(db, { clock: () => now });
  client = await typedClient(services.app);
  await open('l-01', 'Utopia', 'North Remand', '2025-09-30');
  await open('l-02', 'Freedonia', 'North Remand', '2025-08-15');
  await open('l-03', 'Utopia', 'South Colony');
  await open('l-04', 'Utopia', awkwardFacility, '2025-12-01');
  await open('l-05', 'Freedonia', 'South Colony', '2025-08-15');
  await client.cases[':caseId'].events.$post({
    param: { caseId: 'l-04' },
    header: {},
    json: {
      events: [
        { type: 'Charged', occurredAt: '2025-07-02', sources: source, data: { charges: [awkwardCharge] } },
      ],
    },
  });
  await projectCases(services, 'l-01', 'l-02', 'l-03', 'l-04', 'l-05');
});
afterAll(() => db.drop());

/** A raw request with an auditor's token, for bodies that are not JSON. */
async function raw(path: string, init: { headers?: Record<string, string> } = {}) {
  const token = await testToken(['viewer', 'auditor'], { pii: true });
  return services.app.request(path, { headers: { authorization: `Bearer ${token}`, ...init.headers } });
}

const ids = (page: { cases: Array<{ caseId: string }> }) => page.cases.map((c) => c.caseId);

describe('GET /cases filters and order', () => {
  it('filters by facility and nationality, alone and together with status and group', async () => {
    expect(ids(await pageOf({ facility: 'North Remand' }))).toEqual(['l-01', 'l-02']);
    expect(ids(await pageOf({ facility: awkwardFacility }))).toEqual(['l-04']);
    expect(ids(await pageOf({ nationality: 'Freedonia' }))).toEqual(['l-02', 'l-05']);
    expect(
      ids(await pageOf({ nationality: 'Utopia', facility: 'South Colony', status: 'detained' })),
    ).toEqual(['l-03']);
    expect(ids(await pageOf({ groupId: 'g-list', nationality: 'Freedonia', status: 'released' }))).toEqual(
      [],
    );
    // Filters are normalised as recorded texts are: trimmed, NFC.
    expect(ids(await pageOf({ facility: ' North Remand ' }))).toEqual(['l-01', 'l-02']);
  });

  it('orders by custodyUntil, soonest first, ties by case id, cases without a term last', async () => {
    expect(ids(await pageOf({ sort: 'custodyUntil' }))).toEqual(['l-02', 'l-05', 'l-01', 'l-04', 'l-03']);
    expect(ids(await pageOf({ sort: 'custodyUntil', nationality: 'Utopia' }))).toEqual([
      'l-01',
      'l-04',
      'l-03',
    ]);
  });

  it('pages in custodyUntil order with cursors, each case once', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const answer = await list({ sort: 'custodyUntil', limit: '2', ...(cursor && { cursor }) });
      expect(answer.status).toBe(200);
      const page = await jsonAt(answer, 200);
      seen.push(...ids(page));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['l-02', 'l-05', 'l-01', 'l-04', 'l-03']);
  });

  it('sees every case that existed throughout exactly once while appends and new cases land between pages', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let round = 0;
    do {
      const page = await pageOf({ groupId: 'g-list', limit: '2', ...(cursor && { cursor }) });
      seen.push(...ids(page));
      cursor = page.nextCursor;
      round += 1;
      // Between pages: a visit changes l-01's view, and a new case opens at the start of the order.
      await client.cases[':caseId'].events.$post({
        param: { caseId: 'l-01' },
        header: {},
        json: { events: [withoutId(consularVisit(`2025-07-${10 + round}`))] },
      });
      await open(`l-00-${round}`, 'Utopia', 'North Remand');
      await projectCases(services, 'l-01', `l-00-${round}`);
    } while (cursor);
    expect(seen.filter((id) => !id.startsWith('l-00'))).toEqual(['l-01', 'l-02', 'l-03', 'l-04', 'l-05']);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('serves every list by Query, never by Scan', async () => {
    const counter = countRequests(db.clients.client);
    await list({ facility: 'North Remand', status: 'detained' });
    await list({ sort: 'custodyUntil', nationality: 'Utopia' });
    await client['cases.csv'].$get({ query: { groupId: 'g-list' } });
    expect(counter.snapshot()).not.toHaveProperty('ScanCommand');
    expect(counter.snapshot().QueryCommand).toBeGreaterThan(0);
  });
});

describe('cursors', () => {
  async function firstCursor(query: ListQuery = { limit: '1' }) {
    const page = await pageOf(query);
    expect(page.nextCursor).toBeTypeOf('string');
    return `${page.nextCursor}`;
  }

  it('refuses a cursor whose content was altered, even when it is well-formed', async () => {
    const cursor = await firstCursor();
    const [payload, signature] = cursor.split('.') as [string, string];
    const decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    const forged = Buffer.from(JSON.stringify({ ...decoded, after: 'l-03' })).toString('base64url');
    for (const bad of [
      `${forged}.${signature}`,
      payload,
      `${payload}.`,
      `${payload}.${signature}x`,
      'not-a-cursor',
    ]) {
      const answer = await list({ limit: '1', cursor: bad });
      expect(answer.status, bad).toBe(400);
      expect((await jsonAt(answer, 400)).errors?.[0]?.path).toBe('cursor');
    }
  });

  it('refuses a cursor of another query, of another ledger, and a stale one', async () => {
    const cursor = await firstCursor();
    expect((await list({ limit: '1', status: 'released', cursor })).status).toBe(400);
    expect((await list({ limit: '1', sort: 'custodyUntil', cursor })).status).toBe(400);
    const otherLedger = servicesOn(db, { clock: () => now });
    expect((await list({ limit: '1', cursor }, await typedClient(otherLedger.app))).status).toBe(400);
    const issued = now;
    now = new Date(issued.getTime() + CURSOR_TTL_MS);
    expect((await list({ limit: '1', cursor })).status).toBe(200);
    now = new Date(issued.getTime() + CURSOR_TTL_MS + 1);
    const stale = await list({ limit: '1', cursor });
    expect(stale.status).toBe(400);
    expect((await jsonAt(stale, 400)).errors?.[0]?.message).toContain('expired');
    now = issued;
  });

  it('accepts cursors across instances that share LEDGER_CURSOR_SECRET', async () => {
    const secret = 's'.repeat(40);
    const a = servicesOn(db, { clock: () => now, cursorSecret: secret });
    const b = servicesOn(db, { clock: () => now, cursorSecret: secret });
    const cursor = (await pageOf({ limit: '1' }, await typedClient(a.app))).nextCursor;
    expect((await list({ limit: '1', cursor: `${cursor}` }, await typedClient(b.app))).status).toBe(200);
  });
});

describe('CSV export of the case list', () => {
  async function csv(path: string, headers: Record<string, string> = {}) {
    const response = await raw(path, { headers });
    return { response, text: await response.text() };
  }

  it('is the same with .csv and with Accept: text/csv, and holds every matching case, not a page', async () => {
    const a = await csv('/cases.csv?groupId=g-list&nationality=Freedonia');
    const b = await csv('/cases?groupId=g-list&nationality=Freedonia&limit=1', { accept: 'text/csv' });
    expect(a.response.headers.get('content-type')).toContain('text/csv');
    expect(b.response.headers.get('content-type')).toContain('text/csv');
    expect(a.text).toBe(b.text);
    const rows = parse(a.text, { columns: true });
    expect((rows as Array<{ caseId: string }>).map((row) => row.caseId)).toEqual(['l-02', 'l-05']);
  });

  it('follows the q-values of Accept: CSV when it is preferred to JSON, JSON on a tie, on q=0 or without a match', async () => {
    const cases = '/cases?groupId=g-list&nationality=Freedonia&limit=1';
    const typeFor = async (accept: string) =>
      (await csv(cases, { accept })).response.headers.get('content-type')?.split(';')[0];
    expect(await typeFor('application/json;q=0.5, text/csv')).toBe('text/csv');
    expect(await typeFor('text/*, application/json;q=0.9')).toBe('text/csv');
    expect(await typeFor('text/csv;q=0.5, application/json')).toBe('application/json');
    expect(await typeFor('text/csv, application/json')).toBe('application/json');
    expect(await typeFor('text/csv;q=0')).toBe('application/json');
    expect(await typeFor('*/*')).toBe('application/json');
  });

  it('reads back, through a CSV parser, to the values of the views: quotes, commas and line breaks intact', async () => {
    const { text } = await csv('/cases.csv?groupId=g-list');
    const rows: Array<Record<string, string>> = parse(text, { columns: true });
    const views = (await pageOf({ groupId: 'g-list', limit: '100' })).cases;
    expect(rows).toHaveLength(views.length);
    for (const [index, view] of views.entries()) {
      const row = rows[index]!;
      expect(row.caseId).toBe(view.caseId);
      expect(row.facility).toBe(view.facility ?? '');
      expect(row.status).toBe(view.status);
      expect(row.custodyUntil).toBe(view.custodyUntil ?? '');
      expect(Number(row.consularVisitCount)).toBe(view.consularVisitCount);
      expect(Number(row.version)).toBe(view.version);
    }
    const l04 = rows.find((row) => row.caseId === 'l-04')!;
    expect(l04.facility).toBe(awkwardFacility);
    // A charge that starts like a formula is kept, behind an apostrophe a spreadsheet shows as text.
    expect(l04.charges).toBe(`'${awkwardCharge.text} (${awkwardCharge.article})`);
  });

  it('answers a bad filter with a 400 problem before any row is sent', async () => {
    for (const path of [
      '/cases.csv?status=missing',
      `/cases.csv?facility=${'x'.repeat(301)}`,
      '/cases.csv?sort=name',
    ]) {
      const { response } = await csv(path);
      expect(response.status, path).toBe(400);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
    }
  });
});

describe('NDJSON export of a case history', () => {
  it('streams every event with its envelope, the same as the JSON pages', async () => {
    for (const request of [
      raw('/cases/l-04/events.ndjson'),
      raw('/cases/l-04/events', { headers: { accept: 'application/x-ndjson' } }),
    ]) {
      const response = await request;
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('application/x-ndjson');
      const lines = (await response.text()).split('\n');
      expect(lines.at(-1)).toBe('');
      const events = lines.slice(0, -1).map((line) => JSON.parse(line));
      const history = await client.cases[':caseId'].events.$get({ param: { caseId: 'l-04' }, query: {} });
      expect(events).toEqual((await jsonAt(history, 200)).events);
      expect(events.map((event: { version: number }) => event.version)).toEqual([1, 2, 3, 4]);
    }
  });

  it('is what Accept prefers by q-value: NDJSON over JSON of a lower quality, JSON on a tie', async () => {
    const typeFor = async (accept: string) =>
      (await raw('/cases/l-04/events', { headers: { accept } })).headers.get('content-type')?.split(';')[0];
    expect(await typeFor('application/json;q=0.1, application/x-ndjson')).toBe('application/x-ndjson');
    expect(await typeFor('application/x-ndjson;q=0.1, application/json')).toBe('application/json');
    expect(await typeFor('application/x-ndjson, application/json')).toBe('application/json');
  });

  it('honours knownAt, and answers an unknown case or a bad moment with a problem', async () => {
    const early = await raw('/cases/l-04/events.ndjson?knownAt=2020-01-01');
    expect(early.status).toBe(200);
    expect(await early.text()).toBe('');
    const missing = await raw('/cases/nobody/events.ndjson');
    expect(missing.status).toBe(404);
    const bad = await raw('/cases/l-04/events.ndjson?knownAt=soon');
    expect(bad.status).toBe(400);
  });
});
