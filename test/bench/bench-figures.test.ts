import { describe, expect, it } from 'vitest';
import { type Comparison, compare, judgeGoals } from '../../local/bench/comparison.ts';
import { alternate, percentile, summarize } from '../../local/bench/measure.ts';
import { coresBusy, cpuSampler, processCpuMs } from '../../local/bench/process-cpu.ts';
import {
  comparisonTable,
  coresTable,
  cpuTable,
  formatNumber,
  goalTable,
} from '../../local/bench/report-table.ts';

function rate(id: string, ledger: number, raw: number): Comparison {
  return compare({
    family: id.split('.')[0] as Comparison['family'],
    id,
    name: id,
    unit: 'req/s',
    better: 'higher',
    ledger,
    ledgerOf: 'ledger',
    raw,
    rawOf: 'raw',
  });
}

describe('percentiles', () => {
  it('takes the nearest rank: the smallest value that at least p % of the values do not exceed', () => {
    const sorted = Array.from({ length: 100 }, (_, index) => index + 1);
    expect(percentile(sorted, 50)).toBe(50);
    expect(percentile(sorted, 95)).toBe(95);
    expect(percentile(sorted, 99)).toBe(99);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });

  it('summarizes samples given in any order', () => {
    expect(summarize([3, 1, 2, 4])).toEqual({ count: 4, mean: 2.5, p50: 2, p95: 4, p99: 4, max: 4 });
  });
});

describe('comparisons', () => {
  it('compute the ratio as ledger ÷ raw, and none against a raw figure of zero', () => {
    expect(rate('append.api.1.c8', 40, 100).ratio).toBe(0.4);
    expect(rate('append.api.1.c8', 40, 0).ratio).toBeNull();
  });

  it('judge the goals of the issue on the figures measured, and leave the others unjudged', () => {
    const goals = judgeGoals([rate('append.api.1.c8', 60, 100)]);
    expect(goals.find((goal) => goal.id === 'append-api-c8')).toMatchObject({ actual: 0.6, met: true });
    expect(goals.find((goal) => goal.id === 'case-view-c8')).toMatchObject({ actual: null, met: null });
  });

  it('judge growth on the append latency at the longest stream over that at the shortest', () => {
    const latency = (events: number, ms: number) =>
      compare({
        family: 'growth',
        id: `growth.append.${events}`,
        name: `${events}`,
        unit: 'ms',
        better: 'lower',
        ledger: ms,
        ledgerOf: 'ledger',
        raw: 1,
        rawOf: 'raw',
        detail: { events },
      });
    const goals = judgeGoals([latency(1, 10), latency(100, 11), latency(10_000, 14)]);
    expect(goals.find((goal) => goal.id === 'append-growth')).toMatchObject({ actual: 1.4, met: false });
  });
});

describe('tables', () => {
  it('print one Markdown row per comparison, with both figures and the ratio', () => {
    const table = comparisonTable([rate('read.view.api.c8', 500, 1000)]);
    expect(table.split('\n')).toHaveLength(3);
    expect(table).toContain('| read | read.view.api.c8 | 500 req/s (ledger) | 1,000 req/s (raw) | 0.50 |');
  });

  it('mark a missed goal, and one not measured', () => {
    const table = goalTable(judgeGoals([rate('append.api.1.c8', 10, 100)]));
    expect(table).toContain('| 0.100 | **no** |');
    const justShort = goalTable(judgeGoals([rate('read.view.api.c8', 597, 1000)]));
    expect(justShort).toContain('| ≥ 0.6 | 0.597 | **no** |');
    expect(table).toContain('| not measured | – |');
  });

  it('round figures to about three significant digits', () => {
    expect([formatNumber(1234.5), formatNumber(12.345), formatNumber(0.1234)]).toEqual([
      '1,235',
      '12.3',
      '0.12',
    ]);
  });
});

describe('CPU per operation', () => {
  it("splits each contender's CPU by process, counting what its rounds left to settle but not the client waiting", async () => {
    // A fake sampler: the "runtime" burns 6 ms for each operation, and 4 ms more while a round settles.
    let runtime = 0;
    let client = 0;
    const results = await alternate(
      {
        busy: {
          operation: async () => {
            runtime += 6;
            client += 1;
          },
          settle: async () => {
            runtime += 4;
            client += 100;
          },
        },
      },
      { concurrency: 1, roundMs: 20, rounds: 2, warmupMs: 0, cpu: () => ({ client, runtime }) },
    );
    const { operations, cpuMsPerOperation } = results.busy;
    expect(operations).toBeGreaterThan(0);
    expect(cpuMsPerOperation?.runtime).toBeCloseTo(6 + (2 * 4) / operations);
    // Only the rounds' own client time: 1 ms per operation, none of the 100 ms spent settling.
    expect(cpuMsPerOperation?.client).toBeCloseTo(1);
  });

  it("reads a process's CPU time from /proc, and nothing for a process that is not there", () => {
    const own = processCpuMs(process.pid);
    expect(own).toBeGreaterThan(0);
    expect(processCpuMs(2 ** 22 + 17)).toBeUndefined();
    expect(Object.keys(cpuSampler({ gone: 2 ** 22 + 17, self: process.pid })()).sort()).toEqual([
      'client',
      'self',
    ]);
  });

  it('tabulate the measurements at one concurrency, each raw operation once, with the total', () => {
    const measured = (id: string, ledgerOf: string, rawOf: string, ledgerCpu: number) =>
      compare({
        family: 'read',
        id,
        name: id,
        unit: 'req/s',
        better: 'higher',
        ledger: 1,
        ledgerOf,
        raw: 1,
        rawOf,
        detail: {
          ledger: { cpuMsPerOperation: { client: 0.5, runtime: ledgerCpu, dynamodb: 1 } },
          raw: { cpuMsPerOperation: { client: 1, dynamodb: 1.5 } },
        },
      });
    const table = cpuTable([
      measured('read.view.api.c8', 'GET', 'GetItem', 2),
      measured('read.view.store.c8', 'ViewStore.get', 'GetItem', 0),
      measured('read.view.api.c1', 'GET at c=1', 'GetItem', 9),
    ]);
    expect(table.split('\n')).toEqual([
      '| family | operation | client (benchmark) | local runtime (API + projector) | DynamoDB Local | total |',
      '| --- | --- | ---: | ---: | ---: | ---: |',
      '| read | GET | 0.50 | 2.00 | 1.00 | 3.50 |',
      '| read | GetItem | 1.00 | – | 1.50 | 2.50 |',
      '| read | ViewStore.get | 0.50 | 0.00 | 1.00 | 1.50 |',
    ]);
    expect(cpuTable([rate('read.view.api.c8', 1, 1)])).toBe('');
  });

  it('count the cores each process kept busy over a stretch of wall time, leaving out one not sampled at the start', () => {
    const cores = coresBusy(
      { client: 100, runtime: 1_000 },
      { client: 400, runtime: 6_000, dynamodb: 9 },
      5_000,
    );
    expect(cores).toEqual({ client: 0.06, runtime: 1 });
    expect(coresBusy({ client: 1 }, { client: 2 }, 0)).toEqual({});
  });

  it('tabulate how busy the machine was under each steady load, once per rate, with the total', () => {
    const lag = (rate: number, percentile: string, cores?: Record<string, number>) =>
      compare({
        family: 'lag',
        id: `lag.${rate}.${percentile}`,
        name: `${rate} appends/s, ${percentile}`,
        unit: 'ms',
        better: 'lower',
        ledger: 10,
        ledgerOf: 'ledger',
        raw: 5,
        rawOf: 'raw',
        detail: { perSecond: rate, ledger: { ...(cores && { cores }) }, raw: {} },
      });
    const busy = { client: 0.2, runtime: 0.65, dynamodb: 1.15 };
    const table = coresTable([
      lag(200, 'p50', busy),
      lag(200, 'p95', busy),
      lag(50, 'p50', { runtime: 0.3 }),
    ]);
    expect(table.split('\n')).toEqual([
      '| family | load | client (benchmark) | local runtime (API + projector) | DynamoDB Local | total |',
      '| --- | --- | ---: | ---: | ---: | ---: |',
      '| lag | 200 appends/s through the API | 0.20 | 0.65 | 1.15 | 2.00 |',
      '| lag | 50 appends/s through the API | – | 0.30 | – | 0.30 |',
    ]);
    expect(coresTable([lag(200, 'p50')])).toBe('');
  });
});
