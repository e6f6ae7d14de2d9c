import type { LedgerDigest } from '../../../domain/ledger-digest.ts';
import { DIGEST_SETTLE_MS } from '../../../functions/store/digest-store.ts';
import { EXIT } from '../cli-errors.ts';
import type { CommandContext } from '../command-context.ts';
import { writeText } from '../write-text.ts';

export interface DigestReport {
  readonly exitCode: number;
  readonly digest: LedgerDigest;
}

/**
 * `ledger digest`: takes a ledger digest now, as the scheduled digest function does — a Merkle root over
 * every case's head, chained to the previous digest — and prints it as JSON. It is taken as of
 * `DIGEST_SETTLE_MS` ago: the case index is eventually consistent, so the last moments go to the next digest.
 */
export async function runDigest(context: CommandContext): Promise<DigestReport> {
  const at = new Date(context.clock().getTime() - DIGEST_SETTLE_MS);
  await writeText(
    context.stderr,
    `Taking a digest as of ${at.toISOString()} (events recorded in the last ${DIGEST_SETTLE_MS / 1000} s go to the next one).\n`,
  );
  const progress = context.progress({ label: 'read heads of', unit: 'cases' });
  let read = 0;
  let digest: LedgerDigest;
  try {
    digest = await context.digests.take({
      at,
      onProgress: (casesRead) => {
        progress.tick(casesRead - read);
        read = casesRead;
      },
    });
  } finally {
    progress.done();
  }
  await writeText(context.stdout, `${JSON.stringify(digest, null, 2)}\n`);
  return { exitCode: EXIT.ok, digest };
}
