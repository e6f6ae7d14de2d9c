import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../domain/calendar.ts';
import type { Services } from '../../functions/services.ts';
import { SHARD_COUNT } from '../../functions/tables/shards.ts';
import { DEMO_GROUP_ID, demoData } from '../../local/demo-data.ts';
import { loadDemoData } from '../../local/load-demo-data.ts';
import { jsonAt, rawRequest, typedClient } from '../support/api-client.ts';
import { projectCases } from '../support/project-cases.ts';
import { recordReportGroup } from '../support/record-report-group.ts';
import { REPORT_GROUP, reportCases } from '../support/report-group.ts';
import { countRequests } from '../support/request-counter.ts';
import { servicesOn } from '../support/test-services.ts';
import { createTestTables, type TestTables } from '../support/test-tables.ts';
import { testToken } from '../support/tokens.ts';

let db: TestTables;
let services: Services;
let client: Client;
type Client = Awaited<ReturnType<typeof typedClient>>;

const TODAY = '2026-01-15';
let now = new Date(`${TODAY}T12:00:00Z`);
const demo = demoData(now);

const seriesOf = async (query: { groupId?: string; from?: string; to?: string }) =>
  jsonAt(await client.summary.series.$get({ query }), 200);
const summaryAsOf = async (groupId: string, asOf: string) =>
  jsonAt(await client.summary.$get({ query: { groupId, asOf } }), 200);

beforeAll(async () => {
  db = await createTestTables('series');
  services = servicesOn(db, { clock: () => now });
  client = await typedClient(services.app);
  // The demo group, loaded as the demo loads it; and the report group, with dates of every precision.
  await loadDemoData(
    { baseUrl: 'http://ledger.test', fetch: (request) => Promise.resolve(services.app.fetch(request)) },
    await testToken(['recorder'], { subject: 'series-demo' }),
    demo,
  );
  await recordReportGroup(client, (at) => {
    now = at;
  });
  now = new Date(`${TODAY}T12:00:00Z`);
  await projectCases(services, ...demo.cases.map((item) => item.caseId), ...reportCases.map((c) => c.caseId));
});
afterAll(() => db.drop());

/** The series of a group must say, for each of `days`, what `GET /summary?asOf=<day>` says. */
async function expectSummaryOnEachDay(groupId: string, from: string, to: string, days: readonly string[]) {
  const series = await seriesOf({ groupId, from, to });
  const byDay = new Map(series.days.map((day) => [day.day, day]));
  for (const day of days) {
    const summary = await summaryAsOf(groupId, day);
    const counted = byDay.get(day);
    expect(counted?.byStatus, day).toEqual(summary.byStatus);
    expect(counted?.held, day).toBe(
      summary.byStatus.detained + summary.byStatus.house_arrest + summary.byStatus.sentenced,
    );
  }
}

describe('GET /summary/series', () => {
  it('counts the demo group on each day as GET /summary counts that day', async () => {
    const series = await seriesOf({ groupId: DEMO_GROUP_ID });
    expect(series.to).toBe(TODAY);
    expect(series.days.at(-1)?.day).toBe(TODAY);
    expect(series.days[0]?.held).toBeGreaterThan(0);
    const days = series.days.filter((_, index) => index % 5 === 0).map((day) => day.day);
    await expectSummaryOnEachDay(DEMO_GROUP_ID, series.from, series.to, [...days, TODAY]);
  });

  it('starts by default on the first day anyone of the group was held', async () => {
    const series = await seriesOf({ groupId: DEMO_GROUP_ID });
    const before = await summaryAsOf(DEMO_GROUP_ID, addDays(series.from, -1));
    const first = await summaryAsOf(DEMO_GROUP_ID, series.from);
    const held = (summary: typeof first) =>
      summary.byStatus.detained + summary.byStatus.house_arrest + summary.byStatus.sentenced;
    expect(held(before)).toBe(0);
    expect(held(first)).toBeGreaterThan(0);
  });

  it('counts uncertain releases and transfers of the report group as the summary does, day by day', async () => {
    const days = Array.from({ length: 200 }, (_, index) => addDays('2025-06-25', index));
    await expectSummaryOnEachDay(REPORT_GROUP, '2025-06-25', '2026-01-10', days);
  });

  it('counts every case without a group, and a range with nobody in it as zeros', async () => {
    const all = await seriesOf({ from: '2025-08-01', to: '2025-08-01' });
    const summary = jsonAt(await client.summary.$get({ query: { asOf: '2025-08-01' } }), 200);
    expect(all.days[0]?.byStatus).toEqual((await summary).byStatus);
    const empty = await seriesOf({ groupId: 'g-nobody', from: '2025-08-01', to: '2025-08-03' });
    expect(empty.days.map((day) => day.held)).toEqual([0, 0, 0]);
    expect(await seriesOf({ groupId: 'g-nobody' })).toMatchObject({ from: TODAY, to: TODAY });
  });

  it('reads the kept day counts, one query a shard, as one summary of a day does, never a scan', async () => {
    const counter = countRequests(db.clients.client);
    await client.summary.$get({ query: { groupId: DEMO_GROUP_ID, asOf: TODAY } });
    const oneSummary = counter.snapshot();
    counter.reset();
    await client.summary.series.$get({ query: { groupId: DEMO_GROUP_ID, from: '2024-01-01', to: TODAY } });
    // A day is counted as of its end: its days, no moment within it.
    expect(counter.snapshot()).toEqual(oneSummary);
    expect(oneSummary).toEqual({ QueryCommand: SHARD_COUNT });
  });

  it.each([
    ['a malformed day', 'from=2025-7-1'],
    ['a day that does not exist', 'to=2025-02-29'],
    ['a word', 'from=yesterday'],
    ['an instant', 'from=2025-07-01T00:00:00Z'],
    ['a start after the end', 'from=2025-07-02&to=2025-07-01'],
    ['a start after today, the default end', 'from=2026-02-01'],
    ['a span of 3,661 days', 'from=2015-01-01&to=2025-01-08'],
    ['a group id that is no identifier', 'groupId=%3Cscript%3E'],
    ['a list of days', 'from=2025-07-01&from=2025-07-02'],
  ])('refuses %s with 400 validation_failed', async (_name, query) => {
    const answer = await rawRequest(services.app, `/summary/series?${query}`);
    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
    expect(((await answer.json()) as { type: string }).type).toContain('validation-failed');
  });

  it('takes a span of exactly 3,660 days', async () => {
    const series = await seriesOf({ groupId: REPORT_GROUP, from: '2015-01-01', to: '2025-01-07' });
    expect(series.days).toHaveLength(3660);
  });
});
