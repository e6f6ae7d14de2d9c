import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Services } from '../../functions/services.ts';
import { createDynamoDBStreamsClient } from '../../local/dynamodb-streams-client.ts';
import { type StreamPoller, startStreamPoller } from '../../local/stream-poller.ts';
import { answered, jsonAt, ledgerItemCount, rawRequest, typedClient } from '../support/api-client.ts';
import { checkInclusion, rootOf } from '../support/rfc6962-verifier.ts';
import { consularVisit, detained, withoutId } from '../support/sample-events.ts';
import { servicesOn } from '../support/test-services.ts';
import { createTestTables, type TestTables } from '../support/test-tables.ts';

let db: TestTables;
let services: Services;
let poller: StreamPoller;
let client: Awaited<ReturnType<typeof typedClient>>;
let now = new Date('2025-07-01T08:00:00.000Z');

beforeAll(async () => {
  db = await createTestTables('audit-proof');
  services = servicesOn(db, { clock: () => now });
  client = await typedClient(services.app);
  poller = await startStreamPoller({
    client: db.clients.client,
    streamsClient: createDynamoDBStreamsClient({ endpoint: db.endpoint }),
    tableName: db.tables.ledger,
    idleDelayMs: 20,
    handler: services.projector,
  });
});
afterAll(async () => {
  await poller.stop();
  await db.drop();
});

const verifyOf = (caseId: string) => client.cases[':caseId'].verify.$get({ param: { caseId } });
const verified = async (caseId: string) => jsonAt(await verifyOf(caseId), 200);
const proofOf = async (caseId: string, sequence: number) =>
  jsonAt(
    await client.cases[':caseId'].proof.$get({ param: { caseId }, query: { digest: String(sequence) } }),
    200,
  );
const alertsOfGroup = async () =>
  (await jsonAt(await client.alerts.$get({ query: { groupId: 'g-audit' } }), 200)).alerts;
const auditPage = (query: { from: string; to?: string; limit?: string; cursor?: string }) =>
  answered(client.audit.$get({ query }));

/** Every case this file opens, so expectations never depend on how far the projector has got. */
const openedCases: string[] = [];

/** Opens a case with a detention and `visits` consular visits, each a separate append. */
async function caseWith(caseId: string, visits: number) {
  openedCases.push(caseId);
  const opened = await answered(
    client.cases.$post({
      header: {},
      json: {
        caseId,
        subject: { name: `Test Person ${caseId}`, nationality: 'Utopia' },
        groupId: 'g-audit',
        events: [withoutId(detained('2025-06-30'))],
      },
    }),
  );
  expect(opened.status, JSON.stringify(opened.body)).toBe(201);
  for (let i = 0; i < visits; i++) {
    const answer = await client.cases[':caseId'].events.$post({
      param: { caseId },
      header: {},
      json: { events: [withoutId(consularVisit(`2025-06-${String(i + 1).padStart(2, '0')}`))] },
    });
    expect(answer.status).toBe(201);
  }
}

const itemKey = (caseId: string, version: number) => ({ streamId: caseId, version });

async function itemOf(caseId: string, version: number) {
  const { Item } = await db.clients.documents.send(
    new GetCommand({ TableName: db.tables.ledger, Key: itemKey(caseId, version) }),
  );
  return Item!;
}

/** Overwrites an item behind the application's back, as someone with table access could. */
async function overwrite(item: Record<string, unknown>) {
  await db.clients.documents.send(new PutCommand({ TableName: db.tables.ledger, Item: item }));
}

describe('GET /audit', () => {
  const recorded: Array<{ caseId: string; version: number; recordedAt: string }> = [];

  beforeAll(async () => {
    // Twelve cases over three days, several appends per case, some at the same millisecond.
    const moments = [
      '2025-07-01T08:00:00.000Z',
      '2025-07-01T23:59:59.999Z',
      '2025-07-02T00:00:00.000Z',
      '2025-07-03T12:00:00.000Z',
    ];
    for (let i = 0; i < 12; i++) {
      now = new Date(moments[i % moments.length]!);
      await caseWith(`audit-${String(i).padStart(2, '0')}`, i % 3);
    }
    for (let i = 0; i < 12; i++) {
      const caseId = `audit-${String(i).padStart(2, '0')}`;
      const history = await client.cases[':caseId'].events.$get({
        param: { caseId },
        query: { limit: '1000' },
      });
      const { events } = await jsonAt(history, 200);
      for (const event of events)
        recorded.push({ caseId: event.streamId, version: event.version, recordedAt: event.recordedAt });
    }
    recorded.sort(
      (a, b) =>
        a.recordedAt.localeCompare(b.recordedAt) ||
        (a.caseId < b.caseId ? -1 : a.caseId > b.caseId ? 1 : 0) ||
        a.version - b.version,
    );
    now = new Date('2025-07-10T00:00:00.000Z');
  });

  async function pageThrough(query: { from: string; to?: string }, limit: number) {
    const seen: Array<{ caseId: string; version: number; recordedAt: string }> = [];
    let cursor: string | undefined;
    do {
      const answer = await auditPage({ ...query, limit: String(limit), ...(cursor && { cursor }) });
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      if (answer.status !== 200) break;
      expect(answer.body.events.length).toBeLessThanOrEqual(limit);
      for (const event of answer.body.events)
        seen.push({ caseId: event.streamId, version: event.version, recordedAt: event.recordedAt });
      cursor = answer.body.nextCursor;
    } while (cursor);
    return seen;
  }

  it('lists every event recorded in the range across all cases, in recorded order, page by page', async () => {
    for (const limit of [1, 5, 100]) {
      expect(await pageThrough({ from: '2025-07-01', to: '2025-07-03' }, limit)).toEqual(recorded);
    }
  });

  it('takes a day as its start in from and its end in to, and an instant exactly', async () => {
    const firstDay = recorded.filter((event) => event.recordedAt.startsWith('2025-07-01'));
    expect(await pageThrough({ from: '2025-07-01', to: '2025-07-01' }, 7)).toEqual(firstDay);
    const lastMoment = recorded.filter((event) => event.recordedAt === '2025-07-01T23:59:59.999Z');
    expect(lastMoment.length).toBeGreaterThan(0);
    expect(
      await pageThrough({ from: '2025-07-01T23:59:59.999Z', to: '2025-07-01T23:59:59.999Z' }, 3),
    ).toEqual(lastMoment);
    expect(await pageThrough({ from: '2025-07-04', to: '2025-07-09' }, 10)).toEqual([]);
  });

  it('pages without to: the range ends where the first page resolved it, though time moves on', async () => {
    // The clock stands on 2025-07-10; the first page fixes the end of the range there.
    const seen: Array<{ caseId: string; version: number; recordedAt: string }> = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const answer = await auditPage({ from: '2025-07-01', limit: '4', ...(cursor && { cursor }) });
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      if (answer.status !== 200) break;
      for (const event of answer.body.events)
        seen.push({ caseId: event.streamId, version: event.version, recordedAt: event.recordedAt });
      cursor = answer.body.nextCursor;
      pages++;
      if (pages === 1) {
        // An event recorded after the first page is outside its range, and later pages never show it.
        now = new Date('2025-07-11T00:00:00.000Z');
        await caseWith('audit-after-first-page', 0);
      }
    } while (cursor);
    now = new Date('2025-07-10T00:00:00.000Z');
    expect(pages).toBeGreaterThan(2);
    expect(seen).toEqual(recorded);
  });

  it('refuses a reversed or too long range, a missing from, and a cursor of another range', async () => {
    const first = await auditPage({ from: '2025-07-01', to: '2025-07-03', limit: '1' });
    const cursor = first.status === 200 ? first.body.nextCursor : undefined;
    for (const path of [
      '/audit?from=2025-07-03&to=2025-07-01',
      '/audit?from=2024-01-01&to=2025-07-01',
      '/audit',
      '/audit?from=soon',
      '/audit?from=2025-07-01&limit=0',
      '/audit?from=2025-07-01&limit=5000',
      `/audit?from=2025-07-02&to=2025-07-03&cursor=${cursor}`,
    ]) {
      // As written: some of these are queries the request types would not let through.
      const answer = await rawRequest(services.app, path);
      expect(answer.status, path).toBe(400);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
    }
  });
});

describe('GET /cases/{caseId}/verify, against items altered behind the API', () => {
  it('holds for an untouched case', async () => {
    await caseWith('intact', 3);
    const answer = await verifyOf('intact');
    expect(answer.status).toBe(200);
    expect(await jsonAt(answer, 200)).toEqual({
      ok: true,
      events: 5,
      headHash: (await itemOf('intact', 5)).hash,
    });
  });

  const fields: Array<[string, (item: Record<string, unknown>) => Record<string, unknown>]> = [
    ['eventId', (item) => ({ ...item, eventId: '00000000-0000-4000-8000-000000000000' })],
    ['type', (item) => ({ ...item, type: 'FamilyContact' })],
    ['occurredAt', (item) => ({ ...item, occurredAt: '2025-06-02' })],
    ['sources', (item) => ({ ...item, sources: [{ title: 'Forged source' }] })],
    ['note', (item) => ({ ...item, note: 'added later' })],
    ['data', (item) => ({ ...item, data: { by: 'Someone else' } })],
    ['recordedAt', (item) => ({ ...item, recordedAt: '2025-01-01T00:00:00.000Z' })],
    ['recordedBy', (item) => ({ ...item, recordedBy: 'someone-else' })],
    ['prevHash', (item) => ({ ...item, prevHash: 'f'.repeat(64) })],
    ['hash', (item) => ({ ...item, hash: 'e'.repeat(64) })],
  ];

  it.each(fields)('shows a changed %s as broken at that version', async (field, change) => {
    const caseId = `tamper-${field.toLowerCase()}`;
    await caseWith(caseId, 3);
    await overwrite(change(await itemOf(caseId, 3)));
    expect(await verified(caseId)).toMatchObject({ ok: false, brokenAt: 3, events: 5 });
  });

  it('shows a deleted event as broken at the version that is missing', async () => {
    await caseWith('tamper-deleted', 3);
    await db.clients.documents.send(
      new DeleteCommand({ TableName: db.tables.ledger, Key: itemKey('tamper-deleted', 4) }),
    );
    expect(await verified('tamper-deleted')).toMatchObject({
      ok: false,
      brokenAt: 4,
    });
    await db.clients.documents.send(
      new DeleteCommand({ TableName: db.tables.ledger, Key: itemKey('tamper-deleted', 5) }),
    );
    // With the head gone too, what is left is a shorter chain that holds: only a digest can tell (below).
    expect(await verified('tamper-deleted')).toMatchObject({ ok: true, events: 3 });
  });

  it('shows a swapped pair as broken at the first of the two', async () => {
    await caseWith('tamper-swapped', 3);
    const [third, fourth] = [await itemOf('tamper-swapped', 3), await itemOf('tamper-swapped', 4)];
    await overwrite({ ...fourth, version: 3 });
    await overwrite({ ...third, version: 4 });
    expect(await verified('tamper-swapped')).toMatchObject({
      ok: false,
      brokenAt: 3,
    });
  });

  it('answers 404 for an unknown case and 400 for a malformed id', async () => {
    expect((await verifyOf('nobody-here')).status).toBe(404);
    // Escaped in the path as a client must send it; the typed client does not escape path parameters.
    expect((await rawRequest(services.app, '/cases/%23event-id%23x/verify')).status).toBe(400);
  });
});

describe('digests, proofs and tamper alerts', () => {
  const caseIds = ['proof-a', 'proof-b', 'proof-c', 'proof-d', 'proof-e'];
  const takeDigest = async () => jsonAt(await client.ledger.digest.$post(), 201);
  let digest: Awaited<ReturnType<typeof takeDigest>>;

  beforeAll(async () => {
    now = new Date('2025-08-01T00:00:00.000Z');
    for (const [index, caseId] of caseIds.entries()) await caseWith(caseId, index);
    now = new Date('2025-08-02T00:00:00.000Z');
    const taken = await client.ledger.digest.$post();
    expect(taken.status).toBe(201);
    digest = await jsonAt(taken, 201);
  });

  it('commits to the head of every case recorded by its moment, with the counts', async () => {
    expect(digest.at).toBe(new Date(now.getTime() - 10_000).toISOString());
    const heads = [];
    let events = 0;
    const allCases = (await jsonAt(await client.cases.$get({ query: { limit: '100' } }), 200)).cases.map(
      (c) => c.caseId,
    );
    for (const caseId of new Set([...allCases, ...caseIds])) {
      const answer = await client.cases[':caseId'].events.$get({
        param: { caseId },
        query: { limit: '1000' },
      });
      if (answer.status !== 200) continue;
      const history = (await jsonAt(answer, 200)).events;
      const known = history.filter((event) => event.recordedAt <= digest.at);
      const head = known.at(-1);
      if (head === undefined) continue;
      heads.push({ caseId, version: head.version, hash: head.hash });
      events += head.version;
    }
    expect(digest.cases).toBe(heads.length);
    expect(digest.events).toBe(events);
    expect(digest.root).toBe(rootOf(heads));
    expect(await jsonAt(await client.ledger.digest.$get({ query: {} }), 200)).toEqual(digest);
    expect(
      await jsonAt(await client.ledger.digest.$get({ query: { sequence: String(digest.sequence) } }), 200),
    ).toEqual(digest);
  });

  it('gives proofs that an independent verifier accepts, and that fail when any part is altered', async () => {
    for (const caseId of caseIds) {
      const proof = await proofOf(caseId, digest.sequence);
      const claim = { ...proof, root: digest.root };
      expect(checkInclusion(claim), caseId).toBe(true);
      expect(proof.current).toEqual({ hash: proof.leaf.hash, chainHolds: true, matches: true });
      expect(checkInclusion({ ...claim, leaf: { ...proof.leaf, version: proof.leaf.version + 1 } })).toBe(
        false,
      );
      if (proof.path.length > 0) {
        expect(checkInclusion({ ...claim, path: [...proof.path.slice(1), proof.path[0]!].reverse() })).toBe(
          proof.path.length === 1 && false,
        );
      }
      expect(checkInclusion({ ...claim, leafIndex: (proof.leafIndex + 1) % proof.treeSize })).toBe(
        proof.treeSize === 1,
      );
    }
  });

  it("accepts every proof with the API document's own verification code, run as a reader would copy it", async () => {
    const apiDoc = readFileSync(new URL('../../docs/api.md', import.meta.url), 'utf8');
    const code = /Checking a proof yourself[\s\S]*?```js\n([\s\S]*?)```/.exec(apiDoc)?.[1];
    expect(code).toBeDefined();
    const file = join(mkdtempSync(join(tmpdir(), 'readme-proof-')), 'check-proof.mjs');
    writeFileSync(file, `${code}\nexport { checkProof };\n`);
    const { checkProof } = await import(pathToFileURL(file).href);
    for (const caseId of caseIds) {
      const proof = await proofOf(caseId, digest.sequence);
      expect(checkProof(proof, digest.root), caseId).toBe(true);
      expect(checkProof(proof, 'f'.repeat(64)), caseId).toBe(false);
    }
  });

  it('chains each digest to the one before', async () => {
    now = new Date('2025-08-03T00:00:00.000Z');
    const next = await takeDigest();
    expect(next.sequence).toBe(digest.sequence + 1);
    expect(next.prevDigestHash).toBe(digest.hash);
    expect(next.root).toBe(digest.root); // nothing was recorded in between
  });

  it('catches a head altered after the digest: verify, the proof and a ledger_tampered alert', async () => {
    // proof-c holds its opening, a detention and two visits: version 4 is its head.
    const head = await itemOf('proof-c', 4);
    await overwrite({ ...head, data: { by: 'A forged consul' } });
    const verify = await verified('proof-c');
    expect(verify).toMatchObject({ ok: false, brokenAt: 4 });
    const proof = await proofOf('proof-c', digest.sequence);
    // The proof still shows what the digest committed to; the ledger no longer holds it.
    expect(checkInclusion({ ...proof, root: digest.root })).toBe(true);
    expect(proof.current).toEqual({ hash: head.hash, chainHolds: false, matches: false });
    await poller.idle();
    const alerts = await alertsOfGroup();
    expect(alerts).toContainEqual(
      expect.objectContaining({ caseId: 'proof-c', kind: 'ledger_tampered', version: 4, change: 'modified' }),
    );
    // Tampering comes before every other kind; the cases altered in the verify tests above are there too.
    const kinds = alerts.map((alert) => alert.kind);
    expect(kinds.lastIndexOf('ledger_tampered')).toBeLessThan(
      kinds.findIndex((kind) => kind !== 'ledger_tampered'),
    );
    expect(alerts.filter((alert) => alert.kind === 'ledger_tampered').map((a) => a.caseId)).toEqual(
      expect.arrayContaining(['tamper-data', 'tamper-hash', 'tamper-deleted', 'tamper-swapped', 'proof-c']),
    );
  });

  it('catches a deleted head through the proof: the version the digest holds is gone', async () => {
    // proof-e holds its opening, a detention and four visits: version 6 is its head.
    await db.clients.documents.send(
      new DeleteCommand({ TableName: db.tables.ledger, Key: itemKey('proof-e', 6) }),
    );
    const proof = await proofOf('proof-e', digest.sequence);
    expect(proof.leaf.version).toBe(6);
    expect(proof.current).toEqual({ hash: null, chainHolds: false, matches: false });
    await poller.idle();
    const alerts = await alertsOfGroup();
    expect(alerts).toContainEqual(
      expect.objectContaining({ caseId: 'proof-e', kind: 'ledger_tampered', change: 'removed' }),
    );
  });

  it('answers a missing digest or a case outside it with 404, and a malformed one with 400, writing nothing', async () => {
    const before = await ledgerItemCount(db);
    const proofAnswer = (caseId: string, sequence: number) =>
      client.cases[':caseId'].proof.$get({ param: { caseId }, query: { digest: String(sequence) } });
    expect((await proofAnswer('proof-a', 999)).status).toBe(404);
    now = new Date('2025-09-01T00:00:00.000Z');
    await caseWith('opened-later', 0);
    const outside = await proofAnswer('opened-later', digest.sequence);
    expect(outside.status).toBe(404);
    expect((await jsonAt(outside, 404)).type).toContain('case-in-digest-not-found');
    for (const path of [
      '/cases/proof-a/proof',
      '/cases/proof-a/proof?digest=first',
      '/cases/proof-a/proof?digest=0',
      '/ledger/digest?sequence=-1',
    ]) {
      expect((await rawRequest(services.app, path)).status, path).toBe(400);
    }
    // Only the case opened above: two events, the guards of their ids, and the marker of their new day.
    expect(await ledgerItemCount(db)).toBe(before + 5);
  });
});
