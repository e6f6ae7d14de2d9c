import { randomBytes } from 'node:crypto';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { LambdaFunctionURLEvent, StreamifyHandler } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECTION_REVISION } from '../../domain/projection-revision.ts';
import { LocalKeyWrapper } from '../../functions/personal-data/local-key-wrapper.ts';
import type { Services } from '../../functions/services.ts';
import {
  functionUrlEvent,
  installLambdaRuntimeGlobal,
  invokeStreaming,
  invokeWith,
  isStreamingHandler,
  PreludeReader,
} from '../support/lambda-streaming-runtime.ts';
import { projectCases } from '../support/project-cases.ts';
import { detained, withoutId } from '../support/sample-events.ts';
import { servicesOn } from '../support/test-services.ts';
import { createTestTables, type TestTables } from '../support/test-tables.ts';
import { TEST_JWT_SECRET, testToken } from '../support/tokens.ts';

/**
 * The streaming Lambda entry (functions/api/stream-handler.ts), invoked as Lambda's Node.js runtime invokes a
 * function URL in response-stream mode, against DynamoDB Local. The export's size is set by `STREAM_EXPORT_CASES`:
 * 10,000 cases by default, since DynamoDB Local takes views at only 250-550 a second on a busy two-core machine
 * (50,000 took 90 s to load and 45 s to export there); `npm run bench:stream-export` runs the full 50,000.
 */
const CASES = Number(process.env.STREAM_EXPORT_CASES ?? 10_000);
/**
 * Each case carries a long charge, so that the export (about a kilobyte a row) dwarfs what streaming holds at
 * a time (a few pages of views across the index's shards, the SDK's buffers): a handler that held the export
 * would show it in the heap.
 */
const LONG_CHARGE = { text: 'Invented charge text for a size test. '.repeat(24), article: '999, part 1' };
const PUT_CONCURRENCY = 48;
/**
 * What the process may hold above its warm baseline while it streams: a few pages of views in flight across the
 * index's shards and the SDK's buffers. The export must be well over twice this, so that holding it would show.
 */
const HEAP_BOUND = 4 * 1024 * 1024;

let db: TestTables;
let services: Services;
let handler: StreamifyHandler<LambdaFunctionURLEvent>;
let auditor: Record<string, string>;
let seed: NonNullable<Awaited<ReturnType<Services['views']['get']>>>;
const savedEnv = { ...process.env };

// A forced collection before each heap sample, so the samples measure what is held, not garbage not yet swept.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;
const liveHeap = () => {
  collectGarbage();
  return getHeapStatistics().used_heap_size;
};

const bulkId = (n: number) => `bulk-${String(n).padStart(6, '0')}`;

beforeAll(async () => {
  db = await createTestTables('stream-export');
  const masterKey = randomBytes(32);
  Object.assign(process.env, {
    LEDGER_TABLE: db.tables.ledger,
    VIEWS_TABLE: db.tables.views,
    KEYS_TABLE: db.tables.keys,
    DYNAMODB_ENDPOINT: db.endpoint,
    AUTH_MODE: 'jwt-secret',
    LEDGER_JWT_SECRET: TEST_JWT_SECRET,
    KEY_WRAPPING: 'local',
    LEDGER_MASTER_KEY: masterKey.toString('base64'),
  });
  installLambdaRuntimeGlobal();
  ({ handler } = await import('../../functions/api/stream-handler.ts'));
  services = servicesOn(db, { keyWrapper: new LocalKeyWrapper(masterKey) });
  auditor = { authorization: `Bearer ${await testToken(['viewer', 'recorder', 'auditor'], { pii: true })}` };

  // One case opened through the streaming handler itself, then projected; its view is the pattern of the rest.
  const opened = await invokeStreaming(
    handler,
    functionUrlEvent(
      'POST',
      '/cases',
      { ...auditor, 'content-type': 'application/json' },
      JSON.stringify({
        caseId: 'seed-case',
        subject: { name: 'Test Person Seed', nationality: 'Utopia' },
        groupId: 'g-stream',
        events: [withoutId(detained('2025-06-30'))],
      }),
    ),
  );
  expect(opened.statusCode, opened.body).toBe(201);
  await projectCases(services, 'seed-case');
  const stored = await services.views.get('seed-case', { timeline: true });
  if (!stored?.timeline) throw new Error('the seed case has no stored view');
  seed = stored;
  const { view, timeline } = stored;

  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: PUT_CONCURRENCY }, async () => {
      for (let n = next++; n < CASES; n = next++) {
        await services.views.put(
          { view: { ...view, caseId: bulkId(n), charges: [LONG_CHARGE] }, timeline, projectedAt: new Date() },
          PROJECTION_REVISION,
        );
      }
    }),
  );
  console.info(`loaded ${CASES} case views in ${Math.round(performance.now() - started)} ms`);
}, 600_000);

afterAll(async () => {
  process.env = savedEnv;
  delete (globalThis as { awslambda?: unknown }).awslambda;
  await db?.drop();
});

describe('the streaming Lambda handler (function URL, response stream)', () => {
  it('is marked for the runtime as a streaming handler', () => {
    expect(isStreamingHandler(handler)).toBe(true);
  });

  it(`streams GET /cases.csv of ${CASES} cases row by row, reading on after the first bytes are out, in bounded memory`, async () => {
    // A first, empty export loads and compiles everything the export runs, so the baseline already holds it.
    const warmUp = await invokeStreaming(
      handler,
      functionUrlEvent('GET', '/cases.csv?nationality=Nowhere', auditor),
    );
    expect(warmUp.body.trim().split('\n')).toHaveLength(1);
    const baseline = liveHeap();
    let peak = 0;
    let rows = 0;
    let bodyBytes = 0;
    let writes = 0;
    let lastId = '';
    let outOfOrder = 0;
    let partial = '';
    let lateCasePut: Promise<boolean> | undefined;
    const reader = new PreludeReader((bytes) => {
      writes += 1;
      bodyBytes += bytes.length;
      // A case added once the first bytes are out sorts after every other: it is in the export only if the
      // handler was still reading pages after it had begun to answer.
      lateCasePut ??= services.views.put(
        { view: { ...seed.view, caseId: 'late-case' }, timeline: seed.timeline!, projectedAt: new Date() },
        PROJECTION_REVISION,
      );
      const lines = (partial + bytes.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        const id = line.slice(0, line.indexOf(','));
        if (id === 'caseId' || id === 'seed-case') continue;
        if (id <= lastId) outOfOrder += 1;
        lastId = id;
        rows += 1;
      }
      if (writes % 5 === 0) peak = Math.max(peak, liveHeap() - baseline);
    });

    await invokeWith(handler, functionUrlEvent('GET', '/cases.csv', auditor), (bytes) => reader.push(bytes));
    await lateCasePut;

    expect(reader.prelude?.statusCode).toBe(200);
    expect(reader.prelude?.headers['content-type']).toMatch(/^text\/csv/);
    expect(partial).toBe('');
    expect(outOfOrder).toBe(0);
    expect(rows).toBe(CASES + 1);
    expect(lastId).toBe('late-case');
    // The body arrived in many writes, not in one buffered piece.
    expect(writes).toBeGreaterThan(CASES / 200);
    console.info(`exported ${bodyBytes} bytes in ${writes} writes; live heap grew at most ${peak} bytes`);
    // What the process holds while streaming stays under a bound far below the export's size.
    expect(bodyBytes).toBeGreaterThan(2 * HEAP_BOUND);
    expect(peak).toBeLessThan(HEAP_BOUND);
  }, 600_000);

  it('streams a case history as NDJSON', async () => {
    const answer = await invokeStreaming(
      handler,
      functionUrlEvent('GET', '/cases/seed-case/events.ndjson', auditor),
    );
    expect(answer.statusCode).toBe(200);
    expect(answer.headers['content-type']).toMatch(/^application\/x-ndjson/);
    const events = answer.body
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; version: number });
    expect(events.map((event) => event.type)).toEqual(['CaseOpened', 'Detained']);
  });

  it('answers a bad request with a problem, not a stream', async () => {
    const answer = await invokeStreaming(
      handler,
      functionUrlEvent('GET', '/cases.csv?sort=sideways', auditor),
    );
    expect(answer.statusCode).toBe(400);
    expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(answer.body)).toMatchObject({ status: 400 });
  });

  it('refuses a caller without a token', async () => {
    const answer = await invokeStreaming(handler, functionUrlEvent('GET', '/cases.csv', {}));
    expect(answer.statusCode).toBe(401);
    expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('answers an unknown case with a problem', async () => {
    const answer = await invokeStreaming(
      handler,
      functionUrlEvent('GET', '/cases/no-such-case/events.ndjson', auditor),
    );
    expect(answer.statusCode).toBe(404);
    expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
  });
});
