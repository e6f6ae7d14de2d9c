import { z } from '@hono/zod-openapi';
import { eventIdSchema, sourceSchema, subjectSchema, text } from '../../domain/event-catalogue.ts';
import { sourceTextFields } from '../../domain/free-text-fields.ts';
import {
  eventContentSchema,
  recordedEventSchema,
  type TextForm,
  withTexts,
} from '../../domain/recorded-event-schema.ts';
import { ERASED, SEALED, UNREADABLE } from '../../domain/sealed-text.ts';

/**
 * The events the API answers with, as a union on `type` built from the catalogue's own schemas, so that the
 * OpenAPI document (and every client generated from it) knows the `data` of each type exactly as the ledger
 * validated it.
 */

const hash = z
  .string()
  .regex(/^[0-9a-f]{64}$/)
  .meta({ description: 'SHA-256, lower-case hex' });

/** The envelope fields the ledger sets when it records an event. */
const recordedEnvelope = {
  streamId: z.string().meta({ description: 'The case the event belongs to' }),
  version: z.int().min(1).meta({ description: "The event's place in its case: 1, 2, 3 …" }),
  eventId: eventIdSchema,
  recordedAt: z.iso.datetime().meta({ description: 'When the ledger recorded it (transaction time)' }),
  recordedBy: z.string().meta({ description: 'Who recorded it: the subject of their token' }),
  prevHash: hash.meta({ description: 'The hash of the previous event of the case; 64 zeros for version 1' }),
  hash: hash.meta({ description: 'SHA-256 over the RFC 8785 canonical JSON of the event without `hash`' }),
};

/** What a caller without the right to see the person gets in place of the subject. */
export const pseudonymousSubjectSchema = z
  .strictObject({
    pseudonym: z
      .string()
      .regex(/^person-[0-9a-f]{12}$/)
      .meta({
        description: 'Derived from the case id: the same in every answer, and nothing about the person',
      }),
    nationality: text(100).optional(),
  })
  .meta({ id: 'PseudonymousSubject', description: 'The subject as shown to a caller without the pii scope' });

/** A free text as shown: in clear with the pii scope, else the placeholder that stands in for it. */
const shownText: TextForm = (clear) =>
  z.union([clear, z.enum([SEALED, ERASED, UNREADABLE])]).meta({
    description: 'In clear with the pii scope; `[sealed]` without it, `[erased]` after an erasure',
  });

const shownSource = withTexts(sourceSchema, sourceTextFields, shownText).meta({
  id: 'ShownSource',
  description: 'Where a fact comes from, its texts as the caller may see them',
});

export const shownSubjectSchema = z.union([subjectSchema, pseudonymousSubjectSchema]).meta({
  description:
    'In clear with the pii scope (the name reads `[erased]` once the case is erased), a pseudonym otherwise',
});

export type ShownSubject = z.output<typeof shownSubjectSchema>;

const shownOptions = eventContentSchema(shownText, shownSource, shownSubjectSchema).options.map((option) =>
  option.extend(recordedEnvelope),
);

/** An event as a caller may see it (`form=shown`, and every answer but the stored history). */
// The map loses the tuple type `discriminatedUnion` asks for; the list is never empty.
export const shownEventSchema = z
  .discriminatedUnion('type', shownOptions as [(typeof shownOptions)[number]])
  .meta({
    id: 'ShownEvent',
    description: 'An event with the envelope the ledger gave it, as the caller may see it',
  });

export type ShownEvent = z.output<typeof shownEventSchema>;

const storedOptions = recordedEventSchema.options.map((option) => option.extend(recordedEnvelope));

/** An event byte for byte as the ledger holds it (`form=stored`), from which every hash can be recomputed. */
export const storedEventSchema = z
  .discriminatedUnion('type', storedOptions as [(typeof storedOptions)[number]])
  .meta({ id: 'StoredEvent', description: 'An event exactly as the ledger holds it, the subject sealed' });

export type StoredEventAnswer = z.output<typeof storedEventSchema>;

/** A page of a case's history: events shown by default, stored with `form=stored`. */
export const eventPageSchema = z
  .union([
    z
      .object({ events: z.array(shownEventSchema), nextCursor: z.string().optional() })
      .meta({ id: 'ShownEventPage', description: 'A page of events as the caller may see them' }),
    z.object({ events: z.array(storedEventSchema), nextCursor: z.string().optional() }).meta({
      id: 'StoredEventPage',
      description: 'With `form=stored`: a page of events as the ledger holds them',
    }),
  ])
  .meta({ id: 'EventPage' });
