/** How much of everything a run measures: the full run stays under ten minutes on a 2-core machine. */
export interface BenchSizes {
  /** How long each fresh system is kept busy, untimed, before its family measures it (see `warm-up.ts`). */
  readonly systemWarmupMs: number;
  /** Each contender of a side-by-side measurement runs this long per round … */
  readonly roundMs: number;
  /** … this many rounds, alternating with the others, after an untimed warm-up. */
  readonly rounds: number;
  readonly warmupMs: number;
  readonly appendEvents: readonly number[];
  readonly appendConcurrency: readonly number[];
  readonly readConcurrency: readonly number[];
  /** Events per history page, and so items per raw `Query`. */
  readonly historyPage: number;
  /**
   * Steady appends per second for the projection lag: the goals' 50 and 200, and 20, which this machine's local
   * runtime sustains with room to spare, for the lag without a backlog.
   */
  readonly lagRates: readonly number[];
  readonly lagMs: number;
  /** How often the lag watchers look at the views (the lag is read from the items, not from when they are seen). */
  readonly watchPollMs: number;
  /** Stream lengths of the growth measurement. */
  readonly growthEvents: readonly number[];
  /** Appends (and projections) timed at each length. */
  readonly growthSamples: number;
  /** Whole-stream folds timed at each length. */
  readonly refoldSamples: number;
  /** Cases the scale family loads, cumulatively, and times every question at (`--scale-sizes`). */
  readonly scaleCases: readonly number[];
  readonly rebuildConcurrency: number;
  /** Cases are added before the rebuild until the ledger holds this many events. */
  readonly rebuildMinEvents: number;
  /** Cases the notify family opens; every other one has an overdue visit (an open alert). */
  readonly notifyCases: number;
  /** Email subscriptions of the notify family told at once, and told in a daily digest. */
  readonly notifyImmediate: number;
  readonly notifyDaily: number;
  /** Alerts the notify family resolves at once (a visit recorded for each) before its third pass. */
  readonly notifyResolved: number;
  /** Events the log family appends through the API, and at what steady rate, each timed until published. */
  readonly logEvents: number;
  readonly logRate: number;
  /** The same number of appends offered as fast as this, to find what the log keeps up with. */
  readonly logBurstRate: number;
  /** Raw `TransactWriteItems` of one full integration step, timed beside it. */
  readonly logRawSteps: number;
  /** Fresh processes that load each bundle; the median is reported. */
  readonly bundleLoads: number;
  /** Cases of the group the board is opened on, in the browser family. */
  readonly browserCases: number;
  /** Fresh browser contexts (an empty cache each) that open the board; the median is reported. */
  readonly browserLoads: number;
}

export const FULL_SIZES: BenchSizes = {
  systemWarmupMs: 20_000,
  roundMs: 1000,
  rounds: 3,
  warmupMs: 300,
  appendEvents: [1, 10],
  appendConcurrency: [1, 8, 32],
  readConcurrency: [1, 8],
  historyPage: 100,
  lagRates: [20, 50, 200],
  lagMs: 6000,
  watchPollMs: 100,
  growthEvents: [1, 100, 1000, 10_000],
  growthSamples: 25,
  refoldSamples: 3,
  scaleCases: [1000, 10_000, 100_000],
  rebuildConcurrency: 8,
  rebuildMinEvents: 20_000,
  notifyCases: 200,
  notifyImmediate: 20,
  notifyDaily: 20,
  notifyResolved: 20,
  logEvents: 300,
  logRate: 20,
  logBurstRate: 200,
  logRawSteps: 20,
  bundleLoads: 7,
  browserCases: 1000,
  browserLoads: 3,
};

/** `--quick`: every measurement once, briefly — a smoke run, not figures to quote. */
export const QUICK_SIZES: BenchSizes = {
  ...FULL_SIZES,
  systemWarmupMs: 1000,
  roundMs: 250,
  rounds: 1,
  warmupMs: 100,
  lagMs: 1500,
  growthEvents: [1, 100, 1000],
  growthSamples: 4,
  refoldSamples: 1,
  scaleCases: [100, 1000],
  rebuildMinEvents: 2_000,
  notifyCases: 20,
  notifyImmediate: 4,
  notifyDaily: 4,
  notifyResolved: 4,
  logEvents: 40,
  logRate: 20,
  logBurstRate: 100,
  logRawSteps: 5,
  bundleLoads: 2,
  browserCases: 100,
  browserLoads: 1,
};
