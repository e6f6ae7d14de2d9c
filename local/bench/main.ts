/**
 * `npm run bench`: starts DynamoDB Local and the local runtime, measures every family, prints the goals and
 * every figure as Markdown tables, writes `bench-results.json`, and with `--update-docs` puts the tables in
 * `docs/benchmarks.md`.
 */
import '../sdk-node-notice.ts';
import { readFile, writeFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { parseBenchArgs } from './bench-options.ts';

const options = parseBenchArgs(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
if ('exitCode' in options) process.exit(options.exitCode);

// Loaded only once the command line is good: a refusal answers without loading what measures.
const [{ writeResults }, { resultsMarkdown, withResults }, { runBench }] = await Promise.all([
  import('./bench-results.ts'),
  import('./results-section.ts'),
  import('./run-bench.ts'),
]);

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
  mode: options.mode,
  sizes: options.sizes,
  only: options.only,
  log,
  signal: interrupt.signal,
});
const markdown = resultsMarkdown(results);
process.stdout.write(`${markdown}\n`);
await writeResults(options.out, results);
log(`wrote ${options.out}`);
if (options.resultsDoc !== undefined) {
  // Read again: the text around the markers may have been edited while the benchmark ran.
  await writeFile(
    options.resultsDoc,
    withResults(await readFile(options.resultsDoc, 'utf8'), markdown, options.resultsDoc),
    'utf8',
  );
  log(`wrote the results into ${options.resultsDoc}`);
}
