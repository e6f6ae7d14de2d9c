import { type Comparison, compare } from './comparison.ts';
import type { LatencySummary, SteadyLoadResult } from './measure.ts';

/** What the log family measured: the live feed under a steady load, and raw integration-step transactions. */
export interface LogFigures {
  readonly events: number;
  readonly perSecond: number;
  readonly run: {
    /** From each append's answer until a published checkpoint covered its index. */
    readonly lag: LatencySummary;
    /** Events published ÷ seconds from the first append to the last publication. */
    readonly eventsPerSecond: number;
    /** Appends never seen published within the drain. */
    readonly unseen: number;
    readonly load: SteadyLoadResult;
  };
  /** The same appends offered as fast as `burstPerSecond` allows: what the log keeps up with. */
  readonly burstPerSecond: number;
  readonly burst: LogFigures['run'];
  /** Raw `TransactWriteItems` of one full step, back to back. */
  readonly raw: LatencySummary;
  /** Events each raw transaction stands for. */
  readonly rawEvents: number;
}

/**
 * The log family's rows: the lag to publication beside one raw transaction of a full step (the floor of the
 * step's own write), and the events integrated a second beside what raw transactions of that size commit.
 */
export function logComparisons(figures: LogFigures): Comparison[] {
  const { run, burst, raw, rawEvents } = figures;
  const rawOf = `TransactWriteItems of ${2 * rawEvents + 1} items (one step of ${rawEvents} events)`;
  const rawEventsPerSecond = raw.count > 0 && raw.mean > 0 ? rawEvents / (raw.mean / 1000) : Number.NaN;
  const detail = { perSecond: figures.perSecond, events: figures.events, run, burst, raw };
  return [
    ...(['p50', 'p95', 'max'] as const).map((p) =>
      compare({
        family: 'log',
        id: `log.lag.${p}`,
        name: `lag to publication at ${figures.perSecond} appends/s, ${p}`,
        unit: 'ms',
        better: 'lower',
        ledger: run.lag[p],
        ledgerOf: 'append answered → a published checkpoint covers its index',
        raw: raw[p],
        rawOf,
        detail,
      }),
    ),
    compare({
      family: 'log',
      id: 'log.events-per-second',
      name: `events integrated per second at ${figures.perSecond} appends/s`,
      unit: 'events/s',
      better: 'higher',
      ledger: run.eventsPerSecond,
      ledgerOf: 'events published ÷ seconds from the first append to the last publication',
      raw: rawEventsPerSecond,
      rawOf: `${rawOf}, back to back`,
      detail,
    }),
    compare({
      family: 'log',
      id: 'log.burst.events-per-second',
      name: `events integrated per second, appends offered at up to ${figures.burstPerSecond}/s`,
      unit: 'events/s',
      better: 'higher',
      ledger: burst.eventsPerSecond,
      ledgerOf: 'events published ÷ seconds from the first append to the last publication',
      raw: rawEventsPerSecond,
      rawOf: `${rawOf}, back to back`,
      detail,
    }),
    compare({
      family: 'log',
      id: 'log.burst.lag.p95',
      name: `lag to publication, appends offered at up to ${figures.burstPerSecond}/s, p95`,
      unit: 'ms',
      better: 'lower',
      ledger: burst.lag.p95,
      ledgerOf: 'append answered → a published checkpoint covers its index',
      raw: raw.p95,
      rawOf,
      detail,
    }),
  ];
}
