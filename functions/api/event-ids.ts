import { createHash } from 'node:crypto';
import type { IdentifiedEvent } from '../../domain/append-rules.ts';
import type { NewEvent } from '../../domain/event-catalogue.ts';

/** A UUID (version 8, RFC 9562) derived from a name, so the same name always gives the same id. */
export function uuidFromName(name: string): string {
  const bytes = createHash('sha256').update(name, 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x80;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export interface IdContext {
  /** The request's `Idempotency-Key`, if any. */
  readonly idempotencyKey?: string;
  /** What the key is scoped to (route and case), so one key on two cases gives two sets of ids. */
  readonly scope: string;
  readonly newId: () => string;
}

/**
 * Gives every event its id: the client's own, else one derived from the Idempotency-Key (so a retried request
 * gets the same ids and is recognised), else a fresh one.
 */
export function assignEventIds(events: readonly NewEvent[], context: IdContext): IdentifiedEvent[] {
  return events.map((event, index) => ({
    ...event,
    eventId:
      event.eventId ??
      (context.idempotencyKey !== undefined
        ? uuidFromName(`${context.scope}\u0000${context.idempotencyKey}\u0000${index}`)
        : context.newId()),
  }));
}
