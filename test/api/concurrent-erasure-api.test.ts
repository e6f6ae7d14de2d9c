import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Services } from '../../functions/services.ts';
import { openedSubjectName } from '../support/answered-events.ts';
import { answered, jsonAt, typedClient } from '../support/api-client.ts';
import { servicesOn } from '../support/test-services.ts';
import { createTestTables, type TestTables } from '../support/test-tables.ts';

let db: TestTables;
let services: Services;
let client: Awaited<ReturnType<typeof typedClient>>;

const ids = (n: number, salt: number) =>
  Array.from(
    { length: n },
    (_, index) =>
      `${salt.toString(16).padStart(8, '0')}-1d7a-4f3e-8a55-${index.toString(16).padStart(12, '0')}`,
  );

async function openCase(caseId: string) {
  const opened = await client.cases.$post({
    header: {},
    json: { caseId, subject: { name: 'Test Person Concurrent' } },
  });
  expect(opened.status).toBe(201);
}

async function erasedEvents(caseId: string) {
  const history = client.cases[':caseId'].events.$get({ param: { caseId }, query: { form: 'stored' } });
  const { events } = await jsonAt(await history, 200);
  return events.filter((event) => event.type === 'Erased');
}

const erase = (caseId: string, eventId?: string) =>
  answered(
    client.cases[':caseId'].erase.$post({
      param: { caseId },
      json: { reason: 'Request of the person (invented)', ...(eventId && { eventId }) },
    }),
  );

beforeAll(async () => {
  db = await createTestTables('erase-race');
  services = servicesOn(db);
  client = await typedClient(services.app);
});
afterAll(() => db.drop());

describe('concurrent erasures of one case', () => {
  it('record one Erased event when eight requests with different event ids race: one 200, seven 409', async () => {
    await openCase('race-distinct');
    const answers = await Promise.all(ids(8, 1).map((eventId) => erase('race-distinct', eventId)));
    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses).toEqual([200, 409, 409, 409, 409, 409, 409, 409]);
    for (const answer of answers.filter((a) => a.status === 409)) {
      expect(answer.body.type).toBe('urn:problem:detention-ledger:case-erased');
    }
    const recorded = await erasedEvents('race-distinct');
    expect(recorded).toHaveLength(1);
    expect(recorded[0]!.eventId).toBe(answers.find((a) => a.status === 200)?.body.event.eventId);
  });

  it('record one Erased event when requests without an event id race', async () => {
    await openCase('race-no-id');
    const answers = await Promise.all(Array.from({ length: 5 }, () => erase('race-no-id')));
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(1);
    expect(answers.filter((answer) => answer.status === 409)).toHaveLength(4);
    expect(await erasedEvents('race-no-id')).toHaveLength(1);
  });

  it('give every concurrent retry with the same event id the first result, marked as replayed', async () => {
    await openCase('race-same-id');
    const [eventId] = ids(1, 2);
    const answers = await Promise.all(Array.from({ length: 6 }, () => erase('race-same-id', eventId)));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200, 200]);
    const bodies = new Set(answers.map((answer) => JSON.stringify(answer.body)));
    expect(bodies.size).toBe(1);
    const replayed = answers.filter((answer) => answer.headers.get('idempotent-replayed') === 'true');
    expect(replayed).toHaveLength(5);
    expect(await erasedEvents('race-same-id')).toEqual([expect.objectContaining({ eventId })]);
    const history = client.cases[':caseId'].events.$get({ param: { caseId: 'race-same-id' }, query: {} });
    expect(openedSubjectName((await jsonAt(await history, 200)).events[0])).toBe('[erased]');
  });

  it('answer retries of the first erasure with its result and the others with 409 when both kinds race', async () => {
    await openCase('race-mixed');
    const [retried, ...others] = ids(4, 3);
    const answers = await Promise.all([
      ...[1, 2, 3].map(() => erase('race-mixed', retried)),
      ...others.map((eventId) => erase('race-mixed', eventId)),
    ]);
    const [recorded] = await erasedEvents('race-mixed');
    expect(await erasedEvents('race-mixed')).toHaveLength(1);
    for (const answer of answers) {
      if (answer.status === 200) expect(answer.body.event.eventId).toBe(recorded!.eventId);
      else expect(answer.status).toBe(409);
    }
    // Whichever id won, every request that carried it got 200.
    const winners = answers.filter((answer) => answer.status === 200);
    expect(winners.length).toBe(recorded!.eventId === retried ? 3 : 1);
  });
});
