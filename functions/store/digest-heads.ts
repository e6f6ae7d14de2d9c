import type { DigestLeaf } from '../../domain/ledger-digest.ts';
import type { LedgerStore } from './ledger-store.ts';

/**
 * The heads of `caseIds` as the ledger stood at `at`, as leaves, read `concurrency` at a time by a pool of
 * workers: each takes the next case as soon as its last read returns, so one slow read holds up one worker,
 * not a whole batch. Cases with no event recorded by `at` give no leaf. Order of the result: unspecified.
 */
export async function headsOf(
  ledger: Pick<LedgerStore, 'headAt'>,
  caseIds: readonly string[],
  at: Date,
  options: { readonly concurrency: number; readonly onRead?: (read: number) => void },
): Promise<DigestLeaf[]> {
  const leaves: DigestLeaf[] = [];
  let next = 0;
  const worker = async () => {
    while (next < caseIds.length) {
      const caseId = caseIds[next++]!;
      const head = await ledger.headAt(caseId, at);
      if (head) leaves.push({ caseId, version: head.version, hash: head.hash });
      options.onRead?.(1);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, caseIds.length) }, worker));
  return leaves;
}
