import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CONTINUE_ONLY } from '../../functions/digest/digest-input.ts';
import type { DigestHandlerResult } from '../../functions/digest/handler.ts';
import type { Services } from '../../functions/services.ts';
import { opening } from '../support/sample-events.ts';
import { servicesOn } from '../support/test-services.ts';
import { createTestTables, type TestTables } from '../support/test-tables.ts';

/**
 * The digest function's entry point, built from its environment as on a cold start, over DynamoDB Local: an
 * invocation with no time left saves the run, the continuing schedule's input finishes it, and the next
 * scheduled one is incremental.
 */
let db: TestTables;
let earlier: Services;
let handler: (
  event: unknown,
  context?: { getRemainingTimeInMillis(): number },
) => Promise<DigestHandlerResult>;

const noTimeLeft = { getRemainingTimeInMillis: () => 0 };
const fifteenMinutes = { getRemainingTimeInMillis: () => 900_000 };

beforeAll(async () => {
  db = await createTestTables('digest-handler');
  vi.stubEnv('LEDGER_TABLE', db.tables.ledger);
  vi.stubEnv('VIEWS_TABLE', db.tables.views);
  vi.stubEnv('KEYS_TABLE', db.tables.keys);
  vi.stubEnv('DYNAMODB_ENDPOINT', db.endpoint);
  vi.stubEnv('AWS_REGION', 'eu-west-1');
  vi.stubEnv('LEDGER_MASTER_KEY', randomBytes(32).toString('base64'));
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
  ({ handler } = (await import('../../functions/digest/handler.ts')) as unknown as {
    handler: typeof handler;
  });
  // Recorded a minute ago, so settled for a digest taken now.
  earlier = servicesOn(db, { clock: () => new Date(Date.now() - 60_000) });
  for (const caseId of ['fn-a', 'fn-b', 'fn-c']) {
    await earlier.ledger.append({
      caseId,
      events: [opening()],
      expected: 'no_stream',
      recordedBy: 'fn-test',
    });
  }
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await db?.drop();
});

describe('the digest function', () => {
  it('does nothing on the continuing schedule when no run is under way', async () => {
    expect(await handler(CONTINUE_ONLY, fifteenMinutes)).toEqual({ done: false, reason: 'no_run_under_way' });
    expect(await earlier.digests.latest()).toBeUndefined();
  });

  it('saves a run it has no time for, which the continuing schedule finishes, and then digests incrementally', async () => {
    const cut = await handler({ source: 'aws.events' }, noTimeLeft);
    expect(cut).toMatchObject({ done: false, reason: 'out_of_time', invocations: 1 });
    expect(await earlier.digests.latest()).toBeUndefined();

    const finished = await handler(CONTINUE_ONLY, fifteenMinutes);
    expect(finished).toMatchObject({ done: true, sequence: 1, cases: 3, events: 3, kind: 'full' });
    expect((await earlier.digests.latest())?.at).toBe(cut.done === false && 'at' in cut ? cut.at : undefined);

    const next = await handler({ source: 'aws.events' }, fifteenMinutes);
    expect(next).toMatchObject({ done: true, sequence: 2, cases: 3, kind: 'incremental' });
  });
});
