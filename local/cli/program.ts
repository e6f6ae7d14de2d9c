import { Command, CommanderError, Option } from 'commander';
import { EXIT } from './cli-errors.ts';
import { type CommandContext, DEFAULT_CONCURRENCY, DEFAULT_IMPORT_CONCURRENCY } from './command-context.ts';
// Light: node:fs and the CLI's own helpers; the formats are defined beside the export.
import { type ExportFormat, exportFormats } from './commands/export.ts';
import { caseIdProblem, parseConcurrency, parseInstant } from './option-parsers.ts';
import type { CliIO } from './with-ledger.ts';

export type { CliIO } from './with-ledger.ts';

/**
 * The `ledger` program. Each command's work lives in `commands/<name>.ts` and is imported only when that
 * command runs, with the stores and the AWS SDK: `--help` and usage errors answer at once.
 */

const PROGRAM_HELP = `
Where it connects (the same variables as the API):
  DYNAMODB_ENDPOINT set         that DynamoDB, with LEDGER_TABLE and VIEWS_TABLE (default ledger, views)
  a running npm start           found through LEDGER_DATA_DIR/runtime.json (default .ledger-data/)
  AWS_REGION or AWS_PROFILE     DynamoDB on AWS with the default credentials, LEDGER_TABLE and VIEWS_TABLE

Exit codes: 0 done, 1 failed (broken chain, refused import, DynamoDB unreachable), 2 bad command line,
130 interrupted.

Examples:
  $ npx ledger verify --all
  $ npx ledger export --format ndjson --out ledger.ndjson
  $ DYNAMODB_ENDPOINT=http://127.0.0.1:8000 npx ledger import ledger.ndjson
  $ npx ledger verify --help`;

type Work = (context: CommandContext) => Promise<{ exitCode: number }>;
type Run = (work: Work) => Promise<void>;

const concurrencyOption = (what: string, byDefault: number = DEFAULT_CONCURRENCY) =>
  new Option('--concurrency <n>', `${what} at once (1-64)`).argParser(parseConcurrency).default(byDefault);

function defineVerify(program: Command, run: Run): void {
  program
    .command('verify')
    .summary('recompute hash chains: one case, or every case')
    .description(
      'Recomputes the hash chain of one case, or of every case with --all, from what the ledger table holds ' +
        'now. Exits 0 when every chain holds, 1 when one is broken (naming the first version that does not hold).',
    )
    .argument('[caseId]', 'the case to verify')
    .option('--all', 'verify every case in the ledger')
    .option('--json', 'print the result as JSON')
    .addOption(concurrencyOption('cases verified with --all'))
    .addHelpText(
      'after',
      '\nExamples:\n  $ npx ledger verify case-0001\n  $ npx ledger verify --all --json > verify-report.json',
    )
    .action(async function (this: Command, caseId: string | undefined) {
      const options = this.opts<{ all?: boolean; json?: boolean; concurrency: number }>();
      if ((caseId === undefined) === (options.all !== true)) {
        this.error('error: give a case id or --all (not both)', { exitCode: EXIT.usage });
      }
      const problem = caseId === undefined ? undefined : await caseIdProblem(caseId);
      if (problem !== undefined) this.error(problem, { exitCode: EXIT.usage });
      const { runVerify } = await import('./commands/verify.ts');
      const json = options.json ?? false;
      await run((context) =>
        runVerify(
          context,
          caseId === undefined ? { all: true, json, concurrency: options.concurrency } : { caseId, json },
        ),
      );
    });
}

function defineVerifyEvidence(program: Command, io: CliIO, setExitCode: (code: number) => void): void {
  program
    .command('verify-evidence')
    .summary('check an evidence packet offline: its events, proofs, checkpoint and signatures')
    .description(
      'Checks an evidence packet (GET /cases/{caseId}/evidence, docs/log.md) on this machine alone, with no ' +
        'ledger and no network: every event hash and the chain, each inclusion proof against the checkpoint, ' +
        "the checkpoint's signature by the packet's log key, and how many of its witnesses cosigned. Compare " +
        'the keys it prints with the ones the ledger and the witnesses publish. Exits 0 when every check holds, ' +
        '1 when one fails (saying which and where), 2 when the file cannot be read or is not a packet.',
    )
    .argument('<file>', 'the evidence packet (evidence-<caseId>-<size>.json)')
    .option('--json', 'print the verdict as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  $ npx ledger verify-evidence evidence-c-7f3a-1042.json\n' +
        '  $ npx ledger verify-evidence evidence-c-7f3a-1042.json --json > verdict.json',
    )
    .action(async function (this: Command, file: string) {
      const { json } = this.opts<{ json?: boolean }>();
      const { runVerifyEvidence } = await import('./commands/verify-evidence.ts');
      // No ledger to connect to: the packet holds everything the check needs.
      setExitCode(await runVerifyEvidence(io, { file, json: json ?? false }));
    });
}

function defineExport(program: Command, run: Run): void {
  program
    .command('export')
    .summary('write every event of every case as NDJSON')
    .description(
      'Writes every event of every case, with its envelope and hashes, one JSON object per line, case by ' +
        'case in version order. The output imports into another ledger with `ledger import`.',
    )
    .addOption(new Option('--format <format>', 'the output format').choices(exportFormats).default('ndjson'))
    .option('--out <file>', 'write to this file (complete or not at all) instead of stdout')
    .addHelpText(
      'after',
      '\nExamples:\n  $ npx ledger export --format ndjson --out ledger.ndjson\n' +
        '  $ npx ledger export --format ndjson | gzip > ledger.ndjson.gz',
    )
    .action(async function (this: Command) {
      const options = this.opts<{ format: ExportFormat; out?: string }>();
      const { runExport } = await import('./commands/export.ts');
      await run((context) =>
        runExport(context, {
          format: options.format,
          ...(options.out !== undefined && { out: options.out }),
        }),
      );
    });
}

function defineImport(program: Command, run: Run): void {
  program
    .command('import')
    .summary('append the events of an NDJSON export, resumably')
    .description(
      'Appends the events of a file written by `ledger export --format ndjson`, in order, with their ' +
        'original envelopes and hashes. Every line is checked before anything is written; events already in ' +
        'the ledger with the same hash are skipped, so an interrupted import continues when run again. An ' +
        'event that differs from what the ledger holds is refused, and nothing of its case batch is written.',
    )
    .argument('<file>', 'the NDJSON file to import')
    .addOption(concurrencyOption('cases imported', DEFAULT_IMPORT_CONCURRENCY))
    .option('--json', 'print the final counts as JSON')
    .addHelpText('after', '\nExample:\n  $ npx ledger import ledger.ndjson')
    .action(async function (this: Command, file: string) {
      const options = this.opts<{ concurrency: number; json?: boolean }>();
      const { runImport } = await import('./commands/import.ts');
      await run((context) =>
        runImport(context, { file, concurrency: options.concurrency, json: options.json ?? false }),
      );
    });
}

function defineRebuildViews(program: Command, run: Run): void {
  program
    .command('rebuild-views')
    .summary('re-project every case from the ledger, safely beside the live projector')
    .description(
      'Folds every case from the ledger and writes its view under the version rule, so it can run while ' +
        'the system takes appends: a view only ever moves forward. Views that already equal the fresh fold ' +
        'are left as they are.',
    )
    .addOption(concurrencyOption('cases rebuilt'))
    .option('--json', 'print the final counts as JSON')
    .addHelpText('after', '\nExample:\n  $ npx ledger rebuild-views --concurrency 16')
    .action(async function (this: Command) {
      const options = this.opts<{ concurrency: number; json?: boolean }>();
      const { runRebuildViews } = await import('./commands/rebuild-views.ts');
      await run((context) =>
        runRebuildViews(context, { concurrency: options.concurrency, json: options.json ?? false }),
      );
    });
}

function defineDigest(program: Command, run: Run): void {
  program
    .command('digest')
    .summary('take a ledger digest now and print it')
    .description(
      'Takes a digest of the ledger — a Merkle root over the head of every case, chained to the previous ' +
        'digest — as of a few seconds ago (what is still settling goes to the next one), stores it in the ' +
        'ledger table and prints it as JSON. Publish its hash where others keep it; ' +
        'GET /cases/{caseId}/proof proves a case against it. After the first digest it reads only the cases ' +
        'changed since the previous one; --full reads every case.',
    )
    .option('--full', "read every case's head, not only those changed since the previous digest")
    .addHelpText('after', '\nExamples:\n  $ npx ledger digest > digest.json\n  $ npx ledger digest --full')
    .action(async function (this: Command) {
      const options = this.opts<{ full?: boolean }>();
      const { runDigest } = await import('./commands/digest.ts');
      await run((context) => runDigest(context, { full: options.full ?? false }));
    });
}

function defineNotify(program: Command, run: Run): void {
  program
    .command('notify')
    .summary('run one notifier pass now, or as of a given moment')
    .description(
      'Runs the notifier once, as the local runtime does every NOTIFY_INTERVAL_SECONDS: compares the alerts ' +
        'open with what each subscription was told, books the daily digests due, and sends every due notice ' +
        "(email to SMTP_URL, or .eml files in the data directory's mail/ folder; webhooks at once). Prints " +
        'how many alerts were raised and resolved, digests made and notices sent, as JSON. Exits 1 when a ' +
        'delivery failed; the next pass tries it again.',
    )
    .addOption(
      new Option(
        '--at <instant>',
        'run the pass as of this moment (ISO 8601 with offset), not now',
      ).argParser(parseInstant),
    )
    .addHelpText(
      'after',
      '\nExamples:\n  $ npx ledger notify\n  $ npx ledger notify --at 2026-03-01T09:00:00Z   # as if it were then',
    )
    .action(async function (this: Command) {
      const options = this.opts<{ at?: Date }>();
      const { runNotify } = await import('./commands/notify.ts');
      await run((context) => runNotify(context, { ...(options.at && { at: options.at }) }));
    });
}

function defineKeys(program: Command, run: Run): void {
  const keys = program
    .command('keys')
    .summary('back up the case keys, and restore them without undoing an erasure')
    .description(
      'The keys table holds one key per case, wrapped by the master key (KMS on AWS): lose it and every ' +
        'subject reads [erased]. `keys backup` copies the wrapped keys to a file (never a key in clear); ' +
        '`keys restore` puts them back, leaving out — and destroying, if the table holds them — the keys of ' +
        'every case whose history records an erasure.',
    );
  keys
    .command('backup')
    .summary('write every wrapped case key to a file (mode 0600)')
    .argument('<file>', 'the backup file to write (complete or not at all)')
    .addHelpText('after', '\nExample:\n  $ npx ledger keys backup case-keys.backup')
    .action(async (file: string) => {
      const { runKeysBackup } = await import('./commands/keys.ts');
      await run((context) => runKeysBackup(context, file));
    });
  keys
    .command('restore')
    .summary('put back the keys of a backup, except those of erased cases')
    .argument('<file>', 'a file written by `ledger keys backup`')
    .addOption(concurrencyOption('cases checked'))
    .option('--json', 'print the final counts as JSON')
    .addHelpText('after', '\nExample:\n  $ npx ledger keys restore case-keys.backup')
    .action(async function (this: Command, file: string) {
      const options = this.opts<{ concurrency: number; json?: boolean }>();
      const { runKeysRestore } = await import('./commands/keys.ts');
      await run((context) =>
        runKeysRestore(context, { file, concurrency: options.concurrency, json: options.json ?? false }),
      );
    });
}

/**
 * The `ledger` program over `io`. Usage errors end in exit code 2 (commander's own would be 1, which the
 * commands keep for "ran and failed"); `setExitCode` receives the code of the command that ran.
 */
export function createProgram(io: CliIO, setExitCode: (code: number) => void): Command {
  const program = new Command('ledger')
    .description(
      'Works on the detention ledger from the command line: verify hash chains, export and import the ' +
        'ledger, rebuild the views, take digests, back up and restore the case keys, run the notifier, check ' +
        'an evidence packet offline.',
    )
    .option('--debug', 'print the stack trace of an unexpected error')
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .exitOverride()
    .showHelpAfterError('(add --help for usage)')
    .addHelpText('after', PROGRAM_HELP);
  const run: Run = async (work) => {
    const { withLedger } = await import('./with-ledger.ts');
    const debug = program.opts<{ debug?: boolean }>().debug === true;
    setExitCode(await withLedger(io, { debug }, async (context) => (await work(context)).exitCode));
  };
  defineVerify(program, run);
  defineVerifyEvidence(program, io, setExitCode);
  defineExport(program, run);
  defineImport(program, run);
  defineRebuildViews(program, run);
  defineDigest(program, run);
  defineKeys(program, run);
  defineNotify(program, run);
  return program;
}

/**
 * Runs the CLI on `args` (without `node` and the script) and resolves to the exit code.
 *
 * @example
 * ```ts
 * const code = await runCli(['verify', '--all'], {
 *   env: process.env, cwd: process.cwd(), stdout: process.stdout, stderr: process.stderr,
 * });
 * ```
 */
export async function runCli(args: readonly string[], io: CliIO): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = createProgram(io, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync([...args], { from: 'user' });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    // --help ends "with an error" of exit code 0; every other commander error is a usage error.
    return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  return exitCode;
}
