/**
 * The command line of `npm run bench`, read and checked apart from the benchmark itself: every refusal is found
 * out here, before anything that measures is loaded, let alone started.
 */
import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { REPO_ROOT } from './bench-child.ts';
import { type BenchSizes, FULL_SIZES, QUICK_SIZES } from './bench-sizes.ts';
import { defaultFamilies, type Family, families } from './comparison.ts';
import { BENCHMARKS_DOC, ResultsMarkersError, withResults } from './results-section.ts';

/** What a run was asked for, its sizes already chosen. */
export interface BenchOptions {
  readonly mode: 'quick' | 'full';
  readonly only: readonly Family[];
  /** Where the JSON results go, as given. */
  readonly out: string;
  readonly sizes: BenchSizes;
  /** The document the tables are written into, resolved; `undefined` without `--update-docs`. */
  readonly resultsDoc: string | undefined;
}

/** Where the command's help and refusals are written. */
export interface BenchOutput {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}

function benchProgram(output: BenchOutput): Command {
  return new Command('npm run bench --')
    .description('Measures the ledger beside raw DynamoDB Local, in one run.')
    .configureOutput({
      writeOut: (text) => output.stdout.write(text),
      writeErr: (text) => output.stderr.write(text),
    })
    .exitOverride()
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
}

/** A missing document or marker is found out now, not after minutes of measuring. */
function checkResultsDoc(program: Command, file: string): void {
  let problem: string | undefined;
  try {
    withResults(readFileSync(file, 'utf8'), '', file);
  } catch (error) {
    problem = error instanceof ResultsMarkersError ? error.message : `--update-docs cannot read ${file}`;
  }
  if (problem !== undefined) program.error(`error: ${problem}`);
}

/**
 * Reads `args` (without `node` and the script). Help and refusals are written to `output`, and answered with the
 * exit code the command ends with (0 after `--help`, 1 for a refusal); otherwise the run's options.
 */
export function parseBenchArgs(
  args: readonly string[],
  output: BenchOutput,
): BenchOptions | { readonly exitCode: number } {
  const program = benchProgram(output);
  try {
    program.parse([...args], { from: 'user' });
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
    if (resultsDoc !== undefined) checkResultsDoc(program, resultsDoc);
    const defaults = options.quick ? QUICK_SIZES : FULL_SIZES;
    const sized =
      options.scaleSizes === undefined ? defaults : { ...defaults, scaleCases: options.scaleSizes };
    return {
      mode: options.quick ? 'quick' : 'full',
      only: options.only ?? defaultFamilies,
      out: options.out,
      sizes: options.warmUp === undefined ? sized : { ...sized, systemWarmupMs: options.warmUp * 1000 },
      resultsDoc,
    };
  } catch (error) {
    if (error instanceof CommanderError) return { exitCode: error.exitCode };
    throw error;
  }
}
