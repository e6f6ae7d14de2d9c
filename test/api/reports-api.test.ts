import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { alertsFor } from '../../domain/alerts.ts';
import { createServices, type Services } from '../../functions/services.ts';
import { jsonAt, rawRequest, typedClient } from '../support/api-client.ts';
import { projectCases } from '../support/project-cases.ts';
import { recordReportGroup } from '../support/record-report-group.ts';
import { REPORT_GROUP, reportCases } from '../support/report-group.ts';
import { countRequests } from '../support/request-counter.ts';
import { servicesOn } from '../support/test-services.ts';
import { createTestTables, type TestTables } from '../support/test-tables.ts';
import { testAuth } from '../support/tokens.ts';

let db: TestTables;
let services: Services;
let client: Client;

type Client = Awaited<ReturnType<typeof typedClient>>;

/** The summary a caller is given for `query`, the group's unless the query names none. */
const summaryAnswer = (query: { groupId?: string; asOf?: string; knownAt?: string }, caller = client) =>
  caller.summary.$get({ query });
const groupSummary = async (query: { asOf?: string; knownAt?: string }) =>
  jsonAt(await summaryAnswer({ groupId: REPORT_GROUP, ...query }), 200);
const alertsAnswer = async (query: Record<string, string>) =>
  jsonAt(await client.alerts.$get({ query }), 200);
const viewAsOf = async (caseId: string, asOf: string) =>
  jsonAt(await client.cases[':caseId'].$get({ param: { caseId }, query: { asOf }, header: {} }), 200);
let now = new Date('2025-07-01T00:00:00Z');

beforeAll(async () => {
  db = await createTestTables('reports');
  services = servicesOn(db, { clock: () => now });
  client = await typedClient(services.app);
  await recordReportGroup(client, (at) => {
    now = at;
  });
  now = new Date('2025-12-15T12:00:00Z');
  await projectCases(services, ...reportCases.map((item) => item.caseId));
});
afterAll(() => db.drop());

const groupCases = reportCases.filter((item) => item.groupId === REPORT_GROUP);

/** Days from the first detention to the new year, every third day, plus each threshold and uncertain date. */
const days = [
  ...Array.from({ length: 62 }, (_, i) => new Date(Date.parse('2025-06-28') + i * 3 * 86_400_000)).map(
    (date) => date.toISOString().slice(0, 10),
  ),
  '2025-08-30',
  '2025-08-31',
  '2025-09-01',
  '2025-09-09',
  '2025-09-10',
  '2025-09-19',
  '2025-09-20',
  '2025-09-21',
  '2025-10-30',
  '2025-10-31',
  '2025-11-01',
  '2025-11-19',
  '2025-11-20',
  '2025-11-21',
];

describe('GET /summary', () => {
  it('counts, on every day, what the fold of each case as of that day says', async () => {
    for (const day of days) {
      const summaryAt = await summaryAnswer({ groupId: REPORT_GROUP, asOf: day });
      expect(summaryAt.status).toBe(200);
      const summary = await jsonAt(summaryAt, 200);
      const expected: Record<string, number> = {};
      let total = 0;
      // The cases' folds are independent: asked at once, so the test's time does not grow with a busy machine.
      const views = await Promise.all(groupCases.map((item) => viewAsOf(item.caseId, day)));
      for (const view of views) {
        if (view.statusHistory.length === 0) continue;
        total += 1;
        expected[view.status] = (expected[view.status] ?? 0) + 1;
      }
      expect(summary.total, day).toBe(total);
      for (const [status, count] of Object.entries(summary.byStatus)) {
        expect(count, `${status} on ${day}`).toBe(expected[status] ?? 0);
      }
    }
  }, 180_000); // Each of 20 days folds every case: slow on a busy machine, and not a timing test.

  it('counts a release dated to a month from the end of that month, and one dated to a range from its end', async () => {
    const byStatus = async (asOf: string) => (await groupSummary({ asOf })).byStatus;
    // r-4 was released between 10 and 20 September.
    expect(await byStatus('2025-09-19')).toMatchObject({ detained: 5, released: 0 });
    expect(await byStatus('2025-09-20')).toMatchObject({ detained: 4, released: 1 });
    // r-1 was released in "2025-10".
    expect(await byStatus('2025-10-30')).toMatchObject({ detained: 4, released: 1 });
    expect(await byStatus('2025-10-31')).toMatchObject({ detained: 3, released: 2 });
    expect(await byStatus('2025-11-20')).toMatchObject({ detained: 2, sentenced: 1, released: 2 });
  });

  it('counts facilities and nationalities of the people held at the moment', async () => {
    expect(await groupSummary({ asOf: '2025-09-16' })).toEqual({
      total: 5,
      byStatus: { detained: 5, house_arrest: 0, sentenced: 0, released: 0, deceased: 0, unknown: 0 },
      byFacility: { 'North Remand': 3, 'East Cells, Block "B"': 1 },
      heldAtUnknownFacility: 1,
      byNationality: { Utopia: 3, Freedonia: 2 },
      asOf: '2025-09-16T23:59:59.999Z',
    });
  });

  it('with knownAt, counts what the ledger knew then: the release recorded in December is not known in November', async () => {
    const believedAnswer = await summaryAnswer({
      groupId: REPORT_GROUP,
      asOf: '2025-11-10',
      knownAt: '2025-11-30',
    });
    expect(believedAnswer.status).toBe(200);
    const believed = await jsonAt(believedAnswer, 200);
    // r-1 still held as far as anyone knew; r-4 released in September; r-3 not sentenced until the 20th.
    expect(believed.byStatus).toMatchObject({ detained: 4, released: 1 });
    expect(believed.knownAt).toBe('2025-11-30T23:59:59.999Z');
    const known = await groupSummary({ asOf: '2025-11-10' });
    expect(known.byStatus).toMatchObject({ detained: 3, released: 2 });
    // Before r-2 was recorded (20 September) the ledger knew four people of the group.
    const early = await groupSummary({ knownAt: '2025-09-01' });
    expect(early.total).toBe(4);
    expect(early.asOf).toBe(early.knownAt);
  });

  it('with asOf alone, reads only the views: it answers even when the ledger table is gone', async () => {
    const viewsOnly = createServices({
      auth: testAuth,
      clients: db.clients,
      tables: { ...db.tables, ledger: 'no-such-ledger' },
      clock: () => now,
    });
    const ask = await typedClient(viewsOnly.app);
    const fromViews = await summaryAnswer({ groupId: REPORT_GROUP, asOf: '2025-10-31' }, ask);
    expect(fromViews.status).toBe(200);
    expect(await jsonAt(fromViews, 200)).toEqual(await groupSummary({ asOf: '2025-10-31' }));
    expect(
      (await summaryAnswer({ groupId: REPORT_GROUP, knownAt: '2025-10-31' }, ask)).status,
    ).toBeGreaterThanOrEqual(500);
  });

  it('never scans a table', async () => {
    const counter = countRequests(db.clients.client);
    await summaryAnswer({ groupId: REPORT_GROUP, asOf: '2025-10-31' });
    await summaryAnswer({});
    await summaryAnswer({ knownAt: '2025-10-31' });
    await client.alerts.$get({ query: { asOf: '2025-10-31' } });
    const counts = counter.snapshot();
    expect(counts.QueryCommand).toBeGreaterThan(0);
    expect(counts).not.toHaveProperty('ScanCommand');
  });

  it('without a group counts every case', async () => {
    const all = await jsonAt(await summaryAnswer({ asOf: '2025-07-15' }), 200);
    expect(all.total).toBe(5); // r-2 had not begun by then (July~ ends 31 July); o-1 had
    expect(all.byFacility['North Remand']).toBe(4);
  });
});

describe('GET /alerts', () => {
  const alertsOn = async (asOf: string) => (await alertsAnswer({ groupId: REPORT_GROUP, asOf })).alerts;
  const of = (alerts: ReadonlyArray<{ caseId: string; kind: string }>, caseId: string, kind: string) =>
    alerts.find((alert) => alert.caseId === caseId && alert.kind === kind);

  it('raises consular_visit_overdue on the first day past 30 days since the last visit', async () => {
    expect(of(await alertsOn('2025-08-09'), 'r-1', 'consular_visit_overdue')).toBeUndefined();
    expect(of(await alertsOn('2025-08-10'), 'r-1', 'consular_visit_overdue')).toEqual({
      caseId: 'r-1',
      kind: 'consular_visit_overdue',
      since: '2025-07-10',
      days: 31,
    });
  });

  it('warns of a term from 14 days before its end, and reports it lapsed from the day after', async () => {
    expect(of(await alertsOn('2025-08-16'), 'r-5', 'custody_term_expiring')).toBeUndefined();
    expect(of(await alertsOn('2025-08-17'), 'r-5', 'custody_term_expiring')).toMatchObject({
      due: '2025-08-31',
      days: 14,
    });
    expect(of(await alertsOn('2025-08-31'), 'r-5', 'custody_term_expiring')).toMatchObject({ days: 0 });
    expect(of(await alertsOn('2025-08-31'), 'r-5', 'custody_term_lapsed')).toBeUndefined();
    expect(of(await alertsOn('2025-09-01'), 'r-5', 'custody_term_lapsed')).toEqual({
      caseId: 'r-5',
      kind: 'custody_term_lapsed',
      since: '2025-09-01',
      days: 1,
    });
    // r-1's term was extended on 28 August, before it ran out on 1 September.
    expect(of(await alertsOn('2025-09-02'), 'r-1', 'custody_term_lapsed')).toBeUndefined();
  });

  it('raises no_news on the first day past 60 days without an event', async () => {
    expect(of(await alertsOn('2025-08-30'), 'r-5', 'no_news')).toBeUndefined();
    expect(of(await alertsOn('2025-08-31'), 'r-5', 'no_news')).toMatchObject({
      since: '2025-07-01',
      days: 61,
    });
  });

  it('takes thresholds per call, and says which it used', async () => {
    const answer = await alertsAnswer({
      groupId: REPORT_GROUP,
      asOf: '2025-07-20',
      consularVisitDays: '5',
      noNewsDays: '10',
      custodyExpiringDays: '60',
    });
    expect(answer.thresholds).toEqual({ consularVisitDays: 5, custodyExpiringDays: 60, noNewsDays: 10 });
    expect(of(answer.alerts, 'r-1', 'consular_visit_overdue')).toMatchObject({ days: 10 });
    expect(of(answer.alerts, 'r-5', 'custody_term_expiring')).toMatchObject({ days: 42 });
    expect(of(answer.alerts, 'r-5', 'no_news')).toMatchObject({ days: 19 });
  });

  it('says nothing of people released or not yet detained, nor of other groups', async () => {
    const alerts = await alertsOn('2025-12-01');
    expect(alerts.filter((alert) => alert.caseId === 'r-1' || alert.caseId === 'r-4')).toEqual([]);
    expect(alerts.some((alert) => alert.caseId === 'o-1')).toBe(false);
  });

  it('answers now from the stored views, as the fold of each case as of now would', async () => {
    now = new Date('2025-12-20T12:00:00Z');
    const answer = await alertsAnswer({ groupId: REPORT_GROUP });
    expect(answer.asOf).toBe(now.toISOString());
    const expected = [];
    for (const item of groupCases) {
      const view = await viewAsOf(item.caseId, now.toISOString());
      expected.push(...alertsFor(view, now, answer.thresholds));
    }
    expect(answer.alerts).toHaveLength(expected.length);
    expect(answer.alerts).toEqual(expect.arrayContaining(expected));
    expect(of(answer.alerts, 'r-5', 'custody_term_lapsed')).toMatchObject({ days: 111 });
  });

  it('on every day, matches the fold of each case as of that day', async () => {
    for (const day of days.filter((_, index) => index % 4 === 0)) {
      const answer = await alertsAnswer({ groupId: REPORT_GROUP, asOf: day });
      const asOf = new Date(answer.asOf);
      const expected = [];
      for (const item of groupCases) {
        const view = await viewAsOf(item.caseId, day);
        expected.push(...alertsFor(view, asOf, answer.thresholds));
      }
      expect(answer.alerts, day).toHaveLength(expected.length);
      expect(answer.alerts, day).toEqual(expect.arrayContaining(expected));
    }
  });
});

describe('bad input to /summary and /alerts', () => {
  it.each([
    '/summary?asOf=yesterday',
    '/summary?knownAt=2025-13-01',
    '/summary?groupId=%3Cscript%3E',
    `/summary?groupId=${'g'.repeat(200)}`,
    '/alerts?asOf=2025-02-30',
    '/alerts?consularVisitDays=0',
    '/alerts?consularVisitDays=-3',
    '/alerts?noNewsDays=1.5',
    '/alerts?noNewsDays=sixty',
    '/alerts?custodyExpiringDays=99999',
    '/alerts?groupId=',
  ])('%s is a 400 problem naming the field', async (path) => {
    // Each query goes out as written: some values are ones the query types would not let through.
    const answer = await rawRequest(services.app, path);
    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
    const problem = z.looseObject({ errors: z.array(z.unknown()).optional() }).parse(await answer.json());
    expect(problem.errors?.length ?? 0).toBeGreaterThan(0);
  });
});
