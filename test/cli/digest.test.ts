import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Services } from '../../functions/services.ts';
import { DIGEST_SETTLE_MS } from '../../functions/store/digest-store.ts';
import { EXIT } from '../../local/cli/cli-errors.ts';
import { runDigest } from '../../local/cli/commands/digest.ts';
import { servicesOn } from '../support/test-services.ts';
import { createTestTables, type TestTables } from '../support/test-tables.ts';
import { harness, seedCase } from './cli-harness.ts';

let db: TestTables;
/** Records events a minute ago, so they are settled for a digest taken now. */
let earlier: Services;
let appended = 0;
const LENGTHS = [2, 3, 5, 8, 13, 21];

beforeAll(async () => {
  db = await createTestTables('cli-digest');
  earlier = servicesOn(db, { clock: () => new Date(Date.now() - 60_000) });
  const stored = await Promise.all(
    LENGTHS.map((length, index) => seedCase(earlier, `digest-${index}`, index, length)),
  );
  appended = stored.reduce((sum, count) => sum + count, 0);
});
afterAll(() => db.drop());

describe('digest', () => {
  it('takes a digest whose counts are the cases and events appended, prints it as JSON and stores it', async () => {
    const { context, stdout, stderr } = harness(earlier);
    const now = new Date();
    const report = await runDigest({ ...context, clock: () => now });
    expect(appended).toBe(52);
    expect(report.exitCode).toBe(EXIT.ok);
    expect(report.digest).toMatchObject({
      sequence: 1,
      cases: LENGTHS.length,
      events: appended,
      at: new Date(now.getTime() - DIGEST_SETTLE_MS).toISOString(),
    });
    expect(JSON.parse(stdout.text)).toEqual(report.digest);
    expect(await earlier.digests.latest()).toEqual(report.digest);
    expect(stderr.text).toContain(`Taking a digest as of ${report.digest.at}`);
  });

  it('leaves events of the last settling seconds to the next digest, which chains onto the one before', async () => {
    const live = servicesOn(db);
    await seedCase(live, 'digest-just-now', 7, 4);
    const now = new Date();
    const settled = await runDigest({ ...harness(live).context, clock: () => now });
    expect(settled.digest).toMatchObject({ sequence: 2, cases: LENGTHS.length, events: appended });
    const later = new Date(now.getTime() + DIGEST_SETTLE_MS + 1000);
    const next = await runDigest({ ...harness(live).context, clock: () => later });
    expect(next.digest).toMatchObject({
      sequence: 3,
      cases: LENGTHS.length + 1,
      events: appended + 4,
      prevDigestHash: settled.digest.hash,
    });
  });

  it('numbers digests taken at once 1, 2, 3 … in one chain, each with its own leaves for proofs', async () => {
    const at = new Date();
    const before = (await earlier.digests.latest())?.sequence ?? 0;
    const taken = await Promise.all([1, 2, 3].map(() => earlier.digests.take({ at })));
    const sequences = taken.map((digest) => digest.sequence).sort((a, b) => a - b);
    expect(sequences).toEqual([before + 1, before + 2, before + 3]);
    for (const sequence of sequences) {
      const digest = (await earlier.digests.get(sequence))!;
      const previous = await earlier.digests.get(sequence - 1);
      expect(digest.prevDigestHash).toBe(previous?.hash);
      expect((await earlier.digests.leaves(sequence)).length).toBe(digest.cases);
    }
  });

  it('takes the next number after a run that died having written its leaves but not its digest', async () => {
    const next = ((await earlier.digests.latest())?.sequence ?? 0) + 1;
    // What a run that crashed half-way leaves behind, under the number it was going to take (the layout
    // before leaves were keyed by run) and under a run id: neither may block the number.
    for (const streamId of [
      `#digest-leaves#${next}`,
      '#digest-leaves#0f2a6c1e-dead-4bee-8f00-5a1e2b3c4d5e',
    ]) {
      await db.clients.documents.send(
        new PutCommand({
          TableName: db.tables.ledger,
          Item: { streamId, version: 1, itemKind: 'digest-leaves', leaves: [] },
        }),
      );
    }
    const digest = await earlier.digests.take({ at: new Date() });
    expect(digest.sequence).toBe(next);
    expect((await earlier.digests.leaves(next)).length).toBe(digest.cases);
  });
});
