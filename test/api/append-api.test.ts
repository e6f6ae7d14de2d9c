import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_EVENTS_PER_APPEND } from '../../domain/append-rules.ts';
import { verifyChain } from '../../domain/hash-chain.ts';
import { MAX_BODY_BYTES } from '../../functions/api/app.ts';
import type { Services } from '../../functions/services.ts';
import { type ApiAnswer, apiClient, ledgerItemCount } from '../support/api-client.ts';
import { consularVisit, detained, inventedSource, released, withoutId } from '../support/sample-events.ts';
import { servicesOn } from '../support/test-services.ts';
import { createTestTables, type TestTables } from '../support/test-tables.ts';

let db: TestTables;
let services: Services;
let call: ReturnType<typeof apiClient>;
const now = new Date('2026-11-24T12:00:00.000Z');

beforeAll(async () => {
  db = await createTestTables('append-api');
  services = servicesOn(db, { clock: () => now });
  call = apiClient(services.app);
});
afterAll(() => db.drop());

const subject = { name: 'Ada Example', nationality: 'Utopia', birthYear: 1990 };
const visit = () => withoutId(consularVisit('2025-07-03'));

async function openCase(extra: Record<string, unknown> = {}) {
  const answer = await call('POST', '/cases', { subject, groupId: 'river-2025', ...extra });
  expect(answer.status).toBe(201);
  return answer.body.caseId as string;
}

function expectProblem(answer: ApiAnswer, status: number, type: string) {
  expect(answer.status).toBe(status);
  expect(answer.contentType).toBe('application/problem+json');
  expect(answer.body).toMatchObject({ type: `urn:problem:detention-ledger:${type}`, status });
  expect(answer.body.title).toEqual(expect.any(String));
  expect(answer.body.detail).toEqual(expect.any(String));
}

describe('POST /cases', () => {
  it('opens a case with its first events in one append and answers with the stored events', async () => {
    const answer = await call('POST', '/cases', {
      caseId: 'case-open-1',
      subject,
      groupId: 'river-2025',
      events: [withoutId(detained('2025-06-30'))],
    });
    expect(answer.status).toBe(201);
    expect(answer.headers.get('location')).toBe('/cases/case-open-1');
    expect(answer.headers.get('etag')).toBe('"2"');
    expect(answer.body).toMatchObject({ caseId: 'case-open-1', version: 2 });
    const [opened, held] = answer.body.events;
    expect(opened).toMatchObject({
      type: 'CaseOpened',
      version: 1,
      occurredAt: now.toISOString(),
      recordedAt: now.toISOString(),
      // The token's subject, never a value from the body.
      recordedBy: 'test-recorder',
      data: { subject, groupId: 'river-2025' },
    });
    expect(held).toMatchObject({ type: 'Detained', version: 2, prevHash: opened.hash });
    // The answer shows the subject opened; the chain is over the sealed form the ledger stores.
    const stored = await call('GET', '/cases/case-open-1/events?form=stored');
    expect(stored.body.events.map((event: { hash: string }) => event.hash)).toEqual(
      answer.body.events.map((event: { hash: string }) => event.hash),
    );
    expect(stored.body.events[0].data.subject).toEqual({
      nationality: subject.nationality,
      sealed: { alg: 'A256GCM', iv: expect.any(String), ciphertext: expect.any(String) },
    });
    expect(verifyChain(stored.body.events).ok).toBe(true);
  });

  it('gives a case an id when none is asked for, and refuses to open the same id twice', async () => {
    const first = await call('POST', '/cases', { subject });
    expect(first.body.caseId).toMatch(/^[0-9a-f-]{36}$/);
    const again = await call('POST', '/cases', { caseId: first.body.caseId, subject });
    expectProblem(again, 409, 'case-exists');
  });

  describe('retried with the same Idempotency-Key while the clock moves', () => {
    let ticking: ReturnType<typeof apiClient>;
    let tick = now.getTime();
    beforeAll(() => {
      // Every reading of the clock a millisecond later: a retry's "now" is never the first attempt's.
      ticking = apiClient(servicesOn(db, { clock: () => new Date(tick++) }).app);
    });

    it('answers a retried opening whose occurredAt the ledger chose with the original result', async () => {
      const key = randomUUID();
      const first = await ticking('POST', '/cases', { subject }, { 'idempotency-key': key });
      expect(first.status).toBe(201);
      const retry = await ticking('POST', '/cases', { subject }, { 'idempotency-key': key });
      expect(retry.status).toBe(201);
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      expect(retry.body).toEqual(first.body);
    });

    it('answers ten concurrent retries of one opening with one opening and nine replays of it', async () => {
      const key = randomUUID();
      const before = await ledgerItemCount(db);
      const answers = await Promise.all(
        Array.from({ length: 10 }, () =>
          ticking('POST', '/cases', { subject, events: [visit()] }, { 'idempotency-key': key }),
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
      const first = await ticking(
        'POST',
        '/cases',
        { subject, occurredAt: '2025-07-01' },
        { 'idempotency-key': key },
      );
      expect(first.status).toBe(201);
      const changed = await ticking(
        'POST',
        '/cases',
        { subject, occurredAt: '2025-07-02' },
        { 'idempotency-key': key },
      );
      expectProblem(changed, 409, 'event-id-conflict');
    });
  });

  it('opens one case for a retried request with the same Idempotency-Key', async () => {
    const key = randomUUID();
    const first = await call('POST', '/cases', { subject }, { 'idempotency-key': key });
    const retry = await call('POST', '/cases', { subject }, { 'idempotency-key': key });
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body).toEqual(first.body);
  });
});

describe('POST /cases/{caseId}/events', () => {
  it('appends events atomically and answers with the new version and the stored events', async () => {
    const caseId = await openCase();
    const answer = await call('POST', `/cases/${caseId}/events`, {
      events: [withoutId(detained()), visit()],
    });
    expect(answer.status).toBe(201);
    expect(answer.body.version).toBe(3);
    expect(answer.body.events.map((e: { version: number }) => e.version)).toEqual([2, 3]);
    expect(answer.headers.get('etag')).toBe('"3"');
  });

  it('appends with If-Match at the current version and answers 412 when the case has moved', async () => {
    const caseId = await openCase();
    const ok = await call('POST', `/cases/${caseId}/events`, { events: [visit()] }, { 'if-match': '"1"' });
    expect(ok.status).toBe(201);
    const before = await ledgerItemCount(db);
    const stale = await call('POST', `/cases/${caseId}/events`, { events: [visit()] }, { 'if-match': '"1"' });
    expectProblem(stale, 412, 'version-conflict');
    expect(await ledgerItemCount(db)).toBe(before);
  });

  it('stores a retried append once, with the same answer, by event id or by Idempotency-Key', async () => {
    const caseId = await openCase();
    const event = consularVisit('2025-07-03');
    const byId = await call('POST', `/cases/${caseId}/events`, { events: [event] });
    const byIdAgain = await call('POST', `/cases/${caseId}/events`, { events: [event] });
    expect(byIdAgain.body).toEqual(byId.body);
    const headers = { 'idempotency-key': 'retry-me-1' };
    const byKey = await call('POST', `/cases/${caseId}/events`, { events: [visit()] }, headers);
    const byKeyAgain = await call('POST', `/cases/${caseId}/events`, { events: [visit()] }, headers);
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
    const answer = await call('POST', `/cases/${caseId}/events`, { events: [withoutId(detained())] });
    heldEventId = answer.body.events[0].eventId;
  });

  const otherCaseEvent = async () => {
    const other = await openCase();
    const answer = await call('POST', `/cases/${other}/events`, { events: [visit()] });
    return answer.body.events[0].eventId as string;
  };

  const cases: {
    name: string;
    request: () => Promise<ApiAnswer>;
    status: number;
    type: string;
    path?: string;
  }[] = [
    {
      name: 'an unknown event type',
      request: () => call('POST', `/cases/${caseId}/events`, { events: [{ ...visit(), type: 'Abducted' }] }),
      status: 400,
      type: 'validation-failed',
      path: 'events.0.type',
    },
    {
      name: 'missing sources',
      request: () =>
        call('POST', `/cases/${caseId}/events`, { events: [{ ...visit(), sources: undefined }] }),
      status: 400,
      type: 'validation-failed',
      path: 'events.0.sources',
    },
    {
      name: 'an empty list of sources',
      request: () => call('POST', `/cases/${caseId}/events`, { events: [{ ...visit(), sources: [] }] }),
      status: 400,
      type: 'validation-failed',
      path: 'events.0.sources',
    },
    {
      name: 'a malformed date',
      request: () =>
        call('POST', `/cases/${caseId}/events`, { events: [{ ...visit(), occurredAt: '30/06/2025' }] }),
      status: 400,
      type: 'validation-failed',
      path: 'events.0.occurredAt',
    },
    {
      name: 'a date that does not exist',
      request: () =>
        call('POST', `/cases/${caseId}/events`, { events: [{ ...visit(), occurredAt: '2025-02-29' }] }),
      status: 400,
      type: 'validation-failed',
      path: 'events.0.occurredAt',
    },
    {
      name: 'an event dated in the future',
      request: () =>
        call('POST', `/cases/${caseId}/events`, { events: [{ ...visit(), occurredAt: '2026-11-25' }] }),
      status: 400,
      type: 'validation-failed',
      path: 'events.0.occurredAt',
    },
    {
      name: 'a Retracted naming an event that is not in the stream',
      request: () =>
        call('POST', `/cases/${caseId}/events`, {
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
        call('POST', `/cases/${caseId}/events`, {
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
        call('POST', `/cases/${caseId}/events`, {
          events: [{ ...visit(), note: 'x'.repeat(MAX_BODY_BYTES) }],
        }),
      status: 413,
      type: 'http-413',
    },
    {
      name: 'malformed JSON',
      request: () =>
        call('POST', `/cases/${caseId}/events`, '{"events": [', { 'content-type': 'application/json' }),
      status: 400,
      type: 'http-400',
    },
    {
      name: 'a body that is not JSON',
      request: () => call('POST', `/cases/${caseId}/events`, 'events=1', { 'content-type': 'text/plain' }),
      status: 415,
      type: 'http-415',
    },
    {
      name: 'no body at all',
      request: () => call('POST', `/cases/${caseId}/events`),
      status: 400,
      type: 'validation-failed',
    },
    {
      name: 'an empty events list',
      request: () => call('POST', `/cases/${caseId}/events`, { events: [] }),
      status: 400,
      type: 'validation-failed',
      path: 'events',
    },
    {
      name: `more than ${MAX_EVENTS_PER_APPEND} events`,
      request: () =>
        call('POST', `/cases/${caseId}/events`, {
          events: Array.from({ length: MAX_EVENTS_PER_APPEND + 1 }, visit),
        }),
      status: 400,
      type: 'validation-failed',
      path: 'events',
    },
    {
      name: 'one bad event among good ones (all or nothing)',
      request: () =>
        call('POST', `/cases/${caseId}/events`, {
          events: [visit(), { ...visit(), occurredAt: 'soon' }, visit()],
        }),
      status: 400,
      type: 'validation-failed',
      path: 'events.1.occurredAt',
    },
    {
      name: 'an unknown case',
      request: () => call('POST', '/cases/case-that-does-not-exist/events', { events: [visit()] }),
      status: 404,
      type: 'case-not-found',
    },
    {
      name: 'a case id that is not an identifier',
      request: () => call('POST', '/cases/%23event-id%23x/events', { events: [visit()] }),
      status: 400,
      type: 'validation-failed',
      path: 'caseId',
    },
    {
      name: 'an unknown field in an event',
      request: () =>
        call('POST', `/cases/${caseId}/events`, { events: [{ ...visit(), recordedBy: 'someone-else' }] }),
      status: 400,
      type: 'validation-failed',
      path: 'events.0',
    },
    {
      name: 'a __proto__ key',
      request: () =>
        call(
          'POST',
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
        call(
          'POST',
          `/cases/${caseId}/events`,
          `{"events":[${JSON.stringify(visit()).replace('"data":{', '"data":{"constructor":{"prototype":1},')}]}`,
        ),
      status: 400,
      type: 'validation-failed',
      path: 'events.0.data.constructor',
    },
    {
      name: 'a body nested deeper than any request needs',
      request: () =>
        call('POST', `/cases/${caseId}/events`, `{"events":${'['.repeat(5000)}${']'.repeat(5000)}}`),
      status: 400,
      type: 'validation-failed',
      path: 'events.0.0.0.0.0.0.0.0.0.0.0',
    },
    {
      name: 'a list longer than any request needs',
      request: () =>
        call('POST', `/cases/${caseId}/events`, { events: Array.from({ length: 1001 }, () => 0) }),
      status: 400,
      type: 'validation-failed',
      path: 'events',
    },
    {
      name: 'an object with more fields than any request needs',
      request: () =>
        call('POST', `/cases/${caseId}/events`, {
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
      request: () => call('POST', `/cases/${caseId}/events`, { events: [visit()] }, { 'if-match': 'latest' }),
      status: 400,
      type: 'validation-failed',
      path: 'if-match',
    },
    {
      name: 'a second CaseOpened',
      request: () =>
        call('POST', `/cases/${caseId}/events`, {
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
      request: () =>
        call('POST', `/cases/${caseId}/events`, { events: [{ ...visit(), eventId: heldEventId }] }),
      status: 409,
      type: 'event-id-conflict',
    },
    {
      name: 'a case opened with an invalid subject',
      request: () => call('POST', '/cases', { subject: { name: '' } }),
      status: 400,
      type: 'validation-failed',
      path: 'subject.name',
    },
    {
      name: 'a case opened with a body that is an array',
      request: () => call('POST', '/cases', [subject]),
      status: 400,
      type: 'validation-failed',
    },
  ];

  for (const { name, request, status, type, path } of cases) {
    it(`answers ${status} to ${name}`, async () => {
      const before = await ledgerItemCount(db);
      const answer = await request();
      const afterOwnSetup = await ledgerItemCount(db);
      expectProblem(answer, status, type);
      if (path !== undefined) {
        expect(answer.body.errors.map((e: { path: string }) => e.path)).toContain(path);
      }
      // Only the setup of the "another case" scenario may have added items, never the refused request itself.
      expect(afterOwnSetup - before).toBe(name.includes('another case') ? 4 : 0);
    });
  }
});

describe('an append is all or nothing', () => {
  it('records none of the events of a request when one breaks a rule', async () => {
    const caseId = await openCase();
    const answer = await call('POST', `/cases/${caseId}/events`, {
      events: [
        visit(),
        withoutId(released('2025-09-01')),
        {
          type: 'Retracted',
          occurredAt: '2025-09-02',
          sources: inventedSource,
          data: { eventId: randomUUID(), reason: 'x' },
        },
      ],
    });
    expect(answer.status).toBe(422);
    expect((await services.ledger.readStream(caseId)).map((e) => e.type)).toEqual(['CaseOpened']);
  });
});
