import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { directoryTileStore } from '../../functions/log/directory-tile-store.ts';
import { createLogIntegrator } from '../../functions/log/integrator.ts';
import { backfillLog } from '../../functions/log/log-backfill.ts';
import { LogStore } from '../../functions/log/log-store.ts';
import { AuditFeed } from '../../functions/store/audit-feed.ts';
import { LedgerStore } from '../../functions/store/ledger-store.ts';
import { openLogKey } from '../../local/log-key-file.ts';
import { consularVisit, detained, opening } from '../support/sample-events.ts';
import { createTestTables, type TestTables } from '../support/test-tables.ts';
import { rootOfEventHashes, temporaryDirectory } from './integrator-support.ts';

/**
 * A ledger made before the log: events appended with no log running, over several days, then the backfill.
 * It must take them in recorded order, and a backfill stopped part-way must resume, not start again or skip.
 */
let db: TestTables;
let dir: Awaited<ReturnType<typeof temporaryDirectory>>;

beforeAll(async () => {
  db = await createTestTables('log-backfill');
  dir = await temporaryDirectory('log-backfill');
});
afterAll(async () => {
  await dir.remove();
  await db.drop();
});

async function appendAt(at: string) {
  const clock = () => new Date(at);
  const ledger = new LedgerStore({
    documents: db.clients.documents,
    tableName: db.tables.ledger,
    clock,
    subjects: db.subjectVault(clock),
  });
  await ledger.append({
    caseId: `backfill-${randomUUID()}`,
    events: [opening({ occurredAt: '2024-01-01' }), detained('2024-01-02'), consularVisit('2024-01-03')],
    expected: 'no_stream',
    recordedBy: 'test-recorder',
  });
}

describe('the backfill of a ledger made before the log', () => {
  it('takes every event in, in recorded order, and resumes where it was stopped', async () => {
    // Out of order on purpose: recorded order is the clock's, not the order of the calls.
    for (const at of [
      '2025-03-04T10:00:00.000Z',
      '2025-01-02T09:00:00.000Z',
      '2025-03-04T09:59:59.999Z',
      '2025-02-10T12:00:00.000Z',
      '2025-01-02T09:00:00.001Z',
    ]) {
      await appendAt(at);
    }
    const audit = new AuditFeed({ documents: db.clients.documents, tableName: db.tables.ledger });
    const recorded = (
      await audit.page({ from: new Date(0), to: new Date('2026-01-01T00:00:00Z'), limit: 1000 })
    ).events;
    expect(recorded).toHaveLength(15);

    const store = new LogStore({ documents: db.clients.documents, tableName: db.tables.log });
    const integrator = createLogIntegrator({
      store,
      tiles: directoryTileStore(dir.path),
      signer: await openLogKey({ name: 'test.example/backfill' }),
      clock: () => new Date('2026-01-01T00:00:00Z'),
    });
    const clock = () => new Date('2026-01-01T00:00:00Z');

    // Stopped after two rounds of four: eight in, and its position kept.
    let rounds = 0;
    const stopped = await backfillLog({
      audit,
      store,
      integrator,
      clock,
      pageSize: 4,
      onProgress: () => {
        rounds += 1;
      },
      stopRequested: () => rounds === 2,
    });
    expect(stopped).toMatchObject({ read: 8, integrated: 8, stopped: true, size: 8 });
    expect((await store.state()).backfillAfter).toBeDefined();

    // Resumed: reads on from there (not from the start), and the rest comes in once.
    const resumed = await backfillLog({ audit, store, integrator, clock, pageSize: 4 });
    expect(resumed).toMatchObject({ read: 7, integrated: 7, stopped: false, size: 15 });

    const indexes = await store.indexesOf(recorded.map((event) => event.eventId));
    expect(recorded.map((event) => indexes.get(event.eventId))).toEqual(recorded.map((_, i) => i));
    const state = await store.state();
    expect(Buffer.from(state.root!).toString('hex')).toBe(
      rootOfEventHashes(recorded.map((event) => event.hash)).toString('hex'),
    );

    // Run again with nothing new: reads its last page again at most, takes nothing in twice.
    const again = await backfillLog({ audit, store, integrator, clock, pageSize: 4 });
    expect(again.integrated).toBe(0);
    expect(again.read).toBeLessThanOrEqual(4);
    expect((await store.state()).size).toBe(15);
  });
});
