import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewEvent } from '../../domain/event-catalogue.ts';
import type { Services } from '../../functions/services.ts';
import { answered, jsonAt, ledgerItemCount, rawRequest, typedClient } from '../support/api-client.ts';
import { projectCases } from '../support/project-cases.ts';
import { detained, inventedSource, withoutId } from '../support/sample-events.ts';
import { servicesOn } from '../support/test-services.ts';
import { createTestTables, type TestTables } from '../support/test-tables.ts';
import { testToken } from '../support/tokens.ts';

let db: TestTables;
let services: Services;
let client: Client;
type Client = Awaited<ReturnType<typeof typedClient>>;
const now = new Date('2025-09-01T12:00:00Z');

/** Eleven invented people of one group, held since July; one of another group; one of none. */
const GROUP = 'g-embassy';
const groupCases = Array.from({ length: 11 }, (_, index) => `emb-${String(index + 1).padStart(2, '0')}`);
const otherGroupCase = 'other-01';
const ungroupedCase = 'loose-01';

const visitNote = 'Embassy staff saw Test Person Quillon in the visiting room';
const visit = (occurredAt: string): NewEvent => ({
  type: 'ConsularVisit',
  occurredAt,
  sources: inventedSource,
  note: visitNote,
  data: { by: 'Embassy of Utopia' },
});

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

const recordForGroup = (
  groupId: string,
  body: { caseIds: string[]; events: NewEvent[] },
  key: string,
  caller = client,
) =>
  answered(
    caller.groups[':groupId'].events.$post({
      param: { groupId },
      header: { 'idempotency-key': key },
      json: body,
    }),
  );

async function versionOf(caseId: string): Promise<number | undefined> {
  return (await services.ledger.head(caseId))?.version;
}

async function visitsOf(caseId: string) {
  const page = jsonAt(await client.cases[':caseId'].events.$get({ param: { caseId }, query: {} }), 200);
  return (await page).events.filter((event) => event.type === 'ConsularVisit');
}

beforeAll(async () => {
  db = await createTestTables('group-append');
  services = servicesOn(db, { clock: () => now });
  client = await typedClient(services.app);
  for (const caseId of groupCases) await open(caseId, GROUP);
  await open(otherGroupCase, 'g-elsewhere');
  await open(ungroupedCase, undefined);
});
afterAll(() => db.drop());

describe('POST /groups/{groupId}/events', () => {
  const key = `visit-${randomUUID()}`;

  it('records one visit for each of eleven cases, each its own event in its own case', async () => {
    const answer = await recordForGroup(GROUP, { caseIds: groupCases, events: [visit('2025-07-03')] }, key);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    if (answer.status !== 200) return;
    expect(answer.body.groupId).toBe(GROUP);
    expect(answer.body.results.map((result) => [result.caseId, result.outcome, result.version])).toEqual(
      groupCases.map((caseId) => [caseId, 'recorded', 3]),
    );
    const ids = answer.body.results.flatMap((result) => result.eventIds ?? []);
    expect(new Set(ids).size).toBe(11);
    for (const caseId of groupCases) {
      const visits = await visitsOf(caseId);
      expect(visits, caseId).toHaveLength(1);
      expect(visits[0]).toMatchObject({ streamId: caseId, occurredAt: '2025-07-03', note: visitNote });
    }
  });

  it('records nothing twice when the whole request is retried: every case replayed, versions unchanged', async () => {
    const items = await ledgerItemCount(db);
    const answer = await recordForGroup(GROUP, { caseIds: groupCases, events: [visit('2025-07-03')] }, key);
    expect(answer.status).toBe(200);
    if (answer.status !== 200) return;
    expect(answer.body.results.map((result) => [result.outcome, result.version])).toEqual(
      groupCases.map(() => ['replayed', 3]),
    );
    expect(await ledgerItemCount(db)).toBe(items);
    for (const caseId of groupCases) expect(await visitsOf(caseId), caseId).toHaveLength(1);
  });

  it('seals the free texts of each copy and projects each case, as a single append does', async () => {
    const stored = jsonAt(
      await client.cases[':caseId'].events.$get({
        param: { caseId: groupCases[0]! },
        query: { form: 'stored' },
      }),
      200,
    );
    const copy = (await stored).events.find((event) => event.type === 'ConsularVisit');
    expect(JSON.stringify(copy)).not.toContain('Quillon');
    await projectCases(services, ...groupCases);
    const view = jsonAt(
      await client.cases[':caseId'].$get({ param: { caseId: groupCases[5]! }, query: {}, header: {} }),
      200,
    );
    expect(await view).toMatchObject({ lastConsularVisitAt: '2025-07-03', consularVisitCount: 1 });
  });

  it('refuses a case of another group, of no group, or of no record, and still records the rest', async () => {
    const missing = 'emb-none';
    const caseIds = [groupCases[0]!, otherGroupCase, missing, ungroupedCase, groupCases[1]!];
    const before = await Promise.all([otherGroupCase, ungroupedCase].map(versionOf));
    const answer = await recordForGroup(GROUP, { caseIds, events: [visit('2025-07-14')] }, randomUUID());
    expect(answer.status).toBe(200);
    if (answer.status !== 200) return;
    expect(
      answer.body.results.map((result) => [result.caseId, result.outcome, result.problem?.code]),
    ).toEqual([
      [groupCases[0], 'recorded', undefined],
      [otherGroupCase, 'refused', 'case_not_in_group'],
      [missing, 'refused', 'case_not_found'],
      [ungroupedCase, 'refused', 'case_not_in_group'],
      [groupCases[1], 'recorded', undefined],
    ]);
    expect(answer.body.results[1]?.problem).toMatchObject({
      status: 409,
      title: 'The case is in another group',
      detail: `Case ${otherGroupCase} is not in group ${GROUP}`,
    });
    expect(await Promise.all([otherGroupCase, ungroupedCase].map(versionOf))).toEqual(before);
  });

  it('answers a case that refuses the events with the rule it breaks, the others recorded', async () => {
    // Retracting the first case's visit is that case's own business; for the second it is another case's event.
    const [first, second] = [groupCases[2]!, groupCases[3]!];
    const [firstVisit] = await visitsOf(first);
    const retraction: NewEvent = {
      type: 'Retracted',
      occurredAt: '2025-08-01',
      sources: inventedSource,
      data: { eventId: firstVisit!.eventId, reason: 'Recorded for the wrong day' },
    };
    const versionOfSecond = await versionOf(second);
    const answer = await recordForGroup(
      GROUP,
      { caseIds: [first, second], events: [retraction] },
      randomUUID(),
    );
    expect(answer.status).toBe(200);
    if (answer.status !== 200) return;
    expect(answer.body.results.map((result) => [result.outcome, result.problem?.code])).toEqual([
      ['recorded', undefined],
      ['refused', 'rule_violated'],
    ]);
    expect(answer.body.results[1]?.problem?.errors?.length).toBeGreaterThan(0);
    expect(await versionOf(second)).toBe(versionOfSecond);
  });

  it('gives the same events other ids under another key, and other ids than a single append with that key', async () => {
    const sharedKey = `shared-${randomUUID()}`;
    const caseId = groupCases[4]!;
    const group = await recordForGroup(
      GROUP,
      { caseIds: [caseId], events: [visit('2025-07-23')] },
      sharedKey,
    );
    const single = await answered(
      client.cases[':caseId'].events.$post({
        param: { caseId },
        header: { 'idempotency-key': sharedKey },
        json: { events: [visit('2025-07-23')] },
      }),
    );
    expect(group.status).toBe(200);
    expect(single.status).toBe(201);
    if (group.status !== 200 || single.status !== 201) return;
    expect(group.body.results[0]?.outcome).toBe('recorded');
    expect(single.body.events[0]?.eventId).not.toBe(group.body.results[0]?.eventIds?.[0]);
  });

  it('is for recorders: a viewer is refused with 403 and nothing is recorded', async () => {
    const items = await ledgerItemCount(db);
    const viewer = await typedClient(services.app, await testToken(['viewer', 'auditor'], { pii: true }));
    const answer = await recordForGroup(
      GROUP,
      { caseIds: groupCases, events: [visit('2025-08-20')] },
      randomUUID(),
      viewer,
    );
    expect(answer.status).toBe(403);
    const anonymous = await typedClient(services.app, null);
    expect(
      (
        await recordForGroup(
          GROUP,
          { caseIds: groupCases, events: [visit('2025-08-20')] },
          randomUUID(),
          anonymous,
        )
      ).status,
    ).toBe(401);
    expect(await ledgerItemCount(db)).toBe(items);
  });
});

describe('POST /groups/{groupId}/events refuses hostile input whole, and records nothing', () => {
  const good = { caseIds: groupCases.slice(0, 2), events: [visit('2025-08-20')] };
  const json = (body: unknown) => JSON.stringify(body);
  const cases: Array<[string, { body: string; headers?: Record<string, string>; path?: string }, number]> = [
    ['no Idempotency-Key', { body: json(good), headers: { 'idempotency-key': '' } }, 400],
    ['an empty Idempotency-Key', { body: json(good), headers: { 'idempotency-key': ' ' } }, 400],
    [
      'an Idempotency-Key of control characters',
      { body: json(good), headers: { 'idempotency-key': 'a\tb' } },
      400,
    ],
    ['no cases', { body: json({ ...good, caseIds: [] }) }, 400],
    ['no events', { body: json({ ...good, events: [] }) }, 400],
    ['a case twice', { body: json({ ...good, caseIds: [groupCases[0], groupCases[0]] }) }, 400],
    [
      '101 cases',
      { body: json({ ...good, caseIds: Array.from({ length: 101 }, (_, i) => `emb-x${i}`) }) },
      400,
    ],
    ['a case id that is no identifier', { body: json({ ...good, caseIds: ['../emb-01'] }) }, 400],
    ['a case id that is the groups registry', { body: json({ ...good, caseIds: ['#groups'] }) }, 400],
    [
      'an unknown event type',
      { body: json({ ...good, events: [{ ...visit('2025-08-20'), type: 'Abducted' }] }) },
      400,
    ],
    [
      'an event without sources',
      { body: json({ ...good, events: [{ ...visit('2025-08-20'), sources: [] }] }) },
      400,
    ],
    ['a date that is no date', { body: json({ ...good, events: [visit('the twentieth')] }) }, 400],
    [
      'an event id of its own',
      { body: json({ ...good, events: [{ ...visit('2025-08-20'), eventId: randomUUID() }] }) },
      400,
    ],
    ['a field the body does not have', { body: json({ ...good, version: 3 }) }, 400],
    ['a prototype key', { body: '{"caseIds":["emb-01"],"events":[],"__proto__":{"admin":true}}' }, 400],
    ['malformed JSON', { body: '{"caseIds":["emb-01"],' }, 400],
    ['a group id that is no identifier', { body: json(good), path: '/groups/%3Cg%3E/events' }, 400],
    ['a body over 1 MiB', { body: json({ ...good, pad: 'x'.repeat(1100 * 1024) }) }, 413],
    ['a body that is not JSON', { body: 'caseIds=emb-01', headers: { 'content-type': 'text/plain' } }, 415],
  ];

  it.each(cases)('%s', async (_name, { body, headers, path }, status) => {
    const items = await ledgerItemCount(db);
    const sent = new Headers({
      'content-type': 'application/json',
      'idempotency-key': randomUUID(),
      ...headers,
    });
    // An empty value stands for a header not sent at all.
    if (sent.get('idempotency-key') === '') sent.delete('idempotency-key');
    const answer = await rawRequest(services.app, path ?? `/groups/${GROUP}/events`, {
      method: 'POST',
      headers: sent,
      body,
    });
    expect(answer.status, await answer.clone().text()).toBe(status);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
    expect(await ledgerItemCount(db)).toBe(items);
  });
});
