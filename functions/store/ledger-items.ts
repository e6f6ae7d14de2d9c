import type { StoredEvent } from '../../domain/stored-event.ts';
import { shardOf } from '../tables/shards.ts';
import { LEDGER_ITEM_KIND } from '../tables/table-definitions.ts';

/** Case ids never start with `#`, so guard partitions can never collide with a case's stream. */
const EVENT_ID_GUARD_PREFIX = '#event-id#';

/** The key of the item that reserves an event id across the whole ledger. */
export function eventIdGuardKey(eventId: string) {
  return { streamId: `${EVENT_ID_GUARD_PREFIX}${eventId}`, version: 0 };
}

/** What a guard item records: where the event went, and a fingerprint of what was submitted. */
export interface EventIdGuard {
  readonly eventId: string;
  readonly caseId: string;
  readonly eventVersion: number;
  readonly type: StoredEvent['type'];
  readonly fingerprint: string;
}

export function toGuardItem(guard: EventIdGuard, recordedAt: string) {
  return { ...eventIdGuardKey(guard.eventId), itemKind: LEDGER_ITEM_KIND.eventIdGuard, ...guard, recordedAt };
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

/** The audit index's keys: a day bucket split into shards by case, ordered by recording time within it. */
function auditKeys(event: StoredEvent) {
  return {
    auditPk: `${event.recordedAt.slice(0, 10)}#${shardOf(event.streamId)}`,
    auditSk: `${event.recordedAt}#${event.streamId}#${String(event.version).padStart(12, '0')}`,
  };
}

/**
 * The case index's key, on a stream's first event only: a sparse index of every case id, so digests can list
 * the cases without scanning the ledger.
 */
function caseKeys(event: StoredEvent) {
  return event.version === 1 ? { caseShard: `cases#${shardOf(event.streamId)}` } : {};
}

export function toEventItem(event: StoredEvent) {
  return { ...event, itemKind: LEDGER_ITEM_KIND.event, ...auditKeys(event), ...caseKeys(event) };
}

/**
 * An event item back into a stored event: the envelope fields only, in a fixed shape, so storage bookkeeping
 * (`itemKind`, index keys) never leaks into answers or hashes. Fields are taken as stored — tampered values
 * included — because `verify` must see exactly what is there.
 */
export function fromEventItem(item: Record<string, unknown>): StoredEvent {
  const event = {
    streamId: item.streamId,
    version: item.version,
    eventId: item.eventId,
    type: item.type,
    occurredAt: item.occurredAt,
    sources: item.sources,
    ...(item.note !== undefined && { note: item.note }),
    data: item.data,
    recordedAt: item.recordedAt,
    recordedBy: item.recordedBy,
    prevHash: item.prevHash,
    hash: item.hash,
  };
  return event as StoredEvent;
}
