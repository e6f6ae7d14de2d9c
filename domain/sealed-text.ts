import * as z from 'zod';
import { MAX_EVENT_BYTES } from './append-rules.ts';

/**
 * Personal data as the ledger stores it: AES-256-GCM under the case's own key, so destroying that one key
 * (erasure) makes every copy unreadable — the ledger, its exports and its backups — without touching a hash.
 * The same box holds a free text (a note, a source title) or the personal fields of a subject.
 */
export const sealedTextSchema = z
  .strictObject({
    /** AES-256-GCM with a 96-bit IV; the case, the event and the field are the additional authenticated data. */
    alg: z.literal('A256GCM'),
    iv: z.base64url().length(16),
    /** Ciphertext followed by the 128-bit tag, base64url: a one-byte text is 23 characters. */
    ciphertext: z.base64url().min(22).max(16_384),
  })
  .meta({
    id: 'SealedText',
    description: "Personal data encrypted with the case's key; opened only for callers who may see it",
  });

export type SealedText = z.output<typeof sealedTextSchema>;

/** Whether a stored value is a sealed box rather than a text stored in clear (recorded before sealing). */
export function isSealedText(value: unknown): value is SealedText {
  return typeof value === 'object' && value !== null && (value as { alg?: unknown }).alg === 'A256GCM';
}

/** What a reader with the right to see the person gets once the case's key has been destroyed. */
export const ERASED = '[erased]';

/** What a reader without the right to see personal data gets in place of a free text. */
export const SEALED = '[sealed]';

/** What a reader gets for a box that does not open: altered behind the ledger's back. */
export const UNREADABLE = '[unreadable]';

/**
 * The most an event may weigh as stored, its texts sealed. A box is the base64url of its text and a 16-byte tag
 * (a third more) and some 60 bytes of JSON; an event holds at most some 80 texts. Twice the bound of the form a
 * client sends leaves room for all of it.
 */
export const MAX_SEALED_EVENT_BYTES = 2 * MAX_EVENT_BYTES;
