import * as z from 'zod';
import { text } from './event-catalogue.ts';

/**
 * The subject of a case as the ledger stores it (issue 6): the personal fields sealed with the case's own
 * key, the nationality in clear because the status views and summaries count by it.
 *
 * The hash chain is taken over this stored form, ciphertext included, so destroying the key (erasure) makes
 * the person unreadable without touching a single hash: `verify` and proofs still hold.
 */
export const sealedSubjectSchema = z
  .strictObject({
    nationality: text(100).optional(),
    sealed: z.strictObject({
      /** AES-256-GCM with a 96-bit IV; the case id is the additional authenticated data. */
      alg: z.literal('A256GCM'),
      iv: z.base64url().length(16),
      /** Ciphertext followed by the 128-bit tag, base64url. */
      ciphertext: z.base64url().min(24).max(16_384),
    }),
  })
  .meta({
    id: 'SealedSubject',
    description: 'The subject as stored: name, birth year, occupation and notes encrypted with the case key',
  });

export type SealedSubject = z.output<typeof sealedSubjectSchema>;

/** What a reader with the right to see the person gets once the case's key has been destroyed. */
export const ERASED = '[erased]';
