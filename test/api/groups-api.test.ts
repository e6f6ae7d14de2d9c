import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Services } from '../../functions/services.ts';
import { DIGEST_SETTLE_MS } from '../../functions/store/digest-store.ts';
import { runRebuildViews } from '../../local/cli/commands/rebuild-views.ts';
import { harness } from '../cli/cli-harness.ts';
import { answered, jsonAt, rawRequest, typedClient } from '../support/api-client.ts';
import { projectCases } from '../support/project-cases.ts';
import { countRequests } from '../support/request-counter.ts';
import { detained, withoutId } from '../support/sample-events.ts';
import { servicesOn } from '../support/test-services.ts';
import { createTestTables, type TestTables } from '../support/test-tables.ts';
import { testToken } from '../support/tokens.ts';

let db: TestTables;
let services: Services;
let client: Client;
type Client = Awaited<ReturnType<typeof typedClient>>;
let now = new Date('2025-09-01T12:00:00Z');

/** Invented cases in two groups and in none, opened in an order that is not the groups' order. */
const opened = [
  { caseId: 'grp-1', groupId: 'g-bravo' },
  { caseId: 'grp-2', groupId: 'g-alpha' },
  { caseId: 'grp-3', groupId: 'g-bravo' },
  { caseId: 'grp-4', groupId: undefined },
];
const caseIds = opened.map((item) => item.caseId);

async function open(caseId: string, groupId: string | undefined) {
  const answer = await answered(
    client.cases.$post({
      header: {},
      json: {
        caseId,
        subject: { name: `Test Person ${caseId}`, nationality: 'Utopia' },
        ...(groupId && { groupId }),
        events: [withoutId(detained('2025-07-01'))],
      },
    }),
  );
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
}

const groupsNow = async (caller = client) => (await jsonAt(await caller.groups.$get(), 200)).groups;

beforeAll(async () => {
  db = await createTestTables('groups');
  services = servicesOn(db, { clock: () => now });
  client = await typedClient(services.app);
  for (const { caseId, groupId } of opened) await open(caseId, groupId);
});
afterAll(() => db.drop());

describe('GET /groups', () => {
  it('has no groups before any view is written', async () => {
    expect(await groupsNow()).toEqual([]);
  });

  it('lists the groups of the projected cases, sorted and once each, from one read and no Scan', async () => {
    await projectCases(services, ...caseIds);
    const counter = countRequests(db.clients.client);
    expect(await groupsNow()).toEqual([{ groupId: 'g-alpha' }, { groupId: 'g-bravo' }]);
    expect(counter.snapshot()).toEqual({ GetItemCommand: 1 });
  });

  it('lists a new group once its first case is projected', async () => {
    await open('grp-5', 'g-charlie');
    expect(await groupsNow()).not.toContainEqual({ groupId: 'g-charlie' });
    await projectCases(services, 'grp-5');
    expect(await groupsNow()).toEqual([
      { groupId: 'g-alpha' },
      { groupId: 'g-bravo' },
      { groupId: 'g-charlie' },
    ]);
  });

  it('keeps each group once when views are written again, by a fresh projector too', async () => {
    const fresh = servicesOn(db, { clock: () => now });
    await projectCases(fresh, ...caseIds, 'grp-5');
    await open('grp-6', 'g-alpha');
    await projectCases(fresh, 'grp-6');
    const { Item } = await db.clients.documents.send(
      new GetCommand({ TableName: db.tables.views, Key: { caseId: '#groups' } }),
    );
    expect([...((Item?.groupIds as Set<string> | undefined) ?? [])].sort()).toEqual([
      'g-alpha',
      'g-bravo',
      'g-charlie',
    ]);
  });

  it('is for readers: a viewer may list the groups, a caller without a token may not', async () => {
    const viewer = await typedClient(services.app, await testToken(['viewer']));
    expect(await groupsNow(viewer)).toHaveLength(3);
    const anonymous = await rawRequest(services.app, '/groups', {}, null);
    expect(anonymous.status).toBe(401);
  });

  it('takes no input: a hostile query changes nothing, another method is no route', async () => {
    const hostile = await rawRequest(
      services.app,
      `/groups?groupId=${encodeURIComponent('#groups')}&__proto__=x`,
    );
    expect(hostile.status).toBe(200);
    expect(((await hostile.json()) as { groups: unknown[] }).groups).toHaveLength(3);
    const posted = await rawRequest(services.app, '/groups', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ groupIds: ['g-injected'] }),
    });
    expect(posted.status).toBeGreaterThanOrEqual(400);
    expect(posted.status).toBeLessThan(500);
    expect(await groupsNow()).not.toContainEqual({ groupId: 'g-injected' });
  });
});

describe('the groups registry is never taken for a case', () => {
  const allCases = ['grp-1', 'grp-2', 'grp-3', 'grp-4', 'grp-5', 'grp-6'];

  it('is in no list, export, summary or alert', async () => {
    for (const sort of ['caseId', 'custodyUntil'] as const) {
      const listed = await jsonAt(await client.cases.$get({ query: { sort, limit: '100' } }), 200);
      expect(listed.cases.map((view) => view.caseId).sort(), sort).toEqual(allCases);
    }
    const csv = await rawRequest(services.app, '/cases.csv');
    const rows = (await csv.text()).trim().split('\n');
    expect(rows).toHaveLength(allCases.length + 1);
    expect(rows.join('\n')).not.toContain('#groups');
    const summary = await jsonAt(await client.summary.$get({ query: {} }), 200);
    expect(summary.total).toBe(allCases.length);
    const series = await jsonAt(
      await client.summary.series.$get({ query: { from: '2025-08-01', to: '2025-08-01' } }),
      200,
    );
    expect(Object.values(series.days[0]!.byStatus).reduce((sum, count) => sum + count, 0)).toBe(
      allCases.length,
    );
    const alerts = await jsonAt(await client.alerts.$get({ query: {} }), 200);
    for (const alert of alerts.alerts) expect(allCases).toContain(alert.caseId);
  });

  it('cannot be read as a case: its key is no case id', async () => {
    const answer = await rawRequest(services.app, `/cases/${encodeURIComponent('#groups')}`);
    expect(answer.status).toBe(400);
  });

  it('is in no digest, and a rebuild of the views neither counts nor loses it', async () => {
    now = new Date(now.getTime() + DIGEST_SETTLE_MS + 60_000);
    const digest = await answered(client.ledger.digest.$post());
    expect(digest.status).toBe(201);
    if (digest.status === 201) expect(digest.body.cases).toBe(allCases.length);
    const { context } = harness(services);
    const report = await runRebuildViews(context);
    expect(report.cases).toBe(allCases.length);
    expect(await groupsNow()).toEqual([
      { groupId: 'g-alpha' },
      { groupId: 'g-bravo' },
      { groupId: 'g-charlie' },
    ]);
  });
});
