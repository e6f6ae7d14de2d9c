import { MAX_EVENTS_PER_APPEND } from '../../domain/append-rules.ts';
import { GENESIS_HASH, hashEvent, sha256OfCanonical } from '../../domain/hash-chain.ts';
import type { StoredEvent } from '../../domain/stored-event.ts';
import { submittedFormOf } from './event-envelope.ts';
import type { LedgerReads } from './ledger-reads.ts';
import type { LedgerWrites } from './ledger-writes.ts';
import { StoreError } from './store-error.ts';

/** An imported event is already in the ledger with another hash: the two ledgers' histories differ. */
export class ImportConflictError extends StoreError {
  readonly code = 'import_conflict';
  constructor(caseId: string, version: number) {
    super(`${caseId} version ${version} is already in the ledger with a different hash; nothing was written`);
    this.name = 'ImportConflictError';
  }
}

/** The imported events do not form an unbroken chain after the case's head. */
export class ImportChainError extends StoreError {
  readonly code = 'import_chain_broken';
  constructor(caseId: string, version: number) {
    super(`${caseId} version ${version} does not chain onto the events before it; nothing was written`);
    this.name = 'ImportChainError';
  }
}

/**
 * Writes events exported from a ledger — envelopes, times, authors and hashes as they were — after the
 * case's head. Events the ledger already holds with the same hash are skipped, so an interrupted import
 * can simply run again; one that differs, or a chain that does not hold, is refused before anything is
 * written. Batches of `MAX_EVENTS_PER_APPEND`, each one transaction.
 */
export async function importEvents(
  ledger: { readonly reads: LedgerReads; readonly writes: LedgerWrites },
  caseId: string,
  events: readonly StoredEvent[],
): Promise<{ written: number; skipped: number }> {
  const head = await ledger.reads.head(caseId);
  const headVersion = head?.version ?? 0;
  const existing = events.filter((event) => event.version <= headVersion);
  if (existing.length > 0) {
    const stored = await ledger.reads.readRange(caseId, existing[0]!.version, existing.at(-1)!.version);
    const hashes = new Map(stored.map((event) => [event.version, event.hash]));
    for (const event of existing) {
      if (hashes.get(event.version) !== event.hash) throw new ImportConflictError(caseId, event.version);
    }
  }
  const fresh = events.filter((event) => event.version > headVersion);
  let prevHash = head?.hash ?? GENESIS_HASH;
  for (const [index, event] of fresh.entries()) {
    const { hash, ...unhashed } = event;
    if (
      event.streamId !== caseId ||
      event.version !== headVersion + index + 1 ||
      event.prevHash !== prevHash ||
      hashEvent(unhashed) !== hash
    ) {
      throw new ImportChainError(caseId, event.version);
    }
    prevHash = hash;
  }
  for (let start = 0; start < fresh.length; start += MAX_EVENTS_PER_APPEND) {
    const batch = fresh.slice(start, start + MAX_EVENTS_PER_APPEND);
    // The texts are already sealed; the fingerprint is over the sealed form, which is all an import has.
    await ledger.writes.write(
      batch.map((event) => sha256OfCanonical(submittedFormOf(event))),
      batch,
    );
  }
  return { written: fresh.length, skipped: existing.length };
}
