import { writeFile } from 'node:fs/promises';
import type { BenchSizes } from './bench-sizes.ts';
import type { Comparison, Family, Goal } from './comparison.ts';
import type { MachineInfo } from './machine.ts';

/** What one run found: written to `bench-results.json`, and rendered into the tables of `docs/benchmarks.md`. */
export interface BenchResults {
  /** The command that ran, e.g. `npm run bench`. */
  readonly command: string;
  readonly startedAt: string;
  readonly durationSeconds: number;
  readonly machine: MachineInfo;
  /** `full`, or `quick` for a smoke run whose figures are not to be quoted. */
  readonly mode: 'full' | 'quick';
  readonly sizes: BenchSizes;
  readonly families: readonly Family[];
  readonly comparisons: readonly Comparison[];
  readonly goals: readonly Goal[];
}

/** Writes the results as indented JSON. */
export async function writeResults(file: string, results: BenchResults): Promise<void> {
  await writeFile(file, `${JSON.stringify(results, null, 2)}\n`, 'utf8');
}
