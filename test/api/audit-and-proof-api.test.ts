import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Services } from '../../functions/services.ts';
import { createDynamoDBStreamsClient } from '../../local/dynamodb-streams-client.ts';
import { type StreamPoller, startStreamPoller } from '../../local/stream-poller.ts';
import { apiClient, ledgerItemCount } from '../support/api-client.ts';
import { checkInclusion, rootOf } from '../support/rfc6962-verifier.ts';
import { consularVisit, detained, withoutId } from '../support/sample-events.ts';
import { servicesOn } from '../support/test-services.ts';
import { createTestTables, type TestTables } from '../support/test-tables.ts';

let db: TestTables;
let services: Services;
let poller: StreamPoller;
let call: ReturnType<typeof apiClient>;
let now = new Date('2025-07-01T08:00:00.000Z');

beforeAll(async () => {
  db = await createTestTables('audit-proof');
  services = servicesOn(db, { clock: () => now });
  call = apiClient(services.app);
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

/** Every case this file opens, so expectations never depend on how far the projector has got. */
const openedCases: string[] = [];

/** Opens a case with a detention and `visits` consular visits, each a separate append. */
async function caseWith(caseId: string, visits: number) {
  openedCases.push(caseId);
  const opened = await call('POST', '/cases', {
    caseId,
    subject: { name: `Test Person ${caseId}`, nationality: 'Utopia' },
    groupId: 'g-audit',
    events: [withoutId(detained('2025-06-30'))],
  });
  expect(opened.status, JSON.stringify(opened.body)).toBe(201);
  for (let i = 0; i < visits; i++) {
    const answer = await call('POST', `/cases/${caseId}/events`, {
      events: [withoutId(consularVisit(`2025-06-${String(i + 1).padStart(2, '0')}`))],
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
      const events = (await call('GET', `/cases/audit-${String(i).padStart(2, '0')}/events?limit=1000`)).body
        .events;
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

  async function pageThrough(query: string, limit: number) {
    const seen: Array<{ caseId: string; version: number; recordedAt: string }> = [];
    let cursor: string | undefined;
    do {
      const answer = await call('GET', `/audit?${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      expect(answer.body.events.length).toBeLessThanOrEqual(limit);
      for (const event of answer.body.events)
        seen.push({ caseId: event.streamId, version: event.version, recordedAt: event.recordedAt });
      cursor = answer.body.nextCursor;
    } while (cursor);
    return seen;
  }

  it('lists every event recorded in the range across all cases, in recorded order, page by page', async () => {
    for (const limit of [1, 5, 100]) {
      expect(await pageThrough('from=2025-07-01&to=2025-07-03', limit)).toEqual(recorded);
    }
  });

  it('takes a day as its start in from and its end in to, and an instant exactly', async () => {
    const firstDay = recorded.filter((event) => event.recordedAt.startsWith('2025-07-01'));
    expect(await pageThrough('from=2025-07-01&to=2025-07-01', 7)).toEqual(firstDay);
    const lastMoment = recorded.filter((event) => event.recordedAt === '2025-07-01T23:59:59.999Z');
    expect(lastMoment.length).toBeGreaterThan(0);
    expect(await pageThrough('from=2025-07-01T23:59:59.999Z&to=2025-07-01T23:59:59.999Z', 3)).toEqual(
      lastMoment,
    );
    expect(await pageThrough('from=2025-07-04&to=2025-07-09', 10)).toEqual([]);
  });

  it('pages without to: the range ends where the first page resolved it, though time moves on', async () => {
    // The clock stands on 2025-07-10; the first page fixes the end of the range there.
    const seen: Array<{ caseId: string; version: number; recordedAt: string }> = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const answer = await call('GET', `/audit?from=2025-07-01&limit=4${cursor ? `&cursor=${cursor}` : ''}`);
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
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
    const cursor = (await call('GET', '/audit?from=2025-07-01&to=2025-07-03&limit=1')).body.nextCursor;
    for (const path of [
      '/audit?from=2025-07-03&to=2025-07-01',
      '/audit?from=2024-01-01&to=2025-07-01',
      '/audit',
      '/audit?from=soon',
      '/audit?from=2025-07-01&limit=0',
      '/audit?from=2025-07-01&limit=5000',
      `/audit?from=2025-07-02&to=2025-07-03&cursor=${cursor}`,
    ]) {
      const answer = await call('GET', path);
      expect(answer.status, path).toBe(400);
      expect(answer.contentType).toContain('application/problem+json');
    }
  });
});

describe('GET /cases/{caseId}/verify, against items altered behind the API', () => {
  it('holds for an untouched case', async () => {
    await caseWith('intact', 3);
    const answer = await call('GET', '/cases/intact/verify');
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ ok: true, events: 5, headHash: (await itemOf('intact', 5)).hash });
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
    const answer = await call('GET', `/cases/${caseId}/verify`);
    expect(answer.body).toMatchObject({ ok: false, brokenAt: 3, events: 5 });
  });

  it('shows a deleted event as broken at the version that is missing', async () => {
    await caseWith('tamper-deleted', 3);
    await db.clients.documents.send(
      new DeleteCommand({ TableName: db.tables.ledger, Key: itemKey('tamper-deleted', 4) }),
    );
    expect((await call('GET', '/cases/tamper-deleted/verify')).body).toMatchObject({
      ok: false,
      brokenAt: 4,
    });
    await db.clients.documents.send(
      new DeleteCommand({ TableName: db.tables.ledger, Key: itemKey('tamper-deleted', 5) }),
    );
    // With the head gone too, what is left is a shorter chain that holds: only a digest can tell (below).
    expect((await call('GET', '/cases/tamper-deleted/verify')).body).toMatchObject({ ok: true, events: 3 });
  });

  it('shows a swapped pair as broken at the first of the two', async () => {
    await caseWith('tamper-swapped', 3);
    const [third, fourth] = [await itemOf('tamper-swapped', 3), await itemOf('tamper-swapped', 4)];
    await overwrite({ ...fourth, version: 3 });
    await overwrite({ ...third, version: 4 });
    expect((await call('GET', '/cases/tamper-swapped/verify')).body).toMatchObject({
      ok: false,
      brokenAt: 3,
    });
  });

  it('answers 404 for an unknown case and 400 for a malformed id', async () => {
    expect((await call('GET', '/cases/nobody-here/verify')).status).toBe(404);
    expect((await call('GET', '/cases/%23event-id%23x/verify')).status).toBe(400);
  });
});

describe('digests, proofs and tamper alerts', () => {
  const caseIds = ['proof-a', 'proof-b', 'proof-c', 'proof-d', 'proof-e'];
  let digest: Record<string, unknown> & { sequence: number; root: string; cases: number; events: number };

  beforeAll(async () => {
    now = new Date('2025-08-01T00:00:00.000Z');
    for (const [index, caseId] of caseIds.entries()) await caseWith(caseId, index);
    now = new Date('2025-08-02T00:00:00.000Z');
    const taken = await call('POST', '/ledger/digest');
    expect(taken.status).toBe(201);
    digest = taken.body;
  });

  it('commits to the head of every case recorded by its moment, with the counts', async () => {
    expect(digest.at).toBe(new Date(now.getTime() - 10_000).toISOString());
    const heads = [];
    let events = 0;
    const allCases = (await call('GET', '/cases?limit=100')).body.cases.map(
      (c: { caseId: string }) => c.caseId,
    );
    for (const caseId of new Set([...allCases, ...caseIds])) {
      const history = (await call('GET', `/cases/${caseId}/events?limit=1000`)).body.events;
      if (!history) continue;
      const known = history.filter(
        (event: { recordedAt: string }) => event.recordedAt <= (digest.at as string),
      );
      if (known.length === 0) continue;
      const head = known.at(-1);
      heads.push({ caseId, version: head.version, hash: head.hash });
      events += head.version;
    }
    expect(digest.cases).toBe(heads.length);
    expect(digest.events).toBe(events);
    expect(digest.root).toBe(rootOf(heads));
    expect((await call('GET', '/ledger/digest')).body).toEqual(digest);
    expect((await call('GET', `/ledger/digest?sequence=${digest.sequence}`)).body).toEqual(digest);
  });

  it('gives proofs that an independent verifier accepts, and that fail when any part is altered', async () => {
    for (const caseId of caseIds) {
      const proof = (await call('GET', `/cases/${caseId}/proof?digest=${digest.sequence}`)).body;
      const claim = { ...proof, root: digest.root };
      expect(checkInclusion(claim), caseId).toBe(true);
      expect(proof.current).toEqual({ hash: proof.leaf.hash, chainHolds: true, matches: true });
      expect(checkInclusion({ ...claim, leaf: { ...proof.leaf, version: proof.leaf.version + 1 } })).toBe(
        false,
      );
      if (proof.path.length > 0) {
        expect(checkInclusion({ ...claim, path: [...proof.path.slice(1), proof.path[0]].reverse() })).toBe(
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
      const proof = (await call('GET', `/cases/${caseId}/proof?digest=${digest.sequence}`)).body;
      expect(checkProof(proof, digest.root), caseId).toBe(true);
      expect(checkProof(proof, 'f'.repeat(64)), caseId).toBe(false);
    }
  });

  it('chains each digest to the one before', async () => {
    now = new Date('2025-08-03T00:00:00.000Z');
    const next = (await call('POST', '/ledger/digest')).body;
    expect(next.sequence).toBe(digest.sequence + 1);
    expect(next.prevDigestHash).toBe(digest.hash);
    expect(next.root).toBe(digest.root); // nothing was recorded in between
  });

  it('catches a head altered after the digest: verify, the proof and a ledger_tampered alert', async () => {
    // proof-c holds its opening, a detention and two visits: version 4 is its head.
    const head = await itemOf('proof-c', 4);
    await overwrite({ ...head, data: { by: 'A forged consul' } });
    const verify = (await call('GET', '/cases/proof-c/verify')).body;
    expect(verify).toMatchObject({ ok: false, brokenAt: 4 });
    const proof = (await call('GET', `/cases/proof-c/proof?digest=${digest.sequence}`)).body;
    // The proof still shows what the digest committed to; the ledger no longer holds it.
    expect(checkInclusion({ ...proof, root: digest.root })).toBe(true);
    expect(proof.current).toEqual({ hash: head.hash, chainHolds: false, matches: false });
    await poller.idle();
    const alerts = (await call('GET', '/alerts?groupId=g-audit')).body.alerts;
    expect(alerts).toContainEqual(
      expect.objectContaining({ caseId: 'proof-c', kind: 'ledger_tampered', version: 4, change: 'modified' }),
    );
    // Tampering comes before every other kind; the cases altered in the verify tests above are there too.
    const kinds = alerts.map((alert: { kind: string }) => alert.kind);
    expect(kinds.lastIndexOf('ledger_tampered')).toBeLessThan(
      kinds.findIndex((kind: string) => kind !== 'ledger_tampered'),
    );
    expect(
      alerts
        .filter((alert: { kind: string }) => alert.kind === 'ledger_tampered')
        .map((a: { caseId: string }) => a.caseId),
    ).toEqual(
      expect.arrayContaining(['tamper-data', 'tamper-hash', 'tamper-deleted', 'tamper-swapped', 'proof-c']),
    );
  });

  it('catches a deleted head through the proof: the version the digest holds is gone', async () => {
    // proof-e holds its opening, a detention and four visits: version 6 is its head.
    await db.clients.documents.send(
      new DeleteCommand({ TableName: db.tables.ledger, Key: itemKey('proof-e', 6) }),
    );
    const proof = (await call('GET', `/cases/proof-e/proof?digest=${digest.sequence}`)).body;
    expect(proof.leaf.version).toBe(6);
    expect(proof.current).toEqual({ hash: null, chainHolds: false, matches: false });
    await poller.idle();
    const alerts = (await call('GET', '/alerts?groupId=g-audit')).body.alerts;
    expect(alerts).toContainEqual(
      expect.objectContaining({ caseId: 'proof-e', kind: 'ledger_tampered', change: 'removed' }),
    );
  });

  it('answers a missing digest or a case outside it with 404, and a malformed one with 400, writing nothing', async () => {
    const before = await ledgerItemCount(db);
    expect((await call('GET', '/cases/proof-a/proof?digest=999')).status).toBe(404);
    now = new Date('2025-09-01T00:00:00.000Z');
    await caseWith('opened-later', 0);
    const outside = await call('GET', `/cases/opened-later/proof?digest=${digest.sequence}`);
    expect(outside.status).toBe(404);
    expect(outside.body.type).toContain('case-in-digest-not-found');
    for (const path of [
      '/cases/proof-a/proof',
      '/cases/proof-a/proof?digest=first',
      '/cases/proof-a/proof?digest=0',
      '/ledger/digest?sequence=-1',
    ]) {
      expect((await call('GET', path)).status, path).toBe(400);
    }
    // Only the case opened above: two events, the guards of their ids, and the marker of their new day.
    expect(await ledgerItemCount(db)).toBe(before + 5);
  });
});
