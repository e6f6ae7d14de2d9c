import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import {
  chargeSchema,
  eventDataSchemas,
  eventTypes,
  newEventSchema,
  sourceSchema,
  subjectSchema,
} from '../../domain/event-catalogue.ts';
import { resources } from '../../web/src/i18n/resources.ts';
import { emptyDraft, eventOf, type FieldValue } from '../../web/src/record/event-draft.ts';
import {
  CHARGE_FIELDS,
  EVENT_FIELDS,
  type FieldSpec,
  FORM_EVENT_TYPES,
  SOURCE_FIELDS,
  SUBJECT_FIELDS,
} from '../../web/src/record/event-fields.ts';

interface JsonSchema {
  readonly type?: string;
  readonly format?: string;
  readonly const?: unknown;
  readonly enum?: readonly unknown[];
  readonly properties?: Record<string, JsonSchema>;
  readonly required?: readonly string[];
  readonly items?: JsonSchema;
  readonly $ref?: string;
  readonly $defs?: Record<string, JsonSchema>;
}

interface Leaf {
  readonly path: string;
  readonly required: boolean;
  readonly schema: JsonSchema;
}

/** Every field a form must fill: objects are opened, anything else (lists included) is one field. */
function leaves(schema: JsonSchema, prefix = '', required = true): Leaf[] {
  return Object.entries(schema.properties ?? {}).flatMap(([name, inner]) => {
    const path = `${prefix}${name}`;
    const isRequired = required && (schema.required ?? []).includes(name);
    return inner.type === 'object' && inner.properties !== undefined
      ? leaves(inner, `${path}.`, isRequired)
      : [{ path, required: isRequired, schema: inner }];
  });
}

/** The JSON Schema of a zod schema; one with an id of its own comes as a reference into `$defs`. */
function jsonOf(schema: z.ZodType): JsonSchema {
  const root = z.toJSONSchema(schema, { unrepresentable: 'any' }) as JsonSchema;
  const named = root.$ref?.replace('#/$defs/', '');
  return named !== undefined ? (root.$defs?.[named] ?? root) : root;
}

/** Whether a form field of this kind can hold what the schema asks for. */
function fits(spec: FieldSpec, schema: JsonSchema): boolean {
  switch (spec.kind) {
    case 'name':
    case 'text':
      return schema.type === 'string' && schema.format === undefined;
    case 'day':
      return schema.type === 'string' && schema.format === 'date';
    case 'count':
      return schema.type === 'integer';
    case 'yesNo':
      return schema.type === 'boolean' && schema.const === undefined;
    case 'flag':
      return schema.type === 'boolean' && schema.const === true;
    case 'choice':
      return JSON.stringify([...(schema.enum ?? [])].sort()) === JSON.stringify([...spec.options].sort());
    case 'charges':
      return schema.type === 'array';
  }
}

function expectSpecsCover(specs: readonly FieldSpec[], schema: z.ZodType) {
  const fields = leaves(jsonOf(schema));
  expect(specs.map((spec) => spec.path).sort()).toEqual(fields.map((field) => field.path).sort());
  for (const field of fields) {
    const spec = specs.find((found) => found.path === field.path);
    expect(spec?.required, `${field.path} required`).toBe(field.required);
    expect(spec && fits(spec, field.schema), `${field.path} is a ${spec?.kind}`).toBe(true);
  }
}

describe('the record forms against the event catalogue', () => {
  it('have a form for every type a client records, but the opening and the retraction', () => {
    const elsewhere = ['CaseOpened', 'Retracted'];
    expect([...FORM_EVENT_TYPES].sort()).toEqual(
      eventTypes.filter((type) => !elsewhere.includes(type)).sort(),
    );
  });

  it.each(FORM_EVENT_TYPES)('have every data field of %s, of the right kind', (type) => {
    expectSpecsCover(EVENT_FIELDS[type], eventDataSchemas[type]);
  });

  it('have every field of a charge, of a subject, and of a source', () => {
    expectSpecsCover(CHARGE_FIELDS, chargeSchema);
    expectSpecsCover(SUBJECT_FIELDS, subjectSchema);
    expect([...SOURCE_FIELDS].sort()).toEqual(Object.keys(sourceSchema.shape).sort());
  });

  it('have every field the opening and the retraction take, on their own screens', () => {
    expect(Object.keys(eventDataSchemas.CaseOpened.shape).sort()).toEqual(['groupId', 'labels', 'subject']);
    expect(Object.keys(eventDataSchemas.Retracted.shape).sort()).toEqual(['eventId', 'reason']);
  });
});

/** What a person might type into a field of each kind. */
function typed(spec: FieldSpec): FieldValue {
  switch (spec.kind) {
    case 'day':
      return '2025-07-14';
    case 'count':
      return '6';
    case 'choice':
      return spec.options[0] ?? '';
    case 'yesNo':
    case 'flag':
      return true;
    default:
      return 'Embassy of Somewhere';
  }
}

describe('the words of the record forms', () => {
  const textAt = (tree: unknown, path: string): unknown =>
    path
      .split('.')
      .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], tree);

  it('name every field of every form, and every type it offers', () => {
    const { record, events } = resources.en;
    for (const spec of Object.values(EVENT_FIELDS).flat()) {
      expect(typeof textAt(record.fields, spec.path), spec.path).toBe('string');
    }
    // A charge's fields are named with its number: "Charge 2", "Article of charge 2".
    for (const spec of CHARGE_FIELDS)
      expect(typeof textAt(record.charges, spec.path), spec.path).toBe('string');
    for (const spec of SUBJECT_FIELDS)
      expect(typeof textAt(record.subject, spec.path), spec.path).toBe('string');
    for (const type of FORM_EVENT_TYPES) expect(typeof textAt(events.types, type), type).toBe('string');
  });
});

describe('a filled form', () => {
  it.each(FORM_EVENT_TYPES)('makes a %s event the catalogue accepts', (type) => {
    const draft = emptyDraft(type);
    const values: Record<string, FieldValue> = {};
    // A custody term takes an end date or months, not both: fill the first of them.
    for (const spec of EVENT_FIELDS[type])
      if (!(spec.path === 'months' && 'until' in values)) values[spec.path] = typed(spec);
    const event = eventOf(
      {
        ...draft,
        occurredAt: ' 2025-10? ',
        values,
        charges: [{ key: 'c1', text: 'Illegal border crossing', article: '318' }],
        sources: [{ key: 's1', title: 'Ministry statement', publisher: '', url: '', publishedAt: '' }],
        note: '',
      },
      '0b9c6a51-4f4e-4b8e-9a4e-1d3f1f0c2a11',
    );
    const parsed = newEventSchema.safeParse(event);
    expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
    expect(event).toMatchObject({
      type,
      occurredAt: '2025-10?',
      eventId: '0b9c6a51-4f4e-4b8e-9a4e-1d3f1f0c2a11',
    });
  });

  it('leaves out what was left empty, so the API names the required field that is missing', () => {
    const event = eventOf({ ...emptyDraft('Detained'), values: { place: '', facility: '  ' } });
    expect(event.data).toEqual({ place: '' });
    expect(event).not.toHaveProperty('note');
  });
});
