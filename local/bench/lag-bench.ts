import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { type BenchChild, startTsxChild } from './bench-child.ts';
import { visitAt } from './bench-events.ts';
import type { BenchSizes } from './bench-sizes.ts';
import type { BenchTarget } from './bench-target.ts';
import { type Comparison, compare } from './comparison.ts';
import { LagWatcher } from './lag-watcher.ts';
import { type LatencySummary, type SteadyLoadResult, steadyLoad, summarize } from './measure.ts';
import { eventItemTemplate } from './raw-tables.ts';

/** How long to wait, after the load, for the last versions to show up before counting them as never seen. */
const DRAIN_MS = 30_000;

/** One pipeline's lags under a steady load. */
interface LagRun {
  readonly latency: LatencySummary;
  readonly load: SteadyLoadResult;
  /** Writes whose version had not shown up when the drain timed out. */
  readonly unseen: number;
  /** Writes timed by a later version their item already showed when the watcher looked (an upper bound). */
  readonly overtaken: number;
}

interface Pipeline {
  readonly tableName: string;
  readonly madeAtAttribute: string;
  readonly madeAt: (value: unknown) => number;
}

/** The system's: the projector records when it folded a view in `projectedAt` (ISO), just before writing it. */
const VIEWS_PIPELINE = (target: BenchTarget): Pipeline => ({
  tableName: target.tables.views,
  madeAtAttribute: 'projectedAt',
  madeAt: (value) => Date.parse(String(value)),
});

/** The raw one: the raw reader records `markedAt` (epoch ms) just before writing its mark. */
const RAW_PIPELINE = (target: BenchTarget): Pipeline => ({
  tableName: target.raw.marks,
  madeAtAttribute: 'markedAt',
  madeAt: Number,
});

async function measure(
  target: BenchTarget,
  sizes: BenchSizes,
  pipeline: Pipeline,
  rate: number,
  write: (index: number) => Promise<{ caseId: string; version: number }>,
): Promise<LagRun> {
  const watcher = new LagWatcher({
    documents: target.clients.documents,
    pollMs: sizes.watchPollMs,
    ...pipeline,
  });
  watcher.start();
  try {
    const load = await steadyLoad(
      async (index) => {
        const { caseId, version } = await write(index);
        watcher.expect(caseId, version, Date.now());
      },
      {
        perSecond: rate,
        durationMs: sizes.lagMs,
        maxInFlight: 256,
        ...(target.signal && { signal: target.signal }),
      },
    );
    const unseen = await watcher.drain(DRAIN_MS, target.signal);
    return { latency: summarize(watcher.lags), load, unseen, overtaken: watcher.overtaken };
  } finally {
    await watcher.stop();
  }
}

/** Starts the raw reader in its own process and waits until it reads the raw stream. */
async function startRawReader(target: BenchTarget): Promise<BenchChild> {
  const reader = startTsxChild(
    'local/bench/raw-stream-reader.ts',
    [target.endpoint, target.raw.stream, target.raw.marks],
    {},
  );
  try {
    await reader.line((line) => line === 'ready');
    return reader;
  } catch (error) {
    await reader.stop();
    throw error;
  }
}

/**
 * The raw pipeline's reader is a process started after the system's warm-up: it is kept busy at the top rate
 * for a few seconds, untimed, so that the raw side is measured as warm as the ledger's.
 */
async function warmRawPipeline(target: BenchTarget, sizes: BenchSizes, template: Record<string, unknown>) {
  const durationMs = Math.min(5000, sizes.systemWarmupMs);
  if (durationMs <= 0) return;
  const run = `warm-up-${Date.now().toString(36)}`;
  await steadyLoad(
    (index) =>
      target.clients.documents.send(
        new PutCommand({
          TableName: target.raw.stream,
          Item: { ...template, streamId: `${run}-${index % 100}`, version: index + 1 },
        }),
      ),
    { perSecond: Math.max(...sizes.lagRates), durationMs, maxInFlight: 256 },
  );
}

function reportTrouble(target: BenchTarget, name: string, run: LagRun): void {
  if (run.unseen > 0 || run.load.errors > 0 || run.load.skipped > 0) {
    target.log(
      `  ${name}: ${run.unseen} never seen, ${run.load.errors} failed, ${run.load.skipped} not started ` +
        `(first error: ${run.load.firstError ?? 'none'})`,
    );
  }
}

/**
 * Family 3: projection lag under a steady load — from the answer to an append (through the HTTP API) until the
 * view shows its version — beside the raw pipeline's lag from a `PutItem`'s answer until a raw stream reader
 * has marked it. Both readers run in processes of their own and poll their streams with the local poller's
 * defaults, so the raw lag is the floor that the stream and the poller set.
 */
export async function benchLag(target: BenchTarget, sizes: BenchSizes): Promise<Comparison[]> {
  const [templateCase] = await target.openCases('lag-template', 1);
  const templateVersion = await target.appendVisits(templateCase!, 1);
  const template = await eventItemTemplate(
    target.clients.documents,
    target.tables.ledger,
    templateCase!,
    templateVersion,
  );
  const rawReader = await startRawReader(target);
  const comparisons: Comparison[] = [];
  try {
    await warmRawPipeline(target, sizes, template);
    for (const rate of sizes.lagRates) {
      if (target.signal?.aborted) break;
      // Each case is appended to about once a second, as many independent cases are.
      const caseIds = await target.openCases(`lag${rate}`, Math.max(10, rate));
      await target.projected();
      target.log(`lag: ${rate} appends/s for ${sizes.lagMs / 1000} s, through the API, then raw`);
      const ledger = await measure(target, sizes, VIEWS_PIPELINE(target), rate, async (index) => {
        const caseId = caseIds[index % caseIds.length]!;
        const version = await target.api.append(caseId, [visitAt(new Date(Date.now() - 1000))]);
        return { caseId, version };
      });
      await target.projected();
      const run = Date.now().toString(36);
      const raw = await measure(target, sizes, RAW_PIPELINE(target), rate, async (index) => {
        const caseId = `lag${rate}-${run}-${index % caseIds.length}`;
        const version = index + 1;
        await target.clients.documents.send(
          new PutCommand({ TableName: target.raw.stream, Item: { ...template, streamId: caseId, version } }),
        );
        return { caseId, version };
      });
      reportTrouble(target, 'ledger', ledger);
      reportTrouble(target, 'raw', raw);
      for (const p of ['p50', 'p95', 'p99'] as const) {
        comparisons.push(
          compare({
            family: 'lag',
            id: `lag.${rate}.${p}`,
            name: `${rate} appends/s, ${p}`,
            unit: 'ms',
            better: 'lower',
            ledger: ledger.latency[p],
            ledgerOf: 'append answered → view shows it',
            raw: raw.latency[p],
            rawOf: 'PutItem answered → stream reader’s mark shows it',
            detail: { perSecond: rate, ledger, raw },
          }),
        );
      }
    }
  } finally {
    await rawReader.stop();
  }
  return comparisons;
}
