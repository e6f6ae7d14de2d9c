import { Command, CommanderError, Option } from 'commander';
import { EXIT } from './cli-errors.ts';
import { type CommandContext, DEFAULT_CONCURRENCY, DEFAULT_IMPORT_CONCURRENCY } from './command-context.ts';
// Light: node:fs and the CLI's own helpers; the formats are defined beside the export.
import { type ExportFormat, exportFormats } from './commands/export.ts';
import {
  caseIdProblem,
  collect,
  parseConcurrency,
  parseEventId,
  parseInstant,
  parseKeyName,
  parsePort,
  parseTreeSize,
} from './option-parsers.ts';
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

function defineWitness(program: Command, io: CliIO, setExitCode: (code: number) => void): void {
  program
    .command('witness')
    .summary("run a witness that cosigns other organisations' log checkpoints")
    .description(
      "Runs a C2SP tlog-witness for other organisations' transparency logs until Ctrl-C: POST " +
        '/add-checkpoint cosigns a checkpoint of a log it watches when it extends the last one it cosigned ' +
        '(a rolled-back size is refused with 409, a forked history with 422), and GET /<origin hash>/checkpoint ' +
        'serves that last one. It keeps, per log, the size, root and checkpoint it cosigned in --state, written ' +
        'before it answers. At start it prints its verifier key (type 0x04) on stdout: give that to the logs.',
    )
    .requiredOption('--name <name>', 'its key name, e.g. witness.ngo-b.example/w1', parseKeyName)
    .requiredOption('--key-file <file>', 'its own Ed25519 key (PKCS#8 PEM), created if missing')
    .requiredOption('--log <vkey>', "a log it watches, as the log's verifier key (repeat for more)", collect)
    .addOption(new Option('--port <n>', 'the port it listens on').argParser(parsePort).default(3030))
    .option('--host <address>', 'the address it listens on', '127.0.0.1')
    .option('--state <file>', 'its state: per log the last checkpoint it cosigned', './witness-state.json')
    .addHelpText(
      'after',
      '\nExample:\n  $ npx ledger witness --name witness.ngo-b.example/w1 --key-file ~/.config/witness.key \\\n' +
        '      --log ledger.ngo-a.example/log+1a2b3c4d+AU… --port 3030\n',
    )
    .action(async function (this: Command) {
      const options = this.opts<{
        name: string;
        keyFile: string;
        log: string[];
        port: number;
        host: string;
        state: string;
      }>();
      const { witnessCommand } = await import('./commands/witness.ts');
      const debug = program.opts<{ debug?: boolean }>().debug === true;
      setExitCode(
        await witnessCommand(
          {
            cwd: io.cwd,
            stdout: io.stdout,
            stderr: io.stderr,
            ...(io.signal && { signal: io.signal }),
            ...(io.clock && { clock: io.clock }),
          },
          {
            name: options.name,
            keyFile: options.keyFile,
            logs: options.log,
            port: options.port,
            host: options.host,
            state: options.state,
          },
          debug,
        ),
      );
    });
}

function defineLog(program: Command, run: Run): void {
  const log = program
    .command('log')
    .summary('read, prove and backfill the transparency log')
    .description(
      "The transparency log (docs/log.md) holds every event's hash as a leaf of one append-only Merkle tree, " +
        'whose signed checkpoints witnesses cosign. These commands read it from the log table and LOG_DIR ' +
        "(the data directory's log/ by default). Exit 0 when what they check holds, 1 when it does not.",
    );
  log
    .command('checkpoint')
    .summary('print the newest checkpoint, signed, with every cosignature')
    .addHelpText('after', '\nExample:\n  $ npx ledger log checkpoint')
    .action(async () => {
      const { runLogCheckpoint } = await import('./commands/log.ts');
      await run((context) => runLogCheckpoint(context));
    });
  log
    .command('prove')
    .summary("print an event's inclusion proof, and check it")
    .description(
      "Prints the proof that the event's hash is leaf <index> of the tree of size N (the newest checkpoint's " +
        "by default) as JSON, and checks it: the stored event's hash recomputed from its fields, and the proof " +
        'from its leaf to the root. Exits 1 when either fails.',
    )
    .argument('<eventId>', 'the event, by its id', parseEventId)
    .addOption(new Option('--size <n>', 'the tree size to prove inclusion in').argParser(parseTreeSize))
    .addHelpText(
      'after',
      '\nExample:\n  $ npx ledger log prove 0b7c2f4e-5d1a-4c3b-9e8f-7a6b5c4d3e2f --size 1042',
    )
    .action(async function (this: Command, eventId: string) {
      const options = this.opts<{ size?: number }>();
      const { runLogProve } = await import('./commands/log.ts');
      await run((context) =>
        runLogProve(context, { eventId, ...(options.size !== undefined && { size: options.size }) }),
      );
    });
  log
    .command('consistency')
    .summary('print the proof that one tree size extends another, and check it')
    .argument('<from>', 'the older tree size', parseTreeSize)
    .argument('<to>', 'the newer tree size, at most the newest checkpoint', parseTreeSize)
    .addHelpText('after', '\nExample:\n  $ npx ledger log consistency 1000 1042')
    .action(async function (this: Command, from: number, to: number) {
      if (from > to) this.error('error: <from> is above <to>', { exitCode: EXIT.usage });
      const { runLogConsistency } = await import('./commands/log.ts');
      await run((context) => runLogConsistency(context, { from, to }));
    });
  log
    .command('backfill')
    .summary('take into the log every event it lacks, from the audit feed in recorded order')
    .description(
      'Reads the audit feed from the beginning, in recorded order, and integrates every event the log does ' +
        'not hold: how a ledger that existed before the log gets every event in. Resumes where a stopped ' +
        'backfill left off; safe while the runtime runs.',
    )
    .addHelpText('after', '\nExample:\n  $ npx ledger log backfill')
    .action(async () => {
      const { runLogBackfill } = await import('./commands/log.ts');
      await run((context) => runLogBackfill(context));
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
        'ledger, rebuild the views, take digests, back up and restore the case keys, run the notifier, read, ' +
        'prove and backfill the transparency log, run a witness, check an evidence packet offline.',
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
  defineWitness(program, io, setExitCode);
  defineLog(program, run);
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
