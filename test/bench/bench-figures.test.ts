import { describe, expect, it } from 'vitest';
import { type Comparison, compare, judgeGoals } from '../../local/bench/comparison.ts';
import { alternate, percentile, summarize } from '../../local/bench/measure.ts';
import { comparisonTable, formatNumber, goalTable } from '../../local/bench/report-table.ts';

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

  it('judge the goals on the figures measured, and leave the others unjudged', () => {
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

describe('side-by-side measurement', () => {
  it('gives each contender a turn per round, a different one first each round, settling each after its round', async () => {
    const seen: string[] = [];
    const contender = (name: string) => ({
      operation: async () => {
        if (seen.at(-1) !== name) seen.push(name);
        await new Promise((resolve) => setTimeout(resolve, 1));
      },
      settle: async () => {
        seen.push(`${name} settled`);
      },
    });
    const results = await alternate(
      { a: contender('a'), b: contender('b') },
      { concurrency: 1, roundMs: 10, rounds: 2, warmupMs: 0 },
    );
    // The untimed warm-up of each, then round 1 from `a`, round 2 from `b`.
    expect(seen.filter((step) => step.endsWith('settled'))).toEqual([
      'a settled',
      'b settled',
      'a settled',
      'b settled',
      'b settled',
      'a settled',
    ]);
    expect(results.a.operations).toBeGreaterThan(0);
    expect(results.b.errors).toBe(0);
  });
});
