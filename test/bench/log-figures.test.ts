import { describe, expect, it } from 'vitest';
import { FULL_SIZES, QUICK_SIZES } from '../../local/bench/bench-sizes.ts';
import { defaultFamilies, families } from '../../local/bench/comparison.ts';
import { type LogFigures, logComparisons } from '../../local/bench/log-report.ts';
import { summarize } from '../../local/bench/measure.ts';
import { comparisonTable } from '../../local/bench/report-table.ts';

const load = { started: 100, skipped: 0, errors: 0, perSecond: 20 };

/** 100 appends at 20/s, lags 100 … 400 ms; raw step transactions of 20 ms each. */
const figures: LogFigures = {
  events: 100,
  perSecond: 20,
  run: {
    lag: summarize(Array.from({ length: 100 }, (_, i) => 100 + 3 * i)),
    eventsPerSecond: 19.5,
    unseen: 0,
    load,
  },
  burstPerSecond: 200,
  burst: { lag: summarize([900, 1000, 1100]), eventsPerSecond: 80, unseen: 0, load },
  raw: summarize([20, 20, 20, 20]),
  rawEvents: 49,
};

describe('the log family', () => {
  const rows = logComparisons(figures);
  const byId = new Map(rows.map((row) => [row.id, row]));

  it('is a family of its own, run by default with small sizes', () => {
    expect(families).toContain('log');
    expect(defaultFamilies).toContain('log');
    expect(FULL_SIZES.logEvents).toBeLessThanOrEqual(1000);
    expect(QUICK_SIZES.logEvents).toBeLessThan(FULL_SIZES.logEvents);
    expect(rows.every((row) => row.family === 'log')).toBe(true);
  });

  it('gives the lag to publication beside one raw transaction of a full step', () => {
    expect(byId.get('log.lag.p50')).toMatchObject({ unit: 'ms', better: 'lower', raw: 20 });
    expect(byId.get('log.lag.max')).toMatchObject({ ledger: 397, raw: 20, ratio: 397 / 20 });
    expect(byId.get('log.lag.p95')?.rawOf).toBe('TransactWriteItems of 99 items (one step of 49 events)');
  });

  it('gives the events integrated a second beside what raw step transactions commit', () => {
    // 49 events per 20 ms transaction: 2,450 a second.
    expect(byId.get('log.events-per-second')).toMatchObject({
      ledger: 19.5,
      raw: 2450,
      better: 'higher',
      ratio: 19.5 / 2450,
    });
  });

  it('gives what the log keeps up with when appends come as fast as they can', () => {
    expect(byId.get('log.burst.events-per-second')).toMatchObject({ ledger: 80, raw: 2450 });
    expect(byId.get('log.burst.lag.p95')).toMatchObject({ ledger: 1100, raw: 20 });
  });

  it('has no ratio when no raw transaction was timed, rather than a division by zero', () => {
    const none = logComparisons({ ...figures, raw: summarize([]) });
    expect(none.find((row) => row.id === 'log.events-per-second')?.ratio).toBeNull();
  });

  it('prints one row per figure in the report table', () => {
    expect(comparisonTable(rows).split('\n')).toHaveLength(2 + rows.length);
  });
});
