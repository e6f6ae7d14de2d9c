import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { verifyChain } from '../../domain/hash-chain.ts';
import type { StoredEvent } from '../../domain/stored-event.ts';
import { createServices, type Services } from '../../functions/services.ts';
import { ensureTables } from '../../functions/tables/ensure-tables.ts';
import { subjectIn as subjectOf } from '../support/answered-events.ts';
import { answered, jsonAt, ledgerItemCount, rawRequest, typedClient } from '../support/api-client.ts';
import { projectCases } from '../support/project-cases.ts';
import { detained, withoutId } from '../support/sample-events.ts';
import { servicesOn } from '../support/test-services.ts';
import { createTestTables, type TestTables } from '../support/test-tables.ts';
import { testAuth, testToken } from '../support/tokens.ts';

let db: TestTables;
let services: Services;
let now = new Date('2026-03-01T12:00:00.000Z');
let client: Client;

type Client = Awaited<ReturnType<typeof typedClient>>;

/** Invented people whose every personal field is a string no other part of a test item could contain. */
const people = {
  'erase-1': {
    name: 'Zarnowetz Quillibrand',
    nationality: 'Utopia',
    birthYear: 1971,
    occupation: 'Lighthouse keeper Vexmoor',
    notes: 'Notes about Quillibrand nobody else has',
  },
  'erase-2': { name: 'Ombrevale Tessikin', nationality: 'Erewhon', occupation: 'Cartographer Plimsoll' },
};
const clearTexts = Object.values(people).flatMap((person) =>
  Object.entries(person).flatMap(([field, value]) => (field === 'nationality' ? [] : [String(value)])),
);

/** Every item of a table, as the JSON DynamoDB returns it: what someone with a copy of the table would read. */
async function rawItems(tableName: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, never> | undefined;
  do {
    const page = await db.clients.client.send(
      new ScanCommand({ TableName: tableName, ExclusiveStartKey: start }),
    );
    items.push(...((page.Items ?? []) as Record<string, unknown>[]));
    start = page.LastEvaluatedKey as typeof start;
  } while (start);
  return items;
}

/** A case's history as `caller` is shown it, or as stored with `{ form: 'stored' }`. */
async function historyOf(caseId: string, query: { form?: 'stored' } = {}, caller = client) {
  return (await jsonAt(await caller.cases[':caseId'].events.$get({ param: { caseId }, query }), 200)).events;
}

const subjectIn = async (caseId: string, query: { form?: 'stored' } = {}, caller = client) =>
  subjectOf((await historyOf(caseId, query, caller))[0]);

const eraseAs = (caller: Client, caseId: string, json: { reason: string; eventId?: string }) =>
  answered(caller.cases[':caseId'].erase.$post({ param: { caseId }, json }));

/** The part of a sealed subject the tampering test reads. */
const sealedSubject = z.looseObject({ sealed: z.looseObject({ ciphertext: z.string() }) });

beforeAll(async () => {
  db = await createTestTables('erasure');
  services = servicesOn(db, { clock: () => now });
  client = await typedClient(services.app);
  for (const [caseId, subject] of Object.entries(people)) {
    const opened = await client.cases.$post({
      header: {},
      json: { caseId, subject, occurredAt: '2026-01-10', events: [withoutId(detained('2026-01-10'))] },
    });
    expect(opened.status).toBe(201);
  }
  await projectCases(services, ...Object.keys(people));
});
afterAll(() => db.drop());

describe('personal data at rest', () => {
  it('no item of the ledger, views or keys tables holds a name, birth year, occupation or note in clear', async () => {
    const tables = [db.tables.ledger, db.tables.views, db.tables.keys];
    const raw = JSON.stringify(await Promise.all(tables.map(rawItems)));
    expect(raw).toContain('Utopia'); // the scan did read the cases: the nationality stays in clear
    // As a token of its own: ids, hashes and ciphertexts are long runs of hex and base64url, where a short text
    // such as a birth year turns up by chance.
    for (const text of clearTexts) {
      const escaped = text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      expect(raw).not.toMatch(new RegExp(`(?<![A-Za-z0-9_-])${escaped}(?![A-Za-z0-9_-])`));
    }
    expect(raw).not.toContain('birthYear');
  });

  it('shows the subject in clear to a pii reader, and the sealed form under ?form=stored', async () => {
    expect(await subjectIn('erase-1')).toEqual(people['erase-1']);
    expect(await subjectIn('erase-1', { form: 'stored' })).toEqual({
      nationality: 'Utopia',
      sealed: { alg: 'A256GCM', iv: expect.any(String), ciphertext: expect.any(String) },
    });
  });
});

describe('POST /cases/{caseId}/erase', () => {
  it('refuses bad requests with a 4xx and changes nothing', async () => {
    const before = await ledgerItemCount(db);
    const bad: Array<[unknown, number]> = [
      [{}, 400],
      [{ reason: '' }, 400],
      [{ reason: 'x'.repeat(2001) }, 400],
      [{ reason: 'ok', extra: true }, 400],
      [{ reason: 'ok', eventId: 'not-a-uuid' }, 400],
      [{ reason: ['ok'] }, 400],
      ['{"reason": "unterminated', 400],
      ['{"reason":"ok","__proto__":{"admin":true}}', 400],
    ];
    // Bodies the request type forbids go out raw, as a hostile client sends them.
    for (const [body, status] of bad) {
      const answer = await rawRequest(services.app, '/cases/erase-1/erase', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      expect(answer.status, JSON.stringify(body)).toBe(status);
      expect(answer.headers.get('content-type')).toBe('application/problem+json');
    }
    expect((await eraseAs(client, 'no-such-case', { reason: 'ok' })).status).toBe(404);
    // A case id that is a table key of another kind, escaped in the path: the typed client would not escape it.
    const reserved = await rawRequest(services.app, '/cases/%23digest/erase', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'ok' }),
    });
    expect(reserved.status).toBe(400);
    const recorder = await typedClient(services.app, await testToken(['recorder', 'auditor'], { pii: true }));
    expect((await eraseAs(recorder, 'erase-1', { reason: 'ok' })).status).toBe(403);
    expect(await ledgerItemCount(db)).toBe(before);
    expect(await subjectIn('erase-1')).toEqual(people['erase-1']);
  });

  it('erases the person and keeps the record: verify, proofs, views, summaries, alerts and exports', async () => {
    // A copy of the ledger taken before the erasure, as a backup would be.
    const backup = await rawItems(db.tables.ledger);
    now = new Date('2026-03-01T12:05:00.000Z');
    const digestAnswer = await client.ledger.digest.$post();
    expect(digestAnswer.status).toBe(201);
    const digestBefore = await jsonAt(digestAnswer, 201);
    const storedBefore = await historyOf('erase-1', { form: 'stored' });

    now = new Date('2026-03-02T09:00:00.000Z');
    const admin = await typedClient(services.app, await testToken(['admin'], { subject: 'admin-erin' }));
    const erased = await eraseAs(admin, 'erase-1', { reason: 'Request of the person (invented)' });
    expect(erased.status).toBe(200);
    expect(erased.body).toMatchObject({
      caseId: 'erase-1',
      version: 3,
      event: {
        type: 'Erased',
        recordedBy: 'admin-erin',
        data: { reason: 'Request of the person (invented)' },
      },
    });
    await projectCases(services, 'erase-1');

    const shown = { name: '[erased]', nationality: 'Utopia' };
    expect(await subjectIn('erase-1')).toEqual(shown);
    const ndjson = await (
      await client.cases[':caseId']['events.ndjson'].$get({ param: { caseId: 'erase-1' }, query: {} })
    ).text();
    expect(subjectOf(JSON.parse(ndjson.split('\n')[0]!))).toEqual(shown);
    const audit = await jsonAt(
      await client.audit.$get({ query: { from: '2026-03-01', to: '2026-03-01' } }),
      200,
    );
    expect(subjectOf(audit.events.find((e) => e.streamId === 'erase-1'))).toEqual(shown);
    // Viewers never saw the person; they still see the same pseudonym.
    const viewer = await typedClient(services.app, await testToken(['auditor']));
    expect(await subjectIn('erase-1', {}, viewer)).toMatchObject({
      pseudonym: expect.stringMatching(/^person-[0-9a-f]{12}$/),
      nationality: 'Utopia',
    });

    // The stored events are byte for byte what they were, plus the Erased event: the chain holds.
    const storedAfter = await historyOf('erase-1', { form: 'stored' });
    expect(storedAfter.slice(0, 2)).toEqual(storedBefore);
    // The stored form is the stored events, as the chain is checked over them.
    expect(verifyChain(storedAfter as unknown as StoredEvent[]).ok).toBe(true);
    const param = { caseId: 'erase-1' };
    expect(await jsonAt(await client.cases[':caseId'].verify.$get({ param }), 200)).toMatchObject({
      ok: true,
      events: 3,
    });
    const proof = await client.cases[':caseId'].proof.$get({
      param,
      query: { digest: String(digestBefore.sequence) },
    });
    expect(proof.status).toBe(200);
    expect((await jsonAt(proof, 200)).current).toMatchObject({ chainHolds: true });

    // Status, counts and alerts do not need the person.
    expect(
      await jsonAt(await client.cases[':caseId'].$get({ param, query: {}, header: {} }), 200),
    ).toMatchObject({ status: 'detained', version: 3 });
    const summary = await jsonAt(await client.summary.$get({ query: {} }), 200);
    expect(summary.byNationality).toMatchObject({ Utopia: 1, Erewhon: 1 });
    const { alerts } = await jsonAt(await client.alerts.$get({ query: { consularVisitDays: '30' } }), 200);
    expect(alerts.map((alert) => alert.caseId)).toContain('erase-1');

    // A backup restored from before the erasure is no way back: its subjects need the destroyed key.
    const restored = { ...db.tables, ledger: `${db.tables.ledger}-restored` };
    await ensureTables(db.clients.client, restored);
    for (let start = 0; start < backup.length; start += 25) {
      await db.clients.documents.send(
        new BatchWriteCommand({
          RequestItems: {
            [restored.ledger]: backup.slice(start, start + 25).map((item) => ({
              PutRequest: { Item: unmarshall(item as never) },
            })),
          },
        }),
      );
    }
    const fromBackup = createServices({
      auth: testAuth,
      clients: db.clients,
      tables: restored,
      keyWrapper: db.keyWrapper,
    });
    const backupClient = await typedClient(fromBackup.app);
    expect(await subjectIn('erase-1', {}, backupClient)).toEqual(shown);
    expect(await subjectIn('erase-2', {}, backupClient)).toEqual(people['erase-2']);

    // The other case keeps its person.
    expect(await subjectIn('erase-2')).toEqual(people['erase-2']);
  });

  it('answers a retry with the same event id with the same erasure, and a second erasure with 409', async () => {
    const admin = await typedClient(services.app, await testToken(['admin']));
    const eventId = '6f1c2b9e-1d7a-4f3e-8a55-0c2d9b7e4a10';
    const first = await eraseAs(admin, 'erase-2', { reason: 'Court order (invented)', eventId });
    expect(first.status).toBe(200);
    const count = await ledgerItemCount(db);
    const retry = await eraseAs(admin, 'erase-2', { reason: 'Court order (invented)', eventId });
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(first.body);
    const again = await eraseAs(admin, 'erase-2', { reason: 'Once more' });
    expect(again.status).toBe(409);
    expect(again.status === 409 && again.body.type).toBe('urn:problem:detention-ledger:case-erased');
    const misused = await eraseAs(admin, 'erase-1', { reason: 'Court order (invented)', eventId });
    expect(misused.status).toBe(409);
    expect(await ledgerItemCount(db)).toBe(count);
  });

  it('refuses the retry of an erased case’s opening instead of recording it again', async () => {
    const opening = (await historyOf('erase-2', { form: 'stored' }))[0];
    const retry = await client.cases.$post({
      header: {},
      json: {
        caseId: 'erase-2',
        subject: people['erase-2'],
        eventId: `${opening?.eventId}`,
        occurredAt: '2026-01-10',
        events: [],
      },
    });
    expect(retry.status).toBe(409);
  });

  it('shows [unreadable] for a sealed subject altered behind the ledger, and verify names the event', async () => {
    const opened = await client.cases.$post({
      header: {},
      json: { caseId: 'erase-3', subject: { name: 'Test Person Altered' } },
    });
    expect(opened.status).toBe(201);
    const { sealed } = sealedSubject.parse(await subjectIn('erase-3', { form: 'stored' }));
    const bytes = Buffer.from(sealed.ciphertext, 'base64url');
    bytes[3] = bytes[3]! ^ 0xff;
    await db.clients.documents.send(
      new UpdateCommand({
        TableName: db.tables.ledger,
        Key: { streamId: 'erase-3', version: 1 },
        UpdateExpression: 'SET #d.#s.#b.#c = :c',
        ExpressionAttributeNames: { '#d': 'data', '#s': 'subject', '#b': 'sealed', '#c': 'ciphertext' },
        ExpressionAttributeValues: { ':c': bytes.toString('base64url') },
      }),
    );
    expect(await subjectIn('erase-3')).toEqual({ name: '[unreadable]' });
    const verified = await client.cases[':caseId'].verify.$get({ param: { caseId: 'erase-3' } });
    expect(await jsonAt(verified, 200)).toMatchObject({ ok: false, brokenAt: 1 });
  });
});
