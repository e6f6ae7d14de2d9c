/**
 * `npm run bench`: starts DynamoDB Local and the local runtime, measures every family, prints the goals and
 * every figure as Markdown tables, writes `bench-results.json`, and with `--update-docs` puts the tables in
 * `docs/benchmarks.md`.
 */
import '../sdk-node-notice.ts';
import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Command, InvalidArgumentError, Option } from 'commander';
import { REPO_ROOT } from './bench-child.ts';
import { writeResults } from './bench-results.ts';
import { FULL_SIZES, QUICK_SIZES } from './bench-sizes.ts';
import { defaultFamilies, type Family, families } from './comparison.ts';
import { BENCHMARKS_DOC, ResultsMarkersError, resultsMarkdown, withResults } from './results-section.ts';
import { runBench } from './run-bench.ts';

const program = new Command('npm run bench --')
  .description('Measures the ledger beside raw DynamoDB Local, in one run.')
  .addOption(new Option('--quick', 'every measurement briefly: a smoke run, not figures to quote'))
  .addOption(
    new Option(
      '--only <families>',
      `a comma-separated subset of: ${families.join(', ')} (default: all but scale and notify, which run only when named)`,
    ).argParser((value): Family[] => {
      const chosen = value.split(',').map((name) => name.trim());
      const unknown = chosen.filter((name) => !(families as readonly string[]).includes(name));
      if (unknown.length > 0) {
        throw new InvalidArgumentError(
          `unknown ${unknown.length > 1 ? 'families' : 'family'} ${unknown.map((name) => `"${name}"`).join(', ')}; choose from ${families.join(', ')}`,
        );
      }
      return [...new Set(chosen)] as Family[];
    }),
  )
  .addOption(
    new Option('--out <file>', 'where the JSON results go')
      .default('bench-results.json')
      .argParser((value) => {
        // Found out now, not after minutes of measuring.
        const file = path.resolve(value);
        const directory = path.dirname(file);
        if (!existsSync(directory))
          throw new InvalidArgumentError(`no directory ${directory} to write it in`);
        if (existsSync(file) && statSync(file).isDirectory()) {
          throw new InvalidArgumentError(`${file} is a directory; name a file`);
        }
        try {
          accessSync(directory, constants.W_OK);
        } catch {
          throw new InvalidArgumentError(`the directory ${directory} cannot be written to`);
        }
        return value;
      }),
  )
  .addOption(
    new Option(
      '--warm-up <seconds>',
      'how long each fresh system is kept busy, untimed, before it is measured (default: 20; 1 with --quick)',
    ).argParser((value) => {
      const seconds = Number(value);
      if (value.trim() === '' || !Number.isFinite(seconds) || seconds < 0 || seconds > 600) {
        throw new InvalidArgumentError('give a number of seconds from 0 to 600');
      }
      return seconds;
    }),
  )
  .addOption(
    new Option(
      '--scale-sizes <cases>',
      'comma-separated numbers of cases the scale family loads and measures at (default: 1000,10000,100000; 100,1000 with --quick)',
    ).argParser((value): number[] => {
      const counts = value.split(',').map((part) => Number(part.trim()));
      if (
        counts.length === 0 ||
        counts.some((count) => !Number.isInteger(count) || count < 1 || count > 1_000_000)
      ) {
        throw new InvalidArgumentError('give whole numbers of cases from 1 to 1,000,000, comma-separated');
      }
      return [...new Set(counts)].sort((a, b) => a - b);
    }),
  )
  .addOption(
    new Option(
      '--update-docs [file]',
      `write the tables into a document, between its bench:begin and bench:end markers (default: ${BENCHMARKS_DOC})`,
    ),
  );

program.parse();
const options = program.opts<{
  quick?: boolean;
  only?: Family[];
  out: string;
  warmUp?: number;
  scaleSizes?: number[];
  updateDocs?: boolean | string;
}>();
const resultsDoc =
  options.updateDocs === undefined
    ? undefined
    : typeof options.updateDocs === 'string'
      ? path.resolve(options.updateDocs)
      : path.join(REPO_ROOT, BENCHMARKS_DOC);
// A missing document or marker is found out now, not after minutes of measuring.
if (resultsDoc !== undefined) checkResultsDoc(resultsDoc);

function checkResultsDoc(file: string): void {
  let problem: string | undefined;
  try {
    withResults(readFileSync(file, 'utf8'), '', file);
  } catch (error) {
    problem = error instanceof ResultsMarkersError ? error.message : `--update-docs cannot read ${file}`;
  }
  if (problem !== undefined) program.error(`error: ${problem}`);
}

const defaults = options.quick ? QUICK_SIZES : FULL_SIZES;
const sizes = options.scaleSizes === undefined ? defaults : { ...defaults, scaleCases: options.scaleSizes };

const interrupt = new AbortController();
process.on('SIGINT', () => {
  // The first Ctrl-C ends the run after the measurement in hand, and still reports what was measured.
  if (interrupt.signal.aborted) process.exit(130);
  interrupt.abort();
});
// Ended from outside: exit at once; the exit hooks stop DynamoDB Local and the runtime.
process.on('SIGTERM', () => process.exit(143));

const begin = performance.now();
const log = (message: string) => {
  const seconds = ((performance.now() - begin) / 1000).toFixed(0).padStart(4);
  process.stderr.write(`[${seconds} s] ${message}\n`);
};

const results = await runBench({
  command: ['npm run bench', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' '),
  mode: options.quick ? 'quick' : 'full',
  sizes: options.warmUp === undefined ? sizes : { ...sizes, systemWarmupMs: options.warmUp * 1000 },
  only: options.only ?? defaultFamilies,
  log,
  signal: interrupt.signal,
});
const markdown = resultsMarkdown(results);
process.stdout.write(`${markdown}\n`);
await writeResults(options.out, results);
log(`wrote ${options.out}`);
if (resultsDoc !== undefined) {
  // Read again: the text around the markers may have been edited while the benchmark ran.
  await writeFile(resultsDoc, withResults(await readFile(resultsDoc, 'utf8'), markdown, resultsDoc), 'utf8');
  log(`wrote the results into ${resultsDoc}`);
}
