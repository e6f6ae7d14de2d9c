import { performance } from 'node:perf_hooks';
import { benchAppend } from './append-bench.ts';
import { REPO_ROOT } from './bench-child.ts';
import type { BenchResults } from './bench-results.ts';
import { startBenchRuntime } from './bench-runtime.ts';
import type { BenchSizes } from './bench-sizes.ts';
import { type BenchTarget, createBenchTarget } from './bench-target.ts';
import { benchBrowser } from './browser-bench.ts';
import { benchBundles } from './bundle-bench.ts';
import { type Comparison, type Family, families, judgeGoals } from './comparison.ts';
import { benchGrowth } from './growth-bench.ts';
import { benchLag } from './lag-bench.ts';
import { benchLog } from './log-bench.ts';
import { describeMachine } from './machine.ts';
import { benchNotify } from './notify-bench.ts';
import { benchRead } from './read-bench.ts';
import { benchRebuild } from './rebuild-bench.ts';
import { benchScale } from './scale-bench.ts';
import { warmUp } from './warm-up.ts';

export interface RunOptions {
  readonly command: string;
  readonly mode: 'full' | 'quick';
  readonly sizes: BenchSizes;
  /** The families to run, in the order of `families`. */
  readonly only: readonly Family[];
  readonly log: (message: string) => void;
  readonly signal?: AbortSignal;
}

/** The families that measure the running system, in the order they run. */
const againstRuntime: Record<
  Exclude<Family, 'bundle'>,
  (target: BenchTarget, sizes: BenchSizes) => Promise<Comparison[]>
> = {
  append: benchAppend,
  read: benchRead,
  lag: benchLag,
  log: benchLog,
  growth: benchGrowth,
  scale: benchScale,
  rebuild: benchRebuild,
  notify: benchNotify,
  browser: benchBrowser,
};

/**
 * Runs one family against a system of its own: a fresh DynamoDB Local and local runtime, stopped afterwards.
 * A family's figures then never depend on what ran before it (DynamoDB Local was seen to slow down several
 * fold, its one SQLite thread busy describing streams, a few minutes into a run that kept one instance), and
 * `--only` gives the figures a whole run gives.
 */
async function onFreshSystem(family: Exclude<Family, 'bundle'>, options: RunOptions): Promise<Comparison[]> {
  const runtime = await startBenchRuntime();
  try {
    options.log(
      `${family}: DynamoDB Local at ${runtime.dynamodbEndpoint}, the local runtime at ${runtime.apiUrl}`,
    );
    const target = await createBenchTarget(runtime, {
      log: options.log,
      ...(options.signal && { signal: options.signal }),
    });
    try {
      await warmUp(target, options.sizes.systemWarmupMs);
      return await againstRuntime[family](target, options.sizes);
    } finally {
      target.clients.client.destroy();
    }
  } finally {
    await runtime.stop();
  }
}

/**
 * Runs the chosen families, each against a fresh system, then the bundles (which need no system, and measure
 * best with none running).
 */
export async function runBench(options: RunOptions): Promise<BenchResults> {
  const startedAt = new Date();
  const begin = performance.now();
  const machine = describeMachine();
  const chosen = families.filter((family) => options.only.includes(family));
  const comparisons: Comparison[] = [];
  for (const family of chosen) {
    if (family === 'bundle' || options.signal?.aborted) continue;
    comparisons.push(...(await onFreshSystem(family, options)));
  }
  if (chosen.includes('bundle') && !options.signal?.aborted) {
    comparisons.push(...(await benchBundles(REPO_ROOT, options.sizes, options.log)));
  }
  return {
    command: options.command,
    startedAt: startedAt.toISOString(),
    durationSeconds: Math.round((performance.now() - begin) / 100) / 10,
    machine,
    mode: options.mode,
    sizes: options.sizes,
    families: chosen,
    comparisons,
    goals: judgeGoals(comparisons),
  };
}
