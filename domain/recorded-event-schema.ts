import * as z from 'zod';
import {
  erasedEventSchema,
  eventDataSchemas,
  newEventSchema,
  sourceSchema,
  subjectSchema,
} from './event-catalogue.ts';
import { dataTextFieldsOf, sourceTextFields } from './free-text-fields.ts';
import { sealedSubjectSchema } from './sealed-subject.ts';
import { sealedTextSchema } from './sealed-text.ts';

/**
 * The content of an event (without the envelope the ledger sets) as the ledger holds it, and as the API answers
 * with it. Both are the catalogue with the subject of a `CaseOpened` and every free text (`free-text-fields.ts`)
 * in another form; `Erased`, which only the ledger writes, is as it is.
 */

/** How a form writes a free text: given the catalogue's schema of the text, the schema of the field. */
export type TextForm = (clear: z.ZodType) => z.ZodType;

/** The same field, optional or not, a text or a list of texts, with each text in the form. */
function widened(field: z.ZodType, form: TextForm): z.ZodType {
  if (field instanceof z.ZodOptional) return widened(field.unwrap() as z.ZodType, form).optional();
  if (field instanceof z.ZodArray)
    return field.clone({ ...field._zod.def, element: form(field.element as z.ZodType) });
  return form(field);
}

export function withTexts<S extends z.ZodObject>(schema: S, fields: readonly string[], form: TextForm) {
  return schema.extend(
    Object.fromEntries(fields.map((field) => [field, widened(schema.shape[field] as z.ZodType, form)])),
  );
}

/** Every event type's content with its subject and free texts in the given forms. */
export function eventContentSchema(form: TextForm, source: z.ZodType, subject: z.ZodType) {
  const options = [
    ...newEventSchema.options.map((option) => {
      const type = option.shape.type.value;
      let data: z.ZodObject = eventDataSchemas[type];
      if (type === 'CaseOpened') data = eventDataSchemas.CaseOpened.extend({ subject });
      const texts = dataTextFieldsOf(type);
      return option.extend({
        // A clone keeps the list's bounds and their messages; only the element changes.
        sources: (option.shape.sources as z.ZodArray).clone({
          ...option.shape.sources._zod.def,
          element: source,
        }),
        note: widened(option.shape.note, form),
        data: withTexts(data, texts, form),
      });
    }),
    erasedEventSchema,
  ];
  // The map loses the tuple type `discriminatedUnion` asks for; the list is never empty.
  return z.discriminatedUnion('type', options as [(typeof options)[number]]);
}

/** Stored: each text sealed, or in clear as the catalogue has it (recorded before texts were sealed). */
const stored: TextForm = (clear) => z.union([clear, sealedTextSchema]);

/** A source as stored: title, publisher and URL sealed. */
export const storedSourceSchema = withTexts(sourceSchema, sourceTextFields, stored).meta({
  id: 'StoredSource',
  description: 'Where a fact comes from, as stored: its texts sealed with the case key',
});

/**
 * The content of an event as the ledger holds it. Imports check exported events against it: a copy must not
 * bring in what the ledger would never have written.
 */
export const recordedEventSchema = eventContentSchema(stored, storedSourceSchema, sealedSubjectSchema);

/**
 * A free text in an answer: the text, or what stands in for it — `[sealed]` for a caller without the right to
 * see personal data, `[erased]`, `[unreadable]` — or, in the stored form of a history, its sealed box.
 */
export const answeredTextSchema = z.union([z.string(), sealedTextSchema]).meta({
  id: 'AnsweredText',
  description:
    'A free text: in clear with the pii scope, else [sealed]; [erased] after an erasure; or its box',
});

export const answeredSourceSchema = withTexts(sourceSchema, sourceTextFields, () => answeredTextSchema).meta({
  id: 'AnsweredSource',
  description: 'Where a fact comes from, as answered: its texts as the caller may see them',
});

/** The subject in an answer: opened, a pseudonym with the nationality, `[erased]`, or sealed (stored form). */
export const answeredSubjectSchema = z
  .union([
    subjectSchema,
    z.strictObject({ pseudonym: z.string(), nationality: z.string().optional() }),
    sealedSubjectSchema,
  ])
  .meta({ id: 'AnsweredSubject' });

/** The content of an event as the API answers with it, in the shown form or the stored form. */
export const answeredEventSchema = eventContentSchema(
  () => answeredTextSchema,
  answeredSourceSchema,
  answeredSubjectSchema,
);
