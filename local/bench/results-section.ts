import { LocalError } from '../local-error.ts';
import type { BenchResults } from './bench-results.ts';
import { capacityTable } from './capacity-report.ts';
import type { MachineInfo } from './machine.ts';
import { comparisonTable, goalTable } from './report-table.ts';
import { scaleTable } from './scale-report.ts';

/** Where `--update-docs` writes the results, relative to the repository's root. */
export const BENCHMARKS_DOC = 'docs/benchmarks.md';

/** The generated part sits between these two lines; the text around it is written by hand. */
export const RESULTS_BEGIN = '<!-- bench:begin (written by `npm run bench -- --update-docs`) -->';
export const RESULTS_END = '<!-- bench:end -->';

/**
 * A begin marker whatever command it names, so a document whose marker still names an older option is found,
 * and gets today's marker when it is written.
 */
const ANY_BEGIN = /^<!-- bench:begin\b.*-->$/m;

/** The document has no markers to write between. */
export class ResultsMarkersError extends LocalError {
  readonly code = 'bench_markers_missing';

  constructor(document: string) {
    super(`${document} has no "${RESULTS_BEGIN}" … "${RESULTS_END}" lines to write the results between`);
    this.name = 'ResultsMarkersError';
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
  const scale = scaleTable(results.comparisons);
  const capacity = capacityTable(results.comparisons);
  return [
    `Latest run: ${results.startedAt.slice(0, 10)}, \`${results.command}\`${results.mode === 'quick' ? ' (quick: not figures to quote)' : ''}, ` +
      `${durationText(results.durationSeconds)}, on ${machineLine(results.machine)}.`,
    '',
    '**Goals** (reported, never asserted in tests):',
    '',
    goalTable(results.goals),
    '',
    ...(scale === ''
      ? []
      : [
          '**Scale**: each question through the HTTP API, by cases loaded (median of three calls after an untimed',
          'one; a question whose untimed call took over 20 s is timed once):',
          '',
          scale,
          '',
        ]),
    ...(capacity === ''
      ? []
      : ['**Capacity units of one append** and of its projection, on warm stores:', '', capacity, '']),
    '**Every figure**, the ledger beside raw DynamoDB Local in the same run (rates: higher is better, so a ratio',
    'under 1 is the ledger’s cost; times and sizes: lower is better, so a ratio over 1 is):',
    '',
    comparisonTable(results.comparisons),
  ].join('\n');
}

/** `document` (named `name` in errors) with the text between the markers replaced by `generated`. */
export function withResults(document: string, generated: string, name = BENCHMARKS_DOC): string {
  const begin = ANY_BEGIN.exec(document);
  const end = begin ? document.indexOf(RESULTS_END, begin.index + begin[0].length) : -1;
  if (!begin || end === -1) throw new ResultsMarkersError(name);
  return `${document.slice(0, begin.index)}${RESULTS_BEGIN}\n${generated}\n${document.slice(end)}`;
}
