import type { SealedEvent, StoredEvent } from '../../domain/stored-event.ts';

/**
 * The one place the envelope's fields are listed, in their order. A fresh append, its replay and an event
 * read back are built by these, so they answer byte for byte alike; storage bookkeeping (`itemKind`, index keys)
 * is never among them.
 */

/** The fields a client submits, in the envelope's order: what fingerprints of imported events are over. */
export function submittedFormOf(fields: object): SealedEvent {
  const event = fields as { readonly [field: string]: unknown };
  return {
    eventId: event.eventId,
    type: event.type,
    occurredAt: event.occurredAt,
    sources: event.sources,
    ...(event.note !== undefined && { note: event.note }),
    data: event.data,
  } as SealedEvent;
}

/**
 * The envelope but its hash, field by field, from whatever holds its fields: an event being chained, or an item
 * read back, whose fields are taken as stored — tampered values included — because `verify` must see exactly
 * what is there.
 */
export function envelopeOf(from: object): Omit<StoredEvent, 'hash'> {
  const fields = from as { readonly [field: string]: unknown };
  return {
    streamId: fields.streamId,
    version: fields.version,
    ...submittedFormOf(fields),
    recordedAt: fields.recordedAt,
    recordedBy: fields.recordedBy,
    prevHash: fields.prevHash,
  } as Omit<StoredEvent, 'hash'>;
}
