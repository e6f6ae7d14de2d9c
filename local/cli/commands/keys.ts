import { open, readFile, rename, unlink } from 'node:fs/promises';
import * as z from 'zod';
import type { WrappedCaseKey } from '../../../functions/personal-data/case-keys.ts';
import { CommandFailure, EXIT, InputFileError } from '../cli-errors.ts';
import { type CommandContext, DEFAULT_CONCURRENCY } from '../command-context.ts';
import { counted } from '../counted.ts';
import { forEachConcurrently } from '../run-concurrently.ts';
import { writeText } from '../write-text.ts';

const FORMAT = 'detention-ledger case keys';

const headerSchema = z.strictObject({
  format: z.literal(FORMAT),
  version: z.literal(1),
  takenAt: z.iso.datetime(),
  keys: z.int().nonnegative(),
});

const keyLineSchema = z.strictObject({
  caseId: z.string().min(1).max(200),
  wrappedKey: z.string().min(1).max(8192),
  wrappedBy: z.string().min(1).max(2048),
  createdAt: z.string().max(64),
});

/** A backup file that is not one `ledger keys backup` wrote, or not all of it: nothing was restored. */
export class KeyBackupFileError extends CommandFailure {
  override readonly code = 'key_backup_file_invalid';
  constructor(file: string, detail: string) {
    super(`${file}: not a whole key backup (${detail}); nothing was restored.`);
    this.name = 'KeyBackupFileError';
  }
}

export interface KeysBackupReport {
  readonly exitCode: number;
  readonly keys: number;
}

/**
 * `ledger keys backup FILE`: every case key as the keys table holds it — wrapped by the master key (a KMS key
 * on AWS), never in clear — one JSON object per line after a header line, mode 0600, written under another
 * name and renamed once whole. Without the master key the file opens nothing; with it, it is only ever to be
 * read back through `ledger keys restore`, which honours every erasure recorded since.
 */
export async function runKeysBackup(context: CommandContext, file: string): Promise<KeysBackupReport> {
  const lines: string[] = [];
  for await (const key of context.caseKeys.wrappedKeys()) lines.push(JSON.stringify(key));
  const header = { format: FORMAT, version: 1, takenAt: context.clock().toISOString(), keys: lines.length };
  const partial = `${file}.partial`;
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(partial, 'w', 0o600);
  } catch (error) {
    throw new InputFileError(
      `${file}: cannot be written (${(error as NodeJS.ErrnoException).code ?? error})`,
      { cause: error },
    );
  }
  try {
    await handle.writeFile([JSON.stringify(header), ...lines].map((line) => `${line}\n`).join(''), 'utf8');
    await handle.sync();
    await handle.close();
    await rename(partial, file);
  } catch (error) {
    await handle.close().catch(() => undefined);
    await unlink(partial).catch(() => undefined);
    throw error;
  }
  await writeText(
    context.stdout,
    `Backed up ${counted(lines.length, 'case key')} to ${file}, wrapped as stored. Restore it only with ` +
      '`ledger keys restore`: it leaves out the keys of every case erased since. A local master key is ' +
      'replaced at each erasure, so a local backup opens nothing after the next erasure: take a new one.\n',
  );
  return { exitCode: EXIT.ok, keys: lines.length };
}

async function readBackup(file: string): Promise<WrappedCaseKey[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new InputFileError(`${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? error})`, {
      cause: error,
    });
  }
  const [first, ...rest] = text.split('\n').filter((line) => line.trim() !== '');
  const parse = <T>(schema: z.ZodType<T>, line: string | undefined, number: number): T => {
    try {
      return schema.parse(JSON.parse(line ?? ''));
    } catch {
      throw new KeyBackupFileError(file, `line ${number} is not what a key backup holds`);
    }
  };
  const header = parse(headerSchema, first, 1);
  const keys = rest.map((line, index) => parse(keyLineSchema, line, index + 2));
  if (keys.length !== header.keys) {
    throw new KeyBackupFileError(
      file,
      `the header counts ${header.keys} keys, the file holds ${keys.length}`,
    );
  }
  return keys;
}

export interface KeysRestoreReport {
  readonly exitCode: number;
  /** Keys put back: their cases are in the ledger, not erased, and had no key. */
  readonly restored: number;
  /** Keys of the backup whose case the ledger records as erased: never restored. */
  readonly erased: number;
  /** Keys of the backup whose case already has a key: left as the table holds it. */
  readonly present: number;
  /** Keys of the backup for cases the ledger does not hold. */
  readonly unknown: number;
  /** Keys of erased cases found in the table and destroyed again. */
  readonly destroyed: number;
}

type Outcome = Exclude<keyof KeysRestoreReport, 'exitCode'> | 'none';

/**
 * One case of a restore. The ledger decides: a case whose stream holds an `Erased` event gets no key, and one
 * found in the table is destroyed. A key put back is checked against the ledger once more, so an erasure
 * that lands while the restore runs still wins.
 */
async function restoreCase(
  context: CommandContext,
  caseId: string,
  backedUp: WrappedCaseKey | undefined,
): Promise<Outcome[]> {
  const head = await context.ledger.head(caseId);
  if (head && (await context.ledger.erasureOf(caseId, head.version))) {
    const { existed } = await context.caseKeys.destroy(caseId);
    return [...(backedUp ? (['erased'] as const) : []), ...(existed ? (['destroyed'] as const) : [])];
  }
  if (!backedUp) return ['none'];
  if (!head) return ['unknown'];
  if (!(await context.caseKeys.restoreWrapped(backedUp))) return ['present'];
  if (await context.ledger.erasureOf(caseId)) {
    await context.caseKeys.destroy(caseId);
    return ['erased'];
  }
  return ['restored'];
}

/**
 * `ledger keys restore FILE`: puts back the keys of a backup, after re-applying every erasure the ledger
 * records — for each case of the backup or of the keys table, an `Erased` event in its stream means no key:
 * none is restored, and one the table holds is destroyed. Keys the table already holds are left as they are.
 * The whole file is checked before anything is written.
 */
export async function runKeysRestore(
  context: CommandContext,
  options: { readonly file: string; readonly json?: boolean; readonly concurrency?: number },
): Promise<KeysRestoreReport> {
  const backup = new Map((await readBackup(options.file)).map((key) => [key.caseId, key]));
  const caseIds = new Set(backup.keys());
  for await (const key of context.caseKeys.wrappedKeys()) caseIds.add(key.caseId);
  const counts: Record<Outcome, number> = {
    restored: 0,
    erased: 0,
    present: 0,
    unknown: 0,
    destroyed: 0,
    none: 0,
  };
  const progress = context.progress({ label: 'checked', unit: 'cases' });
  try {
    await forEachConcurrently(
      caseIds,
      options.concurrency ?? DEFAULT_CONCURRENCY,
      async (caseId) => {
        for (const outcome of await restoreCase(context, caseId, backup.get(caseId))) counts[outcome] += 1;
        progress.tick();
      },
      context.signal,
    );
  } finally {
    progress.done();
  }
  const { none: _, ...report } = counts;
  await writeText(
    context.stdout,
    options.json
      ? `${JSON.stringify(report)}\n`
      : `Restored ${counted(report.restored, 'case key')} from ${options.file}; left out ${report.erased} of ` +
          `erased cases (never restored), ${report.present} already present, ${report.unknown} of cases the ` +
          `ledger does not hold; destroyed ${counted(report.destroyed, 'key')} of erased cases found in the table.\n`,
  );
  return { exitCode: EXIT.ok, ...report };
}
