import type { BenchResults } from './bench-results.ts';
import type { MachineInfo } from './machine.ts';
import { comparisonTable, coresTable, cpuTable, goalTable } from './report-table.ts';

/** The README's generated part sits between these two lines; the text around it is written by hand. */
export const README_BEGIN = '<!-- bench:begin (written by `npm run bench -- --update-readme`) -->';
export const README_END = '<!-- bench:end -->';

/** The README has no markers to write between. */
export class ReadmeMarkersError extends Error {
  constructor() {
    super(`README.md has no "${README_BEGIN}" … "${README_END}" lines to write the results between`);
    this.name = 'ReadmeMarkersError';
  }
}

/** The machine in one line, e.g. `2 cores (AMD EPYC …), 8 GiB, Linux 6.8 x64, Node.js v20.20.2, …`. */
export function machineLine(machine: MachineInfo): string {
  return [
    `${machine.cores} cores (${machine.cpuModel})`,
    `${machine.memoryGiB} GiB`,
    machine.os,
    `Node.js ${machine.node}`,
    machine.java,
    `DynamoDB Local from ${machine.dynamodbLocalPackage}`,
    `load average ${machine.loadAverage.join(' / ')} at the start`,
  ].join(', ');
}

function durationText(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${Math.round(seconds - minutes * 60)} s`;
}

/** The generated part: when, where and how long, the goals, then every figure. */
export function resultsMarkdown(results: BenchResults): string {
  const lines = [
    `Latest run: ${results.startedAt.slice(0, 10)}, \`${results.command}\`${results.mode === 'quick' ? ' (quick: not figures to quote)' : ''}, ` +
      `${durationText(results.durationSeconds)}, on ${machineLine(results.machine)}.`,
    '',
    '**Goals of issue 7** (reported, never asserted in tests):',
    '',
    goalTable(results.goals),
    '',
    '**Every figure**, the ledger beside raw DynamoDB Local in the same run (rates: higher is better, so a ratio',
    'under 1 is the ledger’s cost; times and sizes: lower is better, so a ratio over 1 is):',
    '',
    comparisonTable(results.comparisons),
  ];
  const cpu = cpuTable(results.comparisons);
  if (cpu !== '') {
    lines.push(
      '',
      '**Where the CPU goes**, in milliseconds of CPU per operation at concurrency 8 (the runtime’s and DynamoDB',
      `Local’s include the projection of what the operations appended; on ${results.machine.cores} cores the total sets the rate):`,
      '',
      cpu,
    );
  }
  const cores = coresTable(results.comparisons);
  if (cores !== '') {
    lines.push(
      '',
      `**How busy the machine was** under each steady load of the lag family, in cores of the ${results.machine.cores}`,
      '(CPU time ÷ wall time while the appends were sent; the runtime runs its JavaScript on one thread):',
      '',
      cores,
    );
  }
  return lines.join('\n');
}

/** `readme` with the text between the markers replaced by `generated`. */
export function withResults(readme: string, generated: string): string {
  const begin = readme.indexOf(README_BEGIN);
  const end = readme.indexOf(README_END, begin);
  if (begin === -1 || end === -1) throw new ReadmeMarkersError();
  return `${readme.slice(0, begin + README_BEGIN.length)}\n${generated}\n${readme.slice(end)}`;
}
