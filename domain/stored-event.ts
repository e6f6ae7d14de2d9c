import type { RecordableEvent } from './event-catalogue.ts';
import type { SealedSubject } from './sealed-subject.ts';

/** The envelope fields the server sets when it records an event (DESIGN §3). */
export interface RecordedEnvelope {
  /** The case the event belongs to. */
  readonly streamId: string;
  /** The event's place in its stream: 1, 2, 3 … */
  readonly version: number;
  readonly eventId: string;
  /** When the ledger recorded it (transaction time), ISO 8601 with milliseconds, UTC. */
  readonly recordedAt: string;
  /** Who recorded it: the authenticated principal, never a value from the request body. */
  readonly recordedBy: string;
  /** The hash of the previous event of the stream (`GENESIS_HASH` for version 1). */
  readonly prevHash: string;
  /** SHA-256 over the RFC 8785 canonical form of the event without `hash`. */
  readonly hash: string;
}

/** An event with its subject, if it has one, in the sealed form the ledger stores (issue 6). */
export type Sealed<E> = E extends { readonly type: 'CaseOpened'; readonly data: infer D }
  ? Omit<E, 'data'> & { readonly data: Omit<D, 'subject'> & { readonly subject: SealedSubject } }
  : E;

/** An event ready to be chained: its id assigned and its subject sealed. */
export type SealedEvent = Sealed<RecordableEvent> & { readonly eventId: string };

/** An event as the ledger holds it. The union over `type` keeps `data` typed by the event's type. */
export type StoredEvent = Sealed<RecordableEvent> & RecordedEnvelope;

/** A stored event of one type. */
export type StoredEventOf<T extends StoredEvent['type']> = Extract<StoredEvent, { type: T }>;
