import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

/** Latencies of a run, in milliseconds. */
export interface LatencySummary {
  readonly count: number;
  readonly mean: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
}

/** What a run of an operation gave: how many, how fast, how long each took. */
export interface LoadResult {
  readonly operations: number;
  readonly errors: number;
  /** The time spent running the operation (the sum over rounds), in seconds. */
  readonly seconds: number;
  /** Completed operations per second of `seconds`. */
  readonly perSecond: number;
  readonly latency: LatencySummary;
  /** The first error's message, when there were errors. */
  readonly firstError?: string;
}

/** One operation; `worker` is the index of the concurrent loop running it, for per-worker keys. */
export type Operation = (worker: number) => Promise<unknown>;

/**
 * The value at percentile `p` (0–100) of ascending `sorted` values, by the nearest-rank method: the smallest
 * value that at least p % of the values are less than or equal to. `NaN` for no values.
 */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function summarize(samples: readonly number[]): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b);
  const sum = sorted.reduce((total, value) => total + value, 0);
  return {
    count: sorted.length,
    mean: sorted.length === 0 ? Number.NaN : sum / sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? Number.NaN,
  };
}

/** Raw samples of one or more rounds, before they are summarized. */
interface Tally {
  readonly latencies: number[];
  operations: number;
  errors: number;
  milliseconds: number;
  firstError?: string;
}

function newTally(): Tally {
  return { latencies: [], operations: 0, errors: 0, milliseconds: 0 };
}

function resultOf(tally: Tally): LoadResult {
  const seconds = tally.milliseconds / 1000;
  return {
    operations: tally.operations,
    errors: tally.errors,
    seconds,
    perSecond: seconds > 0 ? tally.operations / seconds : 0,
    latency: summarize(tally.latencies),
    ...(tally.firstError !== undefined && { firstError: tally.firstError }),
  };
}

export interface LoopOptions {
  /** How many operations are in flight at once: each of this many loops starts the next when one ends. */
  readonly concurrency: number;
  /** How long the loops keep starting operations. */
  readonly durationMs: number;
  /** Ends the run early (Ctrl-C): no new operation starts. */
  readonly signal?: AbortSignal;
}

/** Runs `operation` in `concurrency` closed loops for `durationMs`, adding what it saw to `tally`. */
async function runLoops(operation: Operation, options: LoopOptions, tally: Tally): Promise<void> {
  const started = performance.now();
  const deadline = started + options.durationMs;
  const loop = async (worker: number) => {
    while (performance.now() < deadline && !options.signal?.aborted) {
      const begin = performance.now();
      try {
        await operation(worker);
        tally.latencies.push(performance.now() - begin);
        tally.operations += 1;
      } catch (error) {
        tally.errors += 1;
        tally.firstError ??= error instanceof Error ? error.message : String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, (_, worker) => loop(worker)));
  tally.milliseconds += performance.now() - started;
}

/** Runs one operation in closed loops: what a client with `concurrency` connections gets. */
export async function closedLoop(operation: Operation, options: LoopOptions): Promise<LoadResult> {
  const tally = newTally();
  await runLoops(operation, options, tally);
  return resultOf(tally);
}

/** One of the operations compared by `alternate`. */
export interface Contender {
  readonly operation: Operation;
  /**
   * Called after each of its rounds, untimed: waits for the work a round leaves behind (the projector's
   * backlog), so the next round, of this contender or another, starts on a quiet system.
   */
  readonly settle?: () => Promise<void>;
}

export interface AlternateOptions {
  readonly concurrency: number;
  /** How long each round of each contender runs. */
  readonly roundMs: number;
  readonly rounds: number;
  /** An untimed run of each contender first, so connections and JIT are warm. */
  readonly warmupMs: number;
  readonly signal?: AbortSignal;
}

/**
 * Measures several operations side by side: round after round, each contender in turn (starting with another
 * one each round), so that whatever else loads the machine meanwhile falls on all of them alike. Rounds of a
 * contender are summed.
 */
export async function alternate<K extends string>(
  contenders: Record<K, Contender>,
  options: AlternateOptions,
): Promise<Record<K, LoadResult>> {
  const names = Object.keys(contenders) as K[];
  const tallies = new Map(names.map((name) => [name, newTally()]));
  const run = async (name: K, durationMs: number, tally: Tally) => {
    const contender = contenders[name];
    await runLoops(contender.operation, { ...options, durationMs }, tally);
    await contender.settle?.();
  };
  for (const name of names) await run(name, options.warmupMs, newTally());
  for (let round = 0; round < options.rounds && !options.signal?.aborted; round++) {
    // Each round starts with the next contender, so none always follows the same one (and its leftovers).
    const order = names.map((_, index) => names[(index + round) % names.length]!);
    for (const name of order) await run(name, options.roundMs, tallies.get(name)!);
  }
  return Object.fromEntries(names.map((name) => [name, resultOf(tallies.get(name)!)])) as Record<
    K,
    LoadResult
  >;
}

/** Times one call, in milliseconds. */
export async function timed(work: () => Promise<unknown>): Promise<number> {
  const begin = performance.now();
  await work();
  return performance.now() - begin;
}

export interface SteadyLoadOptions {
  /** Operations started per second, whatever the answers do (an open loop). */
  readonly perSecond: number;
  readonly durationMs: number;
  /** Past this many in flight, a scheduled start is skipped and counted, rather than queued without bound. */
  readonly maxInFlight: number;
  readonly signal?: AbortSignal;
}

export interface SteadyLoadResult {
  readonly started: number;
  readonly skipped: number;
  readonly errors: number;
  readonly firstError?: string;
  /** Starts per second actually achieved. */
  readonly perSecond: number;
}

/**
 * Starts `operation(i)` at a steady rate for a while, not waiting for answers (an open loop, as independent
 * clients do), then waits for every started one to end.
 */
export async function steadyLoad(
  operation: (index: number) => Promise<unknown>,
  options: SteadyLoadOptions,
): Promise<SteadyLoadResult> {
  const periodMs = 1000 / options.perSecond;
  const started = performance.now();
  const inFlight = new Set<Promise<unknown>>();
  let index = 0;
  let skipped = 0;
  let errors = 0;
  let firstError: string | undefined;
  for (;;) {
    const due = started + index * periodMs;
    if (due >= started + options.durationMs || options.signal?.aborted) break;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    if (inFlight.size >= options.maxInFlight) {
      skipped += 1;
    } else {
      const call = operation(index).catch((error: unknown) => {
        errors += 1;
        firstError ??= error instanceof Error ? error.message : String(error);
      });
      inFlight.add(call);
      void call.finally(() => inFlight.delete(call));
    }
    index += 1;
  }
  const elapsedSeconds = (performance.now() - started) / 1000;
  await Promise.all(inFlight);
  const count = index - skipped;
  return {
    started: count,
    skipped,
    errors,
    ...(firstError !== undefined && { firstError }),
    perSecond: elapsedSeconds > 0 ? count / elapsedSeconds : 0,
  };
}
