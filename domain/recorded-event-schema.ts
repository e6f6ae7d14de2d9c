import * as z from 'zod';
import { erasedEventSchema, eventDataSchemas, newEventSchema, sourceSchema } from './event-catalogue.ts';
import { dataTextFields, sourceTextFields } from './free-text-fields.ts';
import { sealedSubjectSchema } from './sealed-subject.ts';
import { sealedTextSchema } from './sealed-text.ts';

/**
 * The content of an event as the ledger holds it (without the envelope the ledger sets): what a client
 * submits, except that the subject of a `CaseOpened` and every free text (`free-text-fields.ts`) are sealed,
 * and `Erased`, which only the ledger writes. A free text may also be in clear: events recorded before texts
 * were sealed hold them so. Imports check exported events against it: a copy must not bring in what the ledger
 * would never have written.
 */

/** A text field as stored: the text in clear (recorded before sealing), or its sealed box. */
function storedText<S extends z.ZodType>(clear: S) {
  return z.union([clear, sealedTextSchema]);
}

/** The same field, optional or not, a text or a list of texts, with each text possibly sealed. */
function widened(field: z.ZodType): z.ZodType {
  if (field instanceof z.ZodOptional) return widened(field.unwrap() as z.ZodType).optional();
  if (field instanceof z.ZodArray) {
    return field.clone({ ...field._zod.def, element: storedText(field.element as z.ZodType) });
  }
  return storedText(field);
}

function withStoredTexts<S extends z.ZodObject>(schema: S, fields: readonly string[]) {
  return schema.extend(
    Object.fromEntries(fields.map((field) => [field, widened(schema.shape[field] as z.ZodType)])),
  );
}

/** A source as stored: title, publisher and URL sealed. */
export const storedSourceSchema = withStoredTexts(sourceSchema, sourceTextFields).meta({
  id: 'StoredSource',
  description: 'Where a fact comes from, as stored: its texts sealed with the case key',
});

const options = [
  ...newEventSchema.options.map((option) => {
    const type = option.shape.type.value;
    let data: z.ZodObject = eventDataSchemas[type];
    if (type === 'CaseOpened') data = eventDataSchemas.CaseOpened.extend({ subject: sealedSubjectSchema });
    const texts: readonly string[] =
      (dataTextFields as Partial<Record<string, readonly string[]>>)[type] ?? [];
    return option.extend({
      // A clone keeps the list's bounds and their messages; only the element changes.
      sources: (option.shape.sources as z.ZodArray).clone({
        ...option.shape.sources._zod.def,
        element: storedSourceSchema,
      }),
      note: widened(option.shape.note),
      data: withStoredTexts(data, texts),
    });
  }),
  erasedEventSchema,
];

// The map loses the tuple type `discriminatedUnion` asks for; the list is never empty.
export const recordedEventSchema = z.discriminatedUnion('type', options as [(typeof options)[number]]);
