import type { RecordableEvent } from './event-catalogue.ts';
import type { DataTextField, sourceTextFields } from './free-text-fields.ts';
import type { SealedSubject } from './sealed-subject.ts';
import type { SealedText } from './sealed-text.ts';

/** The envelope fields the server sets when it records an event. */
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

/** A free text as stored: sealed, or in clear when it was recorded before texts were sealed. */
export type StoredText = string | SealedText;

/** A text, or a list of texts, with each text possibly sealed. */
type Sealable<V> = V extends string ? StoredText : V extends readonly string[] ? StoredText[] : V;

/** An object whose fields `K` are free texts, as stored. Optional fields stay optional. */
type WithStoredTexts<O, K extends PropertyKey> = { [P in keyof O]: P extends K ? Sealable<O[P]> : O[P] };

type StoredData<E> = E extends { readonly type: infer T extends string; readonly data: infer D }
  ? WithStoredTexts<
      T extends 'CaseOpened' ? Omit<D, 'subject'> & { subject: SealedSubject } : D,
      DataTextField<T>
    >
  : never;

type StoredSources<E> = E extends { readonly sources: readonly (infer S)[] }
  ? WithStoredTexts<S, (typeof sourceTextFields)[number]>[]
  : never;

/**
 * An event in the form the ledger stores: its subject and its free texts (`domain/free-text-fields.ts`) sealed
 * with the case's key. `Erased` carries no sealed text.
 */
export type Sealed<E> = E extends { readonly type: 'Erased' }
  ? E
  : Omit<E, 'note' | 'sources' | 'data'> & {
      readonly note?: StoredText;
      readonly sources: StoredSources<E>;
      readonly data: StoredData<E>;
    };

/** An event ready to be chained: its id assigned, its subject and free texts sealed. */
export type SealedEvent = Sealed<RecordableEvent> & { readonly eventId: string };

/** An event as the ledger holds it. The union over `type` keeps `data` typed by the event's type. */
export type StoredEvent = Sealed<RecordableEvent> & RecordedEnvelope;

/** A stored event of one type. */
export type StoredEventOf<T extends StoredEvent['type']> = Extract<StoredEvent, { type: T }>;
