import type { LedgerDigest } from '../../../domain/ledger-digest.ts';
import { DIGEST_SETTLE_MS, type DigestProgress } from '../../../functions/store/digest-store.ts';
import { EXIT } from '../cli-errors.ts';
import type { CommandContext } from '../command-context.ts';
import type { Progress } from '../progress.ts';
import { writeText } from '../write-text.ts';

export interface DigestReport {
  readonly exitCode: number;
  readonly digest: LedgerDigest;
}

export interface DigestCommandOptions {
  /** Read every case's head, not only those changed since the previous digest. */
  readonly full?: boolean;
}

/**
 * `ledger digest`: takes a ledger digest now, as the scheduled digest function does — a Merkle root over
 * every case's head, chained to the previous digest — and prints it as JSON. It is taken as of
 * `DIGEST_SETTLE_MS` ago: the case index is eventually consistent, so the last moments go to the next digest.
 * After the first digest only the cases changed since the previous one are read (`--full`: every case); the
 * bar counts the heads read, out of the changed cases once they are known.
 */
export async function runDigest(
  context: CommandContext,
  options: DigestCommandOptions = {},
): Promise<DigestReport> {
  const at = new Date(context.clock().getTime() - DIGEST_SETTLE_MS);
  await writeText(
    context.stderr,
    `Taking a digest as of ${at.toISOString()} (events recorded in the last ${DIGEST_SETTLE_MS / 1000} s go to the next one).\n`,
  );
  // One bar per kind of reading: an incremental digest that finds the previous leaves unusable reads in full.
  let bar:
    | { kind: DigestProgress['kind']; total: number | undefined; progress: Progress; shown: number }
    | undefined;
  const onProgress = (progress: DigestProgress) => {
    if (bar === undefined || bar.kind !== progress.kind || bar.total !== progress.casesToRead) {
      bar?.progress.done();
      bar = {
        kind: progress.kind,
        total: progress.casesToRead,
        shown: 0,
        progress: context.progress({
          label: progress.kind === 'full' ? 'read heads of' : 'read heads of changed',
          unit: 'cases',
          ...(progress.casesToRead !== undefined && { total: progress.casesToRead }),
        }),
      };
    }
    bar.progress.tick(progress.casesRead - bar.shown);
    bar.shown = progress.casesRead;
  };
  let digest: LedgerDigest;
  try {
    digest = await context.digests.take({ at, full: options.full ?? false, onProgress });
  } finally {
    bar?.progress.done();
  }
  await writeText(context.stdout, `${JSON.stringify(digest, null, 2)}\n`);
  return { exitCode: EXIT.ok, digest };
}
