import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { StoredEvent } from './stored-event.ts';

/** The `prevHash` of a stream's first event. */
export const GENESIS_HASH = '0'.repeat(64);

/** An event with every field but its own hash: what the hash is computed over. */
export type HashableEvent = Omit<StoredEvent, 'hash'>;

/** The fields that are hashed, in no particular order: canonicalisation (RFC 8785) fixes the order. */
function hashedContent(event: HashableEvent) {
  return {
    streamId: event.streamId,
    version: event.version,
    eventId: event.eventId,
    type: event.type,
    occurredAt: event.occurredAt,
    sources: event.sources,
    note: event.note,
    data: event.data,
    recordedAt: event.recordedAt,
    recordedBy: event.recordedBy,
    prevHash: event.prevHash,
  };
}

/** SHA-256, hex, of the UTF-8 bytes of a value's RFC 8785 canonical JSON. */
export function sha256OfCanonical(value: unknown): string {
  const canonical = canonicalize(value);
  if (canonical === undefined) throw new Error('Value has no canonical JSON form');
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

/**
 * The hash of an event: SHA-256 over the canonical JSON of its content, its place in the stream and the
 * previous event's hash, so changing any stored field, or the order of events, breaks the chain from there on.
 */
export function hashEvent(event: HashableEvent): string {
  return sha256OfCanonical(hashedContent(event));
}

export interface ChainVerification {
  readonly ok: boolean;
  /** How many events were checked. */
  readonly events: number;
  /** The stored hash of the last event (`GENESIS_HASH` for an empty stream). */
  readonly headHash: string;
  /** The first version whose hash, link or place does not hold. */
  readonly brokenAt?: number;
}

/**
 * Recomputes a stream's chain from its stored events, given in stored order. It checks that versions run
 * 1, 2, 3 … without gaps (a deleted or swapped event shows), that each `prevHash` names the previous event's
 * hash, and that each stored hash is the hash of the stored content.
 */
export function verifyChain(events: readonly StoredEvent[]): ChainVerification {
  let previousHash = GENESIS_HASH;
  for (const [index, event] of events.entries()) {
    const expectedVersion = index + 1;
    const holds =
      event.version === expectedVersion && event.prevHash === previousHash && hashEvent(event) === event.hash;
    if (!holds) {
      return {
        ok: false,
        events: events.length,
        headHash: events.at(-1)?.hash ?? GENESIS_HASH,
        brokenAt: expectedVersion,
      };
    }
    previousHash = event.hash;
  }
  return { ok: true, events: events.length, headHash: previousHash };
}
