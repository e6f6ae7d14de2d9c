import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_EVENTS_PER_APPEND } from '../../domain/append-rules.ts';
import {
  CaseAlreadyExistsError,
  CaseNotFoundError,
  EventIdConflictError,
  RuleViolationError,
  ValidationError,
  VersionConflictError,
} from '../../domain/errors.ts';
import { GENESIS_HASH, verifyChain } from '../../domain/hash-chain.ts';
import { CaseKeys } from '../../functions/personal-data/case-keys.ts';
import { LedgerStore } from '../../functions/store/ledger-store.ts';
import { countRequests } from '../support/request-counter.ts';
import { consularVisit, detained, opening, retraction } from '../support/sample-events.ts';
import { createTestTables, type TestTables } from '../support/test-tables.ts';

let db: TestTables;
let ledger: LedgerStore;
const clock = () => new Date('2026-11-24T12:00:00.000Z');

beforeAll(async () => {
  db = await createTestTables('ledger-store');
  ledger = new LedgerStore({
    documents: db.clients.documents,
    tableName: db.tables.ledger,
    clock,
    subjects: db.subjectVault(clock),
  });
});
afterAll(() => db.drop());

/** A store of its own, as another process (another Lambda container) has. */
function anotherStore() {
  return new LedgerStore({
    documents: db.clients.documents,
    tableName: db.tables.ledger,
    clock,
    subjects: db.subjectVault(clock),
  });
}

async function openCase(...more: ReturnType<typeof detained>[]) {
  const caseId = `case-${randomUUID()}`;
  await ledger.append({ caseId, events: [opening(), ...more], expected: 'no_stream', recordedBy: 'tester' });
  return caseId;
}

describe('appending', () => {
  it('stores events with consecutive versions, the recorder, the recording time and a valid hash chain', async () => {
    const caseId = await openCase(detained());
    const result = await ledger.append({
      caseId,
      events: [consularVisit('2025-07-03'), consularVisit('2025-07-14')],
      expected: 'stream_exists',
      recordedBy: 'desk-officer',
    });
    expect(result.version).toBe(4);
    expect(result.events.map((event) => event.version)).toEqual([3, 4]);
    expect(result.events.every((event) => event.recordedBy === 'desk-officer')).toBe(true);
    expect(result.events.every((event) => event.recordedAt === clock().toISOString())).toBe(true);
    const stored = await ledger.readStream(caseId);
    expect(stored[0]!.prevHash).toBe(GENESIS_HASH);
    expect(verifyChain(stored)).toEqual({ ok: true, events: 4, headHash: stored[3]!.hash });
    expect(stored.slice(2)).toEqual(result.events);
  });

  it('refuses to open a case that exists and to append to a case that does not', async () => {
    const caseId = await openCase();
    await expect(
      ledger.append({ caseId, events: [opening()], expected: 'no_stream', recordedBy: 't' }),
    ).rejects.toThrow(CaseAlreadyExistsError);
    await expect(
      ledger.append({
        caseId: 'case-missing',
        events: [detained()],
        expected: 'stream_exists',
        recordedBy: 't',
      }),
    ).rejects.toThrow(CaseNotFoundError);
    expect(await ledger.head('case-missing')).toBeUndefined();
  });

  it('appends only at the expected version, and leaves the stream as it was otherwise', async () => {
    const caseId = await openCase(detained());
    await expect(
      ledger.append({
        caseId,
        events: [consularVisit('2025-07-03')],
        expected: 1,
        recordedBy: 't',
      }),
    ).rejects.toEqual(new VersionConflictError(1, 2));
    expect((await ledger.head(caseId))?.version).toBe(2);
    const ok = await ledger.append({
      caseId,
      events: [consularVisit('2025-07-03')],
      expected: 2,
      recordedBy: 't',
    });
    expect(ok.version).toBe(3);
  });

  it('lets exactly one of two writers racing on the same expected version win', async () => {
    const caseId = await openCase();
    const race = await Promise.allSettled(
      [consularVisit('2025-07-03'), consularVisit('2025-07-04')].map((event) =>
        ledger.append({ caseId, events: [event], expected: 1, recordedBy: 't' }),
      ),
    );
    expect(race.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    const lost = race.find((outcome) => outcome.status === 'rejected');
    expect(lost?.status === 'rejected' && lost.reason).toBeInstanceOf(VersionConflictError);
    expect(await ledger.readStream(caseId)).toHaveLength(2);
  });

  it('gives racing writers without an expected version distinct versions on one unbroken chain', async () => {
    const caseId = await openCase();
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        ledger.append({
          caseId,
          events: [consularVisit(`2025-07-1${i}`)],
          expected: 'stream_exists',
          recordedBy: 't',
        }),
      ),
    );
    expect(new Set(results.map((result) => result.version)).size).toBe(6);
    const stored = await ledger.readStream(caseId);
    expect(stored).toHaveLength(7);
    expect(verifyChain(stored).ok).toBe(true);
  });

  it('refuses more events than one transaction can hold with a validation error, storing nothing', async () => {
    const caseId = await openCase();
    const events = Array.from({ length: MAX_EVENTS_PER_APPEND + 1 }, () => consularVisit('2025-07-03'));
    await expect(
      ledger.append({ caseId, events, expected: 'stream_exists', recordedBy: 't' }),
    ).rejects.toThrow(ValidationError);
    expect((await ledger.head(caseId))?.version).toBe(1);
  });

  it('accepts the largest append allowed in one transaction', async () => {
    const caseId = await openCase();
    const events = Array.from({ length: MAX_EVENTS_PER_APPEND }, () => consularVisit('2025-07-03'));
    const result = await ledger.append({ caseId, events, expected: 'stream_exists', recordedBy: 't' });
    expect(result.version).toBe(MAX_EVENTS_PER_APPEND + 1);
  });
});

describe('idempotency by event id', () => {
  it('returns the original result for a retried append and stores nothing new', async () => {
    const caseId = await openCase();
    const events = [detained(), consularVisit('2025-07-03')];
    const first = await ledger.append({ caseId, events, expected: 'stream_exists', recordedBy: 't' });
    await ledger.append({
      caseId,
      events: [consularVisit('2025-07-14')],
      expected: 'stream_exists',
      recordedBy: 't',
    });
    const retry = await ledger.append({
      caseId,
      events,
      expected: 1,
      recordedBy: 't',
    });
    expect(retry).toEqual({ ...first, replayed: true });
    expect((await ledger.head(caseId))?.version).toBe(4);
  });

  it('stores the events once when a retry races the first attempt', async () => {
    const caseId = await openCase();
    const events = [detained(), consularVisit('2025-07-03')];
    const attempts = await Promise.all(
      [1, 2, 3].map(() => ledger.append({ caseId, events, expected: 'stream_exists', recordedBy: 't' })),
    );
    expect(attempts.filter((attempt) => !attempt.replayed)).toHaveLength(1);
    for (const attempt of attempts) expect(attempt.events).toEqual(attempts[0]!.events);
    expect(await ledger.readStream(caseId)).toHaveLength(3);
  });

  it('answers a retried opening with the original result, not with a conflict', async () => {
    const caseId = `case-${randomUUID()}`;
    const events = [opening(), detained()];
    const first = await ledger.append({ caseId, events, expected: 'no_stream', recordedBy: 't' });
    const retry = await ledger.append({ caseId, events, expected: 'no_stream', recordedBy: 't' });
    expect(retry).toEqual({ ...first, replayed: true });
    await expect(
      ledger.append({ caseId, events: [opening()], expected: 'no_stream', recordedBy: 't' }),
    ).rejects.toThrow(CaseAlreadyExistsError);
    expect((await ledger.head(caseId))?.version).toBe(2);
  });

  it('reads the event-id guards of an append to an open case only when it is refused', async () => {
    const caseId = await openCase();
    const fresh = anotherStore();
    const counter = countRequests(db.clients.client);
    const events = [consularVisit('2025-07-03')];
    await fresh.append({ caseId, events, expected: 'stream_exists', recordedBy: 't' });
    // The head, the case's key (its free texts are sealed), and the write.
    expect(counter.snapshot()).toEqual({ QueryCommand: 1, GetItemCommand: 1, TransactWriteItemsCommand: 1 });
    counter.reset();
    const retry = await anotherStore().append({ caseId, events, expected: 'stream_exists', recordedBy: 't' });
    expect(retry.replayed).toBe(true);
    expect(counter.snapshot()).toMatchObject({ BatchGetItemCommand: 1, TransactWriteItemsCommand: 1 });
    expect((await ledger.head(caseId))?.version).toBe(2);
  });

  it('refuses an event id reused with other content, in another case, or in a partial retry', async () => {
    const caseId = await openCase();
    const visit = consularVisit('2025-07-03');
    await ledger.append({ caseId, events: [visit], expected: 'stream_exists', recordedBy: 't' });
    const changed = { ...visit, occurredAt: '2025-07-04' };
    await expect(
      ledger.append({ caseId, events: [changed], expected: 'stream_exists', recordedBy: 't' }),
    ).rejects.toThrow(EventIdConflictError);
    const other = await openCase();
    await expect(
      ledger.append({ caseId: other, events: [visit], expected: 'stream_exists', recordedBy: 't' }),
    ).rejects.toThrow(EventIdConflictError);
    await expect(
      ledger.append({
        caseId,
        events: [visit, consularVisit('2025-07-05')],
        expected: 'stream_exists',
        recordedBy: 't',
      }),
    ).rejects.toThrow(EventIdConflictError);
    expect((await ledger.head(caseId))?.version).toBe(2);
    expect((await ledger.head(other))?.version).toBe(1);
  });

  it('refuses an opening that reuses another case’s event id before it makes the new case a key', async () => {
    const caseId = await openCase();
    const visit = consularVisit('2025-07-03');
    await ledger.append({ caseId, events: [visit], expected: 'stream_exists', recordedBy: 't' });
    const newCase = `case-${randomUUID()}`;
    const counter = countRequests(db.clients.client);
    await expect(
      ledger.append({ caseId: newCase, events: [opening(), visit], expected: 'no_stream', recordedBy: 't' }),
    ).rejects.toThrow(new EventIdConflictError(visit.eventId, 'belongs to another case'));
    // The head, then the guards once: no key made or looked up, no write tried, the guards not asked twice.
    expect(counter.snapshot()).toEqual({ QueryCommand: 1, BatchGetItemCommand: 1 });
    expect(await ledger.head(newCase)).toBeUndefined();
    const keys = new CaseKeys({
      documents: db.clients.documents,
      tableName: db.tables.keys,
      wrapper: db.keyWrapper,
      clock,
    });
    expect(await keys.exists(newCase)).toBe(false);
    expect(await keys.exists(caseId)).toBe(true);
  });
});

describe('personal data in an append', () => {
  it('reads the case’s key once for a whole batch, and stores no free text in clear', async () => {
    const caseId = await openCase();
    const events = Array.from({ length: MAX_EVENTS_PER_APPEND }, (_, index) => ({
      ...consularVisit('2025-07-03'),
      note: `Note ${index} on Test Person Batched`,
    }));
    const counter = countRequests(db.clients.client);
    const result = await anotherStore().append({
      caseId,
      events,
      expected: 'stream_exists',
      recordedBy: 't',
    });
    expect(counter.snapshot()).toEqual({ QueryCommand: 1, GetItemCommand: 1, TransactWriteItemsCommand: 1 });
    expect(JSON.stringify(await ledger.readStream(caseId))).not.toContain('Batched');
    expect(result.events[7]!.note).toEqual(expect.objectContaining({ alg: 'A256GCM' }));
  });
});

describe('appends from more than one process', () => {
  it('stays correct when another process appended meanwhile: one unbroken chain, conflicts still seen', async () => {
    const caseId = await openCase();
    const other = anotherStore();
    await ledger.append({
      caseId,
      events: [consularVisit('2025-07-01')],
      expected: 'stream_exists',
      recordedBy: 'a',
    });
    await other.append({
      caseId,
      events: [consularVisit('2025-07-02')],
      expected: 'stream_exists',
      recordedBy: 'b',
    });
    // `ledger` appended version 2 last; the case is at 3.
    const behind = await ledger.append({
      caseId,
      events: [consularVisit('2025-07-03')],
      expected: 'stream_exists',
      recordedBy: 'a',
    });
    expect(behind.version).toBe(4);
    // `other` appended version 3 last, the case is at 4: an expected version of 4 is right, and is accepted.
    const expected = await other.append({
      caseId,
      events: [consularVisit('2025-07-04')],
      expected: 4,
      recordedBy: 'b',
    });
    expect(expected.version).toBe(5);
    // `ledger` appended version 4 last, the case is at 5: an expected version of 4 is stale, and is refused.
    await expect(
      ledger.append({
        caseId,
        events: [consularVisit('2025-07-05')],
        expected: 4,
        recordedBy: 'a',
      }),
    ).rejects.toThrow(new VersionConflictError(4, 5));
    const stored = await ledger.readStream(caseId);
    expect(stored.map((event) => [event.version, event.recordedBy])).toEqual([
      [1, 'tester'],
      [2, 'a'],
      [3, 'b'],
      [4, 'a'],
      [5, 'b'],
    ]);
    expect(verifyChain(stored)).toEqual({ ok: true, events: 5, headHash: stored[4]!.hash });
  });
});

describe('retractions', () => {
  it('retracts an event of the same case, and refuses one naming an unknown event or another case', async () => {
    const held = detained();
    const caseId = await openCase(held);
    const result = await ledger.append({
      caseId,
      events: [retraction(held.eventId)],
      expected: 'stream_exists',
      recordedBy: 't',
    });
    expect(result.version).toBe(3);
    await expect(
      ledger.append({
        caseId,
        events: [retraction(randomUUID())],
        expected: 'stream_exists',
        recordedBy: 't',
      }),
    ).rejects.toThrow(RuleViolationError);
    const elsewhere = detained();
    await openCase(elsewhere);
    await expect(
      ledger.append({
        caseId,
        events: [retraction(elsewhere.eventId)],
        expected: 'stream_exists',
        recordedBy: 't',
      }),
    ).rejects.toThrow(RuleViolationError);
    expect((await ledger.head(caseId))?.version).toBe(3);
  });
});

describe('reading', () => {
  it('reads a stream in pages and filters by recording time', async () => {
    let now = new Date('2026-01-01T00:00:00.000Z');
    const timed = new LedgerStore({
      documents: db.clients.documents,
      tableName: db.tables.ledger,
      clock: () => now,
      subjects: db.subjectVault(),
    });
    const caseId = `case-${randomUUID()}`;
    await timed.append({ caseId, events: [opening(), detained()], expected: 'no_stream', recordedBy: 't' });
    now = new Date('2026-02-01T00:00:00.000Z');
    await timed.append({
      caseId,
      events: [consularVisit('2025-07-03'), consularVisit('2025-07-04')],
      expected: 'stream_exists',
      recordedBy: 't',
    });
    const first = await timed.readPage(caseId, { limit: 3 });
    expect(first.events.map((event) => event.version)).toEqual([1, 2, 3]);
    expect(first.continueAfter).toBe(3);
    const second = await timed.readPage(caseId, { afterVersion: 3, limit: 3 });
    expect(second.events.map((event) => event.version)).toEqual([4]);
    expect(second.continueAfter).toBeUndefined();
    const known = await timed.readStream(caseId, { knownAt: new Date('2026-01-15T00:00:00.000Z') });
    expect(known.map((event) => event.version)).toEqual([1, 2]);
  });
});

describe('cost of an append as the case grows', () => {
  it('sends the same DynamoDB requests to append to a case of 5,000 events as to a new case', async () => {
    const counter = countRequests(db.clients.client);
    // A store of its own for each: the cost of an append whatever the store did before.
    const measure = async (caseId: string) => {
      const store = anotherStore();
      counter.reset();
      await store.append({
        caseId,
        events: [consularVisit('2025-07-03')],
        expected: 'stream_exists',
        recordedBy: 't',
      });
      return counter.snapshot();
    };
    const small = await openCase();
    const large = await openCase();
    for (let version = 1; version < 5000; version += MAX_EVENTS_PER_APPEND) {
      const count = Math.min(MAX_EVENTS_PER_APPEND, 5000 - version);
      const events = Array.from({ length: count }, () => consularVisit('2025-07-03'));
      await ledger.append({ caseId: large, events, expected: 'stream_exists', recordedBy: 't' });
    }
    expect((await ledger.head(large))?.version).toBe(5000);
    const onSmall = await measure(small);
    const onLarge = await measure(large);
    expect(onLarge).toEqual(onSmall);
    expect(onLarge).toEqual({ QueryCommand: 1, GetItemCommand: 1, TransactWriteItemsCommand: 1 });
  }, 300_000); // 100 transactions of 100 items: minutes on a busy 2-core machine.
});
