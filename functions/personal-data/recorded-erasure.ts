import type { StoredEvent } from '../../domain/stored-event.ts';
import type { LedgerStore } from '../store/ledger-store.ts';

/**
 * The case's `Erased` event, if its stream (up to `upTo`, the head by default) holds one. What the ledger
 * records is the authority on erasure: a key that reappears — a restored table, an interrupted request — is
 * destroyed again because of it.
 */
export async function recordedErasure(
  ledger: Pick<LedgerStore, 'head' | 'readRange'>,
  caseId: string,
  upTo?: number,
): Promise<StoredEvent | undefined> {
  const last = upTo ?? (await ledger.head(caseId))?.version;
  if (last === undefined || last < 1) return undefined;
  const events = await ledger.readRange(caseId, 1, last);
  return events.find((event) => event.type === 'Erased');
}
