import * as z from 'zod';
import { erasedEventSchema, eventDataSchemas, newEventSchema } from './event-catalogue.ts';
import { sealedSubjectSchema } from './sealed-subject.ts';

/**
 * The content of an event as the ledger holds it (without the envelope the ledger sets): what a client
 * submits, except that a `CaseOpened` carries its subject sealed, and `Erased`, which only the ledger writes.
 * Imports check exported events against it: a copy must not bring in what the ledger would never have written.
 */
const options = [
  ...newEventSchema.options.map((option) =>
    option.shape.type.value === 'CaseOpened'
      ? option.extend({ data: eventDataSchemas.CaseOpened.extend({ subject: sealedSubjectSchema }) })
      : option,
  ),
  erasedEventSchema,
];

// The map loses the tuple type `discriminatedUnion` asks for; the list is never empty.
export const recordedEventSchema = z.discriminatedUnion('type', options as [(typeof options)[number]]);
