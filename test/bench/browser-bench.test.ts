import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BenchRuntime, startBenchRuntime } from '../../local/bench/bench-runtime.ts';
import { QUICK_SIZES } from '../../local/bench/bench-sizes.ts';
import { type BenchTarget, createBenchTarget } from '../../local/bench/bench-target.ts';
import { benchBrowser, FIRST_LOAD_BUDGET_BYTES } from '../../local/bench/browser-bench.ts';
import { type Comparison, judgeGoals } from '../../local/bench/comparison.ts';

// The browser family at a small size, against the system `npm run bench` measures: what it reports, not how fast.
let runtime: BenchRuntime;
let target: BenchTarget;
let figures: Comparison[];

beforeAll(async () => {
  runtime = await startBenchRuntime();
  target = await createBenchTarget(runtime, { log: () => {} });
  figures = await benchBrowser(target, { ...QUICK_SIZES, browserCases: 12, browserLoads: 1 });
}, 240_000);

afterAll(async () => {
  target?.clients.client.destroy();
  await runtime?.stop();
});

describe('the browser family', () => {
  it("adds up the gzip of every script the board's first load fetched, against the 300 KB budget", () => {
    const total = figures.find((figure) => figure.id === 'browser.first-load.js');
    const files = figures.filter((figure) => figure.id.startsWith('browser.first-load.js.'));
    expect(total).toMatchObject({ unit: 'bytes', raw: FIRST_LOAD_BUDGET_BYTES });
    // The entry, and the chart's chunk that the board fetches once its series has come.
    expect(files.map((file) => file.name).join(' ')).toMatch(/\/app\/assets\/index-/);
    expect(files.map((file) => file.name).join(' ')).toMatch(/\/app\/assets\/HeldChart-/);
    expect(files.reduce((sum, file) => sum + file.ledger, 0)).toBe(total?.ledger);
    for (const file of files) expect(file.ledger).toBeGreaterThan(0);
    const goal = judgeGoals(figures).find((judged) => judged.id === 'browser-first-load-js');
    expect(goal).toMatchObject({ actual: (total?.ledger ?? 0) / 1024, unit: 'KB', target: '≤ 300 KB' });
  });

  it("times the board until it shows the group's cases, beside the API calls it waits for", () => {
    const shown = figures.find((figure) => figure.id === 'browser.board.12');
    expect(shown).toMatchObject({ unit: 'ms', better: 'lower', detail: { cases: 12 } });
    expect(shown?.ledger).toBeGreaterThan(0);
    expect(shown?.raw).toBeGreaterThan(0);
    expect(shown?.ratio).toBe((shown?.ledger ?? 0) / (shown?.raw ?? 1));
  });
});
