import { describe, expect, it } from 'vitest';
import { bestWriteUnits, capacityComparisons, capacityTable } from '../../local/bench/capacity-report.ts';
import { defaultFamilies, families, judgeGoals } from '../../local/bench/comparison.ts';
import {
  fullDigestRate,
  type ScaleQuestionId,
  type ScaleSamples,
  scaleComparisons,
  scaleQuestions,
  scaleTable,
} from '../../local/bench/scale-report.ts';

/** Samples at a size: every question takes `ms`, but `/summary`, which takes `summaryMs`. */
function at(cases: number, ms: number, summaryMs: number): ScaleSamples {
  const questions = Object.fromEntries(
    scaleQuestions.map((q) => [q.id, q.id === 'summary' ? [summaryMs, summaryMs + 1, summaryMs - 1] : [ms]]),
  ) as Record<ScaleQuestionId, number[]>;
  return { cases, questions, raw: [5, 6, 7] };
}

describe('the scale family', () => {
  it('runs only when named, as notify does: a run without --only measures every other family', () => {
    expect(families).toContain('scale');
    expect(defaultFamilies).toEqual(families.filter((family) => family !== 'scale' && family !== 'notify'));
  });

  const comparisons = scaleComparisons([at(1000, 40, 300), at(10_000, 50, 3000), at(100_000, 60, 30_000)]);

  it('keeps one row per question and size: the median, beside the median raw page', () => {
    expect(comparisons).toHaveLength(3 * scaleQuestions.length);
    const summary = comparisons.find((c) => c.id === 'scale.summary.10000');
    expect(summary).toMatchObject({ ledger: 3000, raw: 6, ratio: 500, unit: 'ms' });
  });

  it("judges each question's growth from the smallest size to the largest against 2×", () => {
    const goals = judgeGoals(comparisons);
    expect(goals.find((g) => g.id === 'scale-growth-summary')).toMatchObject({ actual: 100, met: false });
    expect(goals.find((g) => g.id === 'scale-growth-cases')).toMatchObject({ actual: 1.5, met: true });
  });

  it('prints sizes down and questions across, the growth under them marked met or not', () => {
    const lines = scaleTable(comparisons).split('\n');
    expect(lines).toHaveLength(2 + 3 + 1 + 2);
    expect(lines[0]).toContain('`GET /summary`');
    expect(lines[2]).toMatch(/^\| 1,000 \| 300 ms \|/);
    expect(lines[5]).toMatch(/^\| growth 1,000 → 100,000 \(goal ≤ 2×\) \| 100\.0× \(\*\*not met\*\*\) \|/);
    expect(lines[5]).toContain('1.5× (met)');
  });

  it('holds a full digest not to the growth goal but says its rate and the time it gives at 10⁶, as extrapolated', () => {
    expect(judgeGoals(comparisons).find((g) => g.id === 'scale-growth-digest-full')).toBeUndefined();
    expect(judgeGoals(comparisons).find((g) => g.id === 'scale-growth-digest-incremental')).toBeDefined();
    // 100,000 cases in 60 ms: 1,666,667 cases/s, so 10⁶ cases in 0.6 s, 0.0 min.
    const rate = fullDigestRate(comparisons);
    expect(rate).toMatchObject({ cases: 100_000 });
    expect(rate!.extrapolatedMs).toBeCloseTo(600, 6);
    const slow = fullDigestRate(scaleComparisons([at(10_000, 20_000, 1)]));
    expect(slow!.perSecond).toBe(500);
    expect(slow!.extrapolatedMs).toBe(2_000_000);
    const line = scaleTable(scaleComparisons([at(10_000, 20_000, 1)]))
      .split('\n')
      .at(-1);
    expect(line).toBe(
      'Full digest: 500 cases/s at 10,000 cases; at 1,000,000 cases that rate gives 33.3 min (extrapolated, not ' +
        'measured; a run that needs longer than one invocation saves its progress and is continued).',
    );
  });

  it('prints nothing when the family did not run', () => {
    expect(scaleTable([])).toBe('');
    expect(capacityTable([])).toBe('');
  });
});

describe('capacity units of an append', () => {
  const step = {
    id: 'open',
    name: 'opening a case',
    reported: {
      units: [
        { table: 'ledger', index: 'table', readUnits: 0, writeUnits: 2 },
        { table: 'keys', index: 'table', readUnits: 1, writeUnits: 1 },
      ],
      requests: { TransactWriteItemsCommand: 1, PutItemCommand: 1 },
      unreported: [],
    },
    computed: [{ table: 'ledger', index: 'table', writeUnits: 6, of: '3 events (TransactWriteItems)' }],
    floor: 3,
    floorOf: 'the events alone',
  };

  it('count the computed units where there are any, and the reported ones elsewhere', () => {
    expect(bestWriteUnits(step)).toBe(6 + 1);
    const [row] = capacityComparisons([step]);
    expect(row).toMatchObject({ ledger: 7, raw: 3, unit: 'WCU' });
  });

  it('show what was reported and what was computed side by side, and say which is which', () => {
    const table = capacityTable(capacityComparisons([step]));
    expect(table).toContain('| opening a case | ledger · table | 0.00 | 2.00 | 6.00 | 6.00 |');
    expect(table).toContain('| opening a case | keys · table | 1.00 | 1.00 | – | 1.00 |');
    expect(table).toContain('computed covers 3 events (TransactWriteItems)');
  });
});
