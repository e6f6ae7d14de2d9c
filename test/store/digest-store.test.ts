import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDigest, type DigestLeaf, type LedgerDigest } from '../../domain/ledger-digest.ts';
import type { Services } from '../../functions/services.ts';
import { DIGEST_SETTLE_MS, type DigestRunResult, DigestStore } from '../../functions/store/digest-store.ts';
import { ledgerKeys } from '../../functions/tables/ledger-keys.ts';
import { consularVisit, opening } from '../support/sample-events.ts';
import { servicesOn } from '../support/test-services.ts';
import { createTestTables, type TestTables } from '../support/test-tables.ts';

/**
 * Digests against DynamoDB Local, on a ledger whose clock the test moves: every append is recorded a second
 * after the one before, and every digest is taken as of a moment the test names. Small pages and small leaf
 * items, so that a handful of cases already takes many rounds, several items and several checkpoints.
 */
let db: TestTables;
let clockMs = Date.parse('2026-01-05T08:00:00.000Z');
let services: Services;
/** Every case the test has opened: the oracle reads each one's head itself. */
const cases: string[] = [];
let opened = 0;

const tick = () => {
  clockMs += 1000;
  return new Date(clockMs);
};
const digestStore = (options: { casePage?: number; leavesPerItem?: number } = {}) =>
  new DigestStore({
    documents: db.clients.documents,
    ledger: services.ledger,
    casePage: options.casePage ?? 2,
    leavesPerItem: options.leavesPerItem ?? 3,
  });

async function openCase(recordedAt?: number): Promise<string> {
  const caseId = `dg-${String(opened++).padStart(4, '0')}`;
  const ledger =
    recordedAt === undefined ? services.ledger : servicesOn(db, { clock: () => new Date(recordedAt) }).ledger;
  await ledger.append({ caseId, events: [opening()], expected: 'no_stream', recordedBy: 'digest-test' });
  cases.push(caseId);
  return caseId;
}

async function appendTo(caseId: string): Promise<void> {
  await services.ledger.append({
    caseId,
    events: [consularVisit('2025-07-03')],
    expected: 'stream_exists',
    recordedBy: 'digest-test',
  });
}

/** What a digest at `at` must commit to, read case by case from the ledger itself. */
async function expectedLeaves(at: Date): Promise<DigestLeaf[]> {
  const leaves: DigestLeaf[] = [];
  for (const caseId of cases) {
    const head = await services.ledger.headAt(caseId, at);
    if (head) leaves.push({ caseId, version: head.version, hash: head.hash });
  }
  return leaves;
}

async function expectCommitsToLedger(digest: LedgerDigest, store: DigestStore): Promise<void> {
  const expected = buildDigest(await expectedLeaves(new Date(digest.at)), { sequence: 0, at: digest.at });
  expect({ root: digest.root, cases: digest.cases, events: digest.events }).toEqual({
    root: expected.root,
    cases: expected.cases,
    events: expected.events,
  });
  expect(await store.leaves(digest.sequence)).toHaveLength(digest.cases);
}

function done(result: DigestRunResult) {
  if (!result.done) throw new Error(`expected a finished digest, got ${JSON.stringify(result)}`);
  return result;
}

/** `remainingMs` that gives plenty of time for `rounds` rounds, and none after. */
const timeFor = (rounds: number) => {
  let asked = 0;
  return () => (asked++ < rounds ? 3_600_000 : 0);
};

beforeAll(async () => {
  db = await createTestTables('digest-store');
  services = servicesOn(db, { clock: tick });
});
afterAll(() => db.drop());

describe('a resumable full run', () => {
  it('saves its progress in the run slot, which is no digest, and continues where it stopped', async () => {
    for (let i = 0; i < 13; i++) await openCase();
    await appendTo(cases[3]!);
    const store = digestStore({ casePage: 1, leavesPerItem: 2 });
    const at = tick();
    const first = await store.run({ at, remainingMs: timeFor(2) });
    expect(first).toMatchObject({ done: false, reason: 'out_of_time', at: at.toISOString(), invocations: 1 });
    if (first.done) return;
    expect(first.leaves).toBeGreaterThan(0);
    expect(first.leaves).toBeLessThan(13);
    expect(await store.latest()).toBeUndefined();
    expect(await store.get(0)).toBeUndefined();

    // More appends while the run waits: it still takes the heads as of its own moment.
    await appendTo(cases[0]!);
    await openCase();
    const second = await store.run({ at: tick(), remainingMs: timeFor(3) });
    expect(second).toMatchObject({ done: false, runId: first.runId, invocations: 2 });
    const last = done(await store.run({ at: tick() }));
    expect(last).toMatchObject({ kind: 'full', invocations: 3 });
    expect(last.digest).toMatchObject({ sequence: 1, at: at.toISOString(), cases: 13, events: 14 });
    await expectCommitsToLedger(last.digest, store);

    // The same moment in one uninterrupted run gives the same tree.
    const uninterrupted = await digestStore({ casePage: 5 }).take({ at, full: true });
    expect(uninterrupted).toMatchObject({ sequence: 2, root: last.digest.root, cases: 13, events: 14 });
  });

  it('reads only the leaf items its digest names, not one a dead invocation left after its last checkpoint', async () => {
    const store = digestStore({ casePage: 1, leavesPerItem: 2 });
    const cut = await store.run({ at: tick(), full: true, remainingMs: timeFor(3) });
    if (cut.done) throw new Error('the run should have been cut');
    const state = await db.clients.documents.send(
      new GetCommand({ TableName: db.tables.ledger, Key: ledgerKeys.digestRun }),
    );
    const leafItems = Number(state.Item?.leafItems);
    expect(leafItems).toBeGreaterThan(0);
    // What an invocation killed between writing leaves and saving its checkpoint leaves behind, far ahead.
    await db.clients.documents.send(
      new PutCommand({
        TableName: db.tables.ledger,
        Item: {
          streamId: ledgerKeys.digestLeaves(cut.runId),
          version: leafItems + 100,
          itemKind: 'digest-leaves',
          leaves: [{ caseId: 'dg-stray', version: 9, hash: 'f'.repeat(64) }],
        },
      }),
    );
    const finished = done(await store.run({ at: tick() }));
    expect(finished.digest.at).toBe(cut.at);
    await expectCommitsToLedger(finished.digest, store);
    expect((await store.leaves(finished.digest.sequence)).map((leaf) => leaf.caseId)).not.toContain(
      'dg-stray',
    );
  });

  it('claims one digest when two invocations continue the same run at once', async () => {
    const store = digestStore({ casePage: 1, leavesPerItem: 2 });
    const before = (await store.latest())!.sequence;
    const cut = await store.run({ at: tick(), full: true, remainingMs: timeFor(2) });
    expect(cut.done).toBe(false);
    const results = await Promise.all([store.continueRun({}), store.continueRun({})]);
    const finished = results.filter((result) => result?.done);
    expect(finished.length).toBeGreaterThanOrEqual(1);
    const latest = (await store.latest())!;
    expect(latest.sequence).toBe(before + 1);
    for (const result of finished) expect(result?.done && result.digest).toEqual(latest);
    await expectCommitsToLedger(latest, store);
    expect(await store.continueRun({})).toBeUndefined();
  });

  it('drops a saved run once a digest at or after its moment has been taken', async () => {
    const store = digestStore({ casePage: 1 });
    const cut = await store.run({ at: tick(), full: true, remainingMs: timeFor(1) });
    expect(cut.done).toBe(false);
    const later = await store.take({ at: tick() });
    expect(await store.continueRun({})).toBeUndefined();
    const next = done(await store.run({ at: tick() }));
    expect(next).toMatchObject({ kind: 'incremental' });
    expect(next.digest.prevDigestHash).toBe(later.hash);
  });
});

describe('an incremental digest', () => {
  it('equals a full digest at the same moment, over random appends, new cases and late ones between digests', async () => {
    const store = digestStore();
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            appends: fc.array(fc.nat(), { maxLength: 4 }),
            opens: fc.nat({ max: 2 }),
            // A case opened by an append whose clock read came before the previous digest's moment, but whose
            // write landed after that digest was taken.
            late: fc.boolean(),
          }),
          { minLength: 1, maxLength: 3 },
        ),
        async (rounds) => {
          if (cases.length === 0) await openCase();
          for (const round of rounds) {
            const previous = (await store.latest()) ?? (await store.take({ at: tick() }));
            for (const pick of round.appends) await appendTo(cases[pick % cases.length]!);
            for (let i = 0; i < round.opens; i++) await openCase();
            if (round.late) await openCase(Date.parse(previous.at) - DIGEST_SETTLE_MS / 2);
            const at = tick();
            const result = done(await store.run({ at }));
            expect(result.kind).toBe('incremental');
            expect(result.digest.prevDigestHash).toBe(previous.hash);
            await expectCommitsToLedger(result.digest, store);
          }
        },
      ),
      { numRuns: 6 },
    );
    const last = (await store.latest())!;
    const full = await store.take({ at: new Date(last.at), full: true });
    expect({ root: full.root, cases: full.cases, events: full.events }).toEqual({
      root: last.root,
      cases: last.cases,
      events: last.events,
    });
  }, 120_000);

  it('reads every case again when the previous leaves no longer give the previous root', async () => {
    const store = digestStore();
    const previous = (await store.latest())!;
    const stored = await db.clients.documents.send(
      new GetCommand({ TableName: db.tables.ledger, Key: ledgerKeys.digest(previous.sequence) }),
    );
    const leavesKey = { streamId: ledgerKeys.digestLeaves(String(stored.Item?.leavesId)), version: 1 };
    const item = await db.clients.documents.send(
      new GetCommand({ TableName: db.tables.ledger, Key: leavesKey }),
    );
    const [first, ...rest] = item.Item!.leaves as DigestLeaf[];
    // A leaf changed behind the application: carried into the next digest, it would hide a real head.
    await db.clients.documents.send(
      new PutCommand({
        TableName: db.tables.ledger,
        Item: { ...item.Item, leaves: [{ ...first!, hash: '0'.repeat(64) }, ...rest] },
      }),
    );
    const result = done(await store.run({ at: tick() }));
    expect(result.kind).toBe('full');
    await expectCommitsToLedger(result.digest, store);
  });

  it('hands a change too large for the time left to a full run at the same moment', async () => {
    const store = digestStore();
    for (const caseId of cases.slice(0, 5)) await appendTo(caseId);
    const at = tick();
    const cut = await store.run({ at, remainingMs: () => 0 });
    expect(cut).toMatchObject({ done: false, reason: 'out_of_time', at: at.toISOString() });
    const continued = done(await store.run({ at: tick() }));
    expect(continued).toMatchObject({ kind: 'full', invocations: 2 });
    expect(continued.digest.at).toBe(at.toISOString());
    await expectCommitsToLedger(continued.digest, store);
  });
});
