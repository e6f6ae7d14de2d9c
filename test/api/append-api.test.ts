import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { MAX_EVENTS_PER_APPEND } from '../../domain/append-rules.ts';
import { verifyChain } from '../../domain/hash-chain.ts';
import type { StoredEvent } from '../../domain/stored-event.ts';
import { MAX_BODY_BYTES } from '../../functions/api/app.ts';
import type { Services } from '../../functions/services.ts';
import { subjectIn } from '../support/answered-events.ts';
import { answered, jsonAt, ledgerItemCount, rawRequest, typedClient } from '../support/api-client.ts';
import {
  consularVisit,
  detained,
  inventedSource,
  released,
  withId,
  withoutId,
} from '../support/sample-events.ts';
import { servicesOn } from '../support/test-services.ts';
import { createTestTables, type TestTables } from '../support/test-tables.ts';

let db: TestTables;
let services: Services;
let client: Client;

type Client = Awaited<ReturnType<typeof typedClient>>;
const now = new Date('2026-11-24T12:00:00.000Z');

beforeAll(async () => {
  db = await createTestTables('append-api');
  services = servicesOn(db, { clock: () => now });
  client = await typedClient(services.app);
});
afterAll(() => db.drop());

const subject = { name: 'Ada Example', nationality: 'Utopia', birthYear: 1990 };
const visit = () => withoutId(consularVisit('2025-07-03'));

type Opening = NonNullable<Parameters<Client['cases']['$post']>[0]>['json'];
type Appending = NonNullable<Parameters<Client['cases'][':caseId']['events']['$post']>[0]>;

const open = (json: Opening, header: Appending['header'] = {}, caller = client) =>
  caller.cases.$post({ header, json });
const append = (caseId: string, events: Appending['json']['events'], header: Appending['header'] = {}) =>
  client.cases[':caseId'].events.$post({ param: { caseId }, header, json: { events } });

async function openCase() {
  const answer = await open({ subject, groupId: 'river-2025' });
  expect(answer.status).toBe(201);
  return (await jsonAt(answer, 201)).caseId;
}

/**
 * A POST sent as written, past the request types: the refusals below are of requests a typed client could not
 * make (unknown types, missing fields, bodies that are not JSON). Bodies that are not strings go as JSON.
 */
function send(path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
  if (body === undefined) return rawRequest(services.app, path, { method: 'POST', headers });
  return rawRequest(services.app, path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** The fields of a problem these tests check. */
const problemBody = z.looseObject({
  type: z.string(),
  status: z.number(),
  title: z.unknown(),
  detail: z.unknown(),
  errors: z.array(z.looseObject({ path: z.string() })).optional(),
});

async function expectProblem(
  answer: { status: number; headers: Headers; json(): Promise<unknown> },
  status: number,
  type: string,
) {
  expect(answer.status).toBe(status);
  expect(answer.headers.get('content-type')).toBe('application/problem+json');
  const problem = problemBody.parse(await answer.json());
  expect(problem).toMatchObject({ type: `urn:problem:detention-ledger:${type}`, status });
  expect(problem.title).toEqual(expect.any(String));
  expect(problem.detail).toEqual(expect.any(String));
  return problem;
}

describe('POST /cases', () => {
  it('opens a case with its first events in one append and answers with the stored events', async () => {
    const answer = await open({
      caseId: 'case-open-1',
      subject,
      groupId: 'river-2025',
      events: [withoutId(detained('2025-06-30'))],
    });
    expect(answer.status).toBe(201);
    expect(answer.headers.get('location')).toBe('/cases/case-open-1');
    expect(answer.headers.get('etag')).toBe('"2"');
    const body = await jsonAt(answer, 201);
    expect(body).toMatchObject({ caseId: 'case-open-1', version: 2 });
    const [opened, held] = body.events;
    expect(opened).toMatchObject({
      type: 'CaseOpened',
      version: 1,
      occurredAt: now.toISOString(),
      recordedAt: now.toISOString(),
      // The token's subject, never a value from the body.
      recordedBy: 'test-recorder',
      data: { subject, groupId: 'river-2025' },
    });
    expect(held).toMatchObject({ type: 'Detained', version: 2, prevHash: opened?.hash });
    // The answer shows the subject opened; the chain is over the sealed form the ledger stores.
    const stored = await jsonAt(
      await client.cases[':caseId'].events.$get({
        param: { caseId: 'case-open-1' },
        query: { form: 'stored' },
      }),
      200,
    );
    expect(stored.events.map((event) => event.hash)).toEqual(body.events.map((event) => event.hash));
    expect(subjectIn(stored.events[0])).toEqual({
      nationality: subject.nationality,
      sealed: { alg: 'A256GCM', iv: expect.any(String), ciphertext: expect.any(String) },
    });
    // The stored form is the stored events, as the chain is checked over them.
    expect(verifyChain(stored.events as unknown as StoredEvent[]).ok).toBe(true);
  });

  it('gives a case an id when none is asked for, and refuses to open the same id twice', async () => {
    const first = await jsonAt(await open({ subject }), 201);
    expect(first.caseId).toMatch(/^[0-9a-f-]{36}$/);
    const again = await open({ caseId: first.caseId, subject });
    await expectProblem(again, 409, 'case-exists');
  });

  describe('retried with the same Idempotency-Key while the clock moves', () => {
    let ticking: Client;
    let tick = now.getTime();
    beforeAll(async () => {
      // Every reading of the clock a millisecond later: a retry's "now" is never the first attempt's.
      ticking = await typedClient(servicesOn(db, { clock: () => new Date(tick++) }).app);
    });

    it('answers a retried opening whose occurredAt the ledger chose with the original result', async () => {
      const key = randomUUID();
      const first = await answered(open({ subject }, { 'idempotency-key': key }, ticking));
      expect(first.status).toBe(201);
      const retry = await answered(open({ subject }, { 'idempotency-key': key }, ticking));
      expect(retry.status).toBe(201);
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      expect(retry.body).toEqual(first.body);
    });

    it('answers ten concurrent retries of one opening with one opening and nine replays of it', async () => {
      const key = randomUUID();
      const before = await ledgerItemCount(db);
      const answers = await Promise.all(
        Array.from({ length: 10 }, () =>
          answered(open({ subject, events: [visit()] }, { 'idempotency-key': key }, ticking)),
        ),
      );
      expect(answers.map((answer) => answer.status)).toEqual(Array(10).fill(201));
      const replayed = answers.filter((answer) => answer.headers.get('idempotent-replayed') === 'true');
      expect(replayed).toHaveLength(9);
      for (const answer of answers) expect(answer.body).toEqual(answers[0]!.body);
      // One case of two events: each an event item and its id guard.
      expect(await ledgerItemCount(db)).toBe(before + 4);
    });

    it('still refuses a retry that changes an occurredAt the client gave', async () => {
      const key = randomUUID();
      const first = await open({ subject, occurredAt: '2025-07-01' }, { 'idempotency-key': key }, ticking);
      expect(first.status).toBe(201);
      const changed = await open({ subject, occurredAt: '2025-07-02' }, { 'idempotency-key': key }, ticking);
      await expectProblem(changed, 409, 'event-id-conflict');
    });
  });

  it('opens one case for a retried request with the same Idempotency-Key', async () => {
    const key = randomUUID();
    const first = await answered(open({ subject }, { 'idempotency-key': key }));
    const retry = await answered(open({ subject }, { 'idempotency-key': key }));
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body).toEqual(first.body);
  });
});

describe('POST /cases/{caseId}/events', () => {
  it('appends events atomically and answers with the new version and the stored events', async () => {
    const caseId = await openCase();
    const answer = await append(caseId, [withoutId(detained()), visit()]);
    expect(answer.status).toBe(201);
    const body = await jsonAt(answer, 201);
    expect(body.version).toBe(3);
    expect(body.events.map((e) => e.version)).toEqual([2, 3]);
    expect(answer.headers.get('etag')).toBe('"3"');
  });

  it('appends with If-Match at the current version and answers 412 when the case has moved', async () => {
    const caseId = await openCase();
    const ok = await append(caseId, [visit()], { 'if-match': '"1"' });
    expect(ok.status).toBe(201);
    const before = await ledgerItemCount(db);
    const stale = await append(caseId, [visit()], { 'if-match': '"1"' });
    await expectProblem(stale, 412, 'version-conflict');
    expect(await ledgerItemCount(db)).toBe(before);
  });

  it('stores a retried append once, with the same answer, by event id or by Idempotency-Key', async () => {
    const caseId = await openCase();
    const event = consularVisit('2025-07-03');
    const byId = await answered(append(caseId, [withId(event)]));
    const byIdAgain = await answered(append(caseId, [withId(event)]));
    expect(byIdAgain.body).toEqual(byId.body);
    const headers = { 'idempotency-key': 'retry-me-1' };
    const byKey = await answered(append(caseId, [visit()], headers));
    const byKeyAgain = await answered(append(caseId, [visit()], headers));
    expect(byKeyAgain.body).toEqual(byKey.body);
    expect(byKeyAgain.headers.get('idempotent-replayed')).toBe('true');
    expect((await services.ledger.head(caseId))?.version).toBe(3);
  });
});

describe('bad input gets a clear 4xx and changes nothing', () => {
  let caseId: string;
  let heldEventId: string;
  beforeAll(async () => {
    caseId = await openCase();
    const answer = await jsonAt(await append(caseId, [withoutId(detained())]), 201);
    heldEventId = `${answer.events[0]?.eventId}`;
  });

  const otherCaseEvent = async () => {
    const other = await openCase();
    const answer = await jsonAt(await append(other, [visit()]), 201);
    return `${answer.events[0]?.eventId}`;
  };

  const cases: {
    name: string;
    request: () => Promise<Response>;
    status: number;
    type: string;
    path?: string;
  }[] = [
    {
      name: 'an unknown event type',
      request: () => send(`/cases/${caseId}/events`, { events: [{ ...visit(), type: 'Abducted' }] }),
      status: 400,
      type: 'validation-failed',
      path: 'events.0.type',
    },
    {
      name: 'missing sources',
      request: () => send(`/cases/${caseId}/events`, { events: [{ ...visit(), sources: undefined }] }),
      status: 400,
      type: 'validation-failed',
      path: 'events.0.sources',
    },
    {
      name: 'an empty list of sources',
      request: () => send(`/cases/${caseId}/events`, { events: [{ ...visit(), sources: [] }] }),
      status: 400,
      type: 'validation-failed',
      path: 'events.0.sources',
    },
    {
      name: 'a malformed date',
      request: () => send(`/cases/${caseId}/events`, { events: [{ ...visit(), occurredAt: '30/06/2025' }] }),
      status: 400,
      type: 'validation-failed',
      path: 'events.0.occurredAt',
    },
    {
      name: 'a date that does not exist',
      request: () => send(`/cases/${caseId}/events`, { events: [{ ...visit(), occurredAt: '2025-02-29' }] }),
      status: 400,
      type: 'validation-failed',
      path: 'events.0.occurredAt',
    },
    {
      name: 'an event dated in the future',
      request: () => send(`/cases/${caseId}/events`, { events: [{ ...visit(), occurredAt: '2026-11-25' }] }),
      status: 400,
      type: 'validation-failed',
      path: 'events.0.occurredAt',
    },
    {
      name: 'a Retracted naming an event that is not in the stream',
      request: () =>
        send(`/cases/${caseId}/events`, {
          events: [
            {
              type: 'Retracted',
              occurredAt: '2025-08-01',
              sources: inventedSource,
              data: { eventId: randomUUID(), reason: 'x' },
            },
          ],
        }),
      status: 422,
      type: 'rule-violated',
      path: 'events.0.data.eventId',
    },
    {
      name: 'a Retracted naming an event of another case',
      request: async () =>
        send(`/cases/${caseId}/events`, {
          events: [
            {
              type: 'Retracted',
              occurredAt: '2025-08-01',
              sources: inventedSource,
              data: { eventId: await otherCaseEvent(), reason: 'x' },
            },
          ],
        }),
      status: 422,
      type: 'rule-violated',
      path: 'events.0.data.eventId',
    },
    {
      name: 'a body over 1 MiB',
      request: () =>
        send(`/cases/${caseId}/events`, {
          events: [{ ...visit(), note: 'x'.repeat(MAX_BODY_BYTES) }],
        }),
      status: 413,
      type: 'http-413',
    },
    {
      name: 'malformed JSON',
      request: () => send(`/cases/${caseId}/events`, '{"events": [', { 'content-type': 'application/json' }),
      status: 400,
      type: 'http-400',
    },
    {
      name: 'a body that is not JSON',
      request: () => send(`/cases/${caseId}/events`, 'events=1', { 'content-type': 'text/plain' }),
      status: 415,
      type: 'http-415',
    },
    {
      name: 'no body at all',
      request: () => send(`/cases/${caseId}/events`),
      status: 400,
      type: 'validation-failed',
    },
    {
      name: 'an empty events list',
      request: () => send(`/cases/${caseId}/events`, { events: [] }),
      status: 400,
      type: 'validation-failed',
      path: 'events',
    },
    {
      name: `more than ${MAX_EVENTS_PER_APPEND} events`,
      request: () =>
        send(`/cases/${caseId}/events`, {
          events: Array.from({ length: MAX_EVENTS_PER_APPEND + 1 }, visit),
        }),
      status: 400,
      type: 'validation-failed',
      path: 'events',
    },
    {
      name: 'one bad event among good ones (all or nothing)',
      request: () =>
        send(`/cases/${caseId}/events`, {
          events: [visit(), { ...visit(), occurredAt: 'soon' }, visit()],
        }),
      status: 400,
      type: 'validation-failed',
      path: 'events.1.occurredAt',
    },
    {
      name: 'an unknown case',
      request: () => send('/cases/case-that-does-not-exist/events', { events: [visit()] }),
      status: 404,
      type: 'case-not-found',
    },
    {
      name: 'a case id that is not an identifier',
      request: () => send('/cases/%23event-id%23x/events', { events: [visit()] }),
      status: 400,
      type: 'validation-failed',
      path: 'caseId',
    },
    {
      name: 'an unknown field in an event',
      request: () =>
        send(`/cases/${caseId}/events`, { events: [{ ...visit(), recordedBy: 'someone-else' }] }),
      status: 400,
      type: 'validation-failed',
      path: 'events.0',
    },
    {
      name: 'a __proto__ key',
      request: () =>
        send(
          `/cases/${caseId}/events`,
          `{"events":[${JSON.stringify(visit()).replace('{', '{"__proto__":{"admin":true},')}]}`,
        ),
      status: 400,
      type: 'validation-failed',
      path: 'events.0.__proto__',
    },
    {
      name: 'a constructor key nested in the data',
      request: () =>
        send(
          `/cases/${caseId}/events`,
          `{"events":[${JSON.stringify(visit()).replace('"data":{', '"data":{"constructor":{"prototype":1},')}]}`,
        ),
      status: 400,
      type: 'validation-failed',
      path: 'events.0.data.constructor',
    },
    {
      name: 'a body nested deeper than any request needs',
      request: () => send(`/cases/${caseId}/events`, `{"events":${'['.repeat(5000)}${']'.repeat(5000)}}`),
      status: 400,
      type: 'validation-failed',
      path: 'events.0.0.0.0.0.0.0.0.0.0.0',
    },
    {
      name: 'a list longer than any request needs',
      request: () => send(`/cases/${caseId}/events`, { events: Array.from({ length: 1001 }, () => 0) }),
      status: 400,
      type: 'validation-failed',
      path: 'events',
    },
    {
      name: 'an object with more fields than any request needs',
      request: () =>
        send(`/cases/${caseId}/events`, {
          events: [
            { ...visit(), ...Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`f${i}`, i])) },
          ],
        }),
      status: 400,
      type: 'validation-failed',
      path: 'events.0',
    },
    {
      name: 'a malformed If-Match',
      request: () => send(`/cases/${caseId}/events`, { events: [visit()] }, { 'if-match': 'latest' }),
      status: 400,
      type: 'validation-failed',
      path: 'if-match',
    },
    {
      name: 'a second CaseOpened',
      request: () =>
        send(`/cases/${caseId}/events`, {
          events: [
            { type: 'CaseOpened', occurredAt: '2025-07-01', sources: inventedSource, data: { subject } },
          ],
        }),
      status: 422,
      type: 'rule-violated',
      path: 'events.0.type',
    },
    {
      name: 'an event id already used for other content',
      request: () => send(`/cases/${caseId}/events`, { events: [{ ...visit(), eventId: heldEventId }] }),
      status: 409,
      type: 'event-id-conflict',
    },
    {
      name: 'a case opened with an invalid subject',
      request: () => send('/cases', { subject: { name: '' } }),
      status: 400,
      type: 'validation-failed',
      path: 'subject.name',
    },
    {
      name: 'a case opened with a body that is an array',
      request: () => send('/cases', [subject]),
      status: 400,
      type: 'validation-failed',
    },
  ];

  for (const { name, request, status, type, path } of cases) {
    it(`answers ${status} to ${name}`, async () => {
      const before = await ledgerItemCount(db);
      const answer = await request();
      const afterOwnSetup = await ledgerItemCount(db);
      const problem = await expectProblem(answer, status, type);
      if (path !== undefined) {
        expect(problem.errors?.map((e) => e.path)).toContain(path);
      }
      // Only the setup of the "another case" scenario may have added items, never the refused request itself.
      expect(afterOwnSetup - before).toBe(name.includes('another case') ? 4 : 0);
    });
  }
});

describe('an append is all or nothing', () => {
  it('records none of the events of a request when one breaks a rule', async () => {
    const caseId = await openCase();
    const answer = await append(caseId, [
      visit(),
      withoutId(released('2025-09-01')),
      {
        type: 'Retracted',
        occurredAt: '2025-09-02',
        sources: inventedSource,
        data: { eventId: randomUUID(), reason: 'x' },
      },
    ]);
    expect(answer.status).toBe(422);
    expect((await services.ledger.readStream(caseId)).map((e) => e.type)).toEqual(['CaseOpened']);
  });
});
