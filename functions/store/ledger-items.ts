import type { StoredEvent } from '../../domain/stored-event.ts';
import { ledgerIndexes, ledgerKeys } from '../tables/ledger-keys.ts';
import { LEDGER_ITEM_KIND } from '../tables/table-definitions.ts';
import { envelopeOf } from './event-envelope.ts';

/** What a guard item records: where the event went, and a fingerprint of what was submitted. */
export interface EventIdGuard {
  readonly eventId: string;
  readonly caseId: string;
  readonly eventVersion: number;
  readonly type: StoredEvent['type'];
  readonly fingerprint: string;
}

export function toGuardItem(guard: EventIdGuard, recordedAt: string) {
  return {
    ...ledgerKeys.eventIdGuard(guard.eventId),
    itemKind: LEDGER_ITEM_KIND.eventIdGuard,
    ...guard,
    recordedAt,
  };
}

export function fromGuardItem(item: Record<string, unknown>): EventIdGuard {
  return {
    eventId: String(item.eventId),
    caseId: String(item.caseId),
    eventVersion: Number(item.eventVersion),
    type: item.type as EventIdGuard['type'],
    fingerprint: String(item.fingerprint),
  };
}

/**
 * An event's item: the envelope, its kind, and the keys of the audit index and — on a stream's first event
 * only — of the sparse case index.
 */
export function toEventItem(event: StoredEvent) {
  return {
    ...event,
    itemKind: LEDGER_ITEM_KIND.event,
    ...ledgerIndexes.byRecordedAt.keysOf(event),
    ...ledgerIndexes.byCase.keysOf(event),
  };
}

/** An event item back into a stored event: the envelope fields only, in a fixed shape, as stored. */
export function fromEventItem(item: Record<string, unknown>): StoredEvent {
  return { ...envelopeOf(item), hash: item.hash } as StoredEvent;
}
