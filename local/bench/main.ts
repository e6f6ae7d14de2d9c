/**
 * `npm run bench`: the benchmark. Starts DynamoDB Local and the local runtime, measures every
 * family, prints the goals and every figure as Markdown tables, writes `bench-results.json`, and with
 * `--update-readme` puts the tables in the README's Benchmark section.
 */
import '../sdk-node-notice.ts';
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Command, InvalidArgumentError, Option } from 'commander';
import { REPO_ROOT } from './bench-child.ts';
import { writeResults } from './bench-results.ts';
import { FULL_SIZES, QUICK_SIZES } from './bench-sizes.ts';
import { type Family, families } from './comparison.ts';
import { resultsMarkdown, withResults } from './readme-section.ts';
import { runBench } from './run-bench.ts';

const program = new Command('npm run bench --')
  .description('Measures the ledger beside raw DynamoDB Local, in one run (issue 7).')
  .addOption(new Option('--quick', 'every measurement briefly: a smoke run, not figures to quote'))
  .addOption(
    new Option('--only <families>', `a comma-separated subset of: ${families.join(', ')}`).argParser(
      (value): Family[] => {
        const chosen = value.split(',').map((name) => name.trim());
        const unknown = chosen.filter((name) => !(families as readonly string[]).includes(name));
        if (unknown.length > 0) {
          throw new InvalidArgumentError(
            `unknown ${unknown.length > 1 ? 'families' : 'family'} ${unknown.map((name) => `"${name}"`).join(', ')}; choose from ${families.join(', ')}`,
          );
        }
        return [...new Set(chosen)] as Family[];
      },
    ),
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
  .addOption(new Option('--update-readme', "write the tables into README.md's Benchmark section"));

program.parse();
const options = program.opts<{
  quick?: boolean;
  only?: Family[];
  out: string;
  warmUp?: number;
  updateReadme?: boolean;
}>();
const sizes = options.quick ? QUICK_SIZES : FULL_SIZES;

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
  only: options.only ?? families,
  log,
  signal: interrupt.signal,
});
const markdown = resultsMarkdown(results);
process.stdout.write(`${markdown}\n`);
await writeResults(options.out, results);
log(`wrote ${options.out}`);
if (options.updateReadme) {
  const readme = path.join(REPO_ROOT, 'README.md');
  await writeFile(readme, withResults(await readFile(readme, 'utf8'), markdown), 'utf8');
  log('wrote the Benchmark section of README.md');
}
