import * as z from 'zod';
import { text } from './event-catalogue.ts';
import { sealedTextSchema } from './sealed-text.ts';

/**
 * The subject of a case as the ledger stores it: the personal fields sealed with the case's own key, the
 * nationality in clear because the status views and summaries count by it.
 *
 * The hash chain is taken over this stored form, ciphertext included, so destroying the key (erasure) makes
 * the person unreadable without touching a single hash: `verify` and proofs still hold.
 */
export const sealedSubjectSchema = z
  .strictObject({
    nationality: text(100).optional(),
    /** The canonical JSON of name, birth year, occupation and notes; the case id is the additional data. */
    sealed: sealedTextSchema,
  })
  .meta({
    id: 'SealedSubject',
    description: 'The subject as stored: name, birth year, occupation and notes encrypted with the case key',
  });

export type SealedSubject = z.output<typeof sealedSubjectSchema>;
