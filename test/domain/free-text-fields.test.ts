import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { erasedEventSchema, newEventSchema, type RecordableEvent } from '../../domain/event-catalogue.ts';
import { freeTextPaths, mapFreeTexts, structuredTextFields } from '../../domain/free-text-fields.ts';

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
};

/** Every place a string can go in a schema, in the `*` notation of the declaration. */
function stringPaths(root: JsonSchema, at: JsonSchema = root, path: string[] = []): string[] {
  const schema = at.$ref ? root.$defs![at.$ref.replace('#/$defs/', '')]! : at;
  const here = path.join('.');
  const nested = [...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? [])].flatMap((part) =>
    stringPaths(root, part, path),
  );
  const properties = Object.entries(schema.properties ?? {}).flatMap(([key, value]) =>
    stringPaths(root, value, [...path, key]),
  );
  const items = schema.items ? stringPaths(root, schema.items, [...path, '*']) : [];
  const types = [schema.type ?? []].flat();
  const isString =
    types.includes('string') ||
    typeof schema.const === 'string' ||
    (schema.enum ?? []).some((value) => typeof value === 'string');
  return [...(isString ? [here] : []), ...nested, ...properties, ...items];
}

const schemas = [...newEventSchema.options, erasedEventSchema];

describe('the free texts of the catalogue', () => {
  it.each(schemas.map((schema) => [schema.shape.type.value, schema] as const))(
    'every string of a %s is declared either free text (sealed) or a structured fact (clear)',
    (type, schema) => {
      const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
      // The subject is sealed as one box beside its nationality (sealed-subject.ts).
      const strings = [...new Set(stringPaths(json))].filter((path) => !path.startsWith('data.subject'));
      const sealed = freeTextPaths(type);
      const clear: readonly string[] = [...structuredTextFields.envelope, ...structuredTextFields[type]];
      const undeclared = strings.filter((path) => !sealed.includes(path) && !clear.includes(path));
      expect(undeclared).toEqual([]);
      // Nothing is on both sides, and nothing declared is missing from the schema.
      expect(sealed.filter((path) => clear.includes(path))).toEqual([]);
      expect([...sealed, ...clear].filter((path) => !strings.includes(path))).toEqual([]);
    },
  );

  it('names the texts a name could be typed into, and keeps what the views count by in clear', () => {
    expect(freeTextPaths('ConsularVisit')).toEqual([
      'note',
      'sources.*.title',
      'sources.*.publisher',
      'sources.*.url',
      'data.notes',
    ]);
    expect(freeTextPaths('CaseOpened')).toContain('data.labels.*');
    expect(freeTextPaths('Retracted')).toContain('data.reason');
    expect(freeTextPaths('Erased')).toEqual([]);
    expect(structuredTextFields.Retracted).toContain('data.eventId');
    expect(structuredTextFields.Charged).toEqual(['data.charges.*.text', 'data.charges.*.article']);
  });
});

describe('mapFreeTexts', () => {
  const visit: RecordableEvent = {
    type: 'ConsularVisit',
    occurredAt: '2025-07-03',
    sources: [
      { title: 'Report on Test Person Mapped', url: 'https://example.org/r', publishedAt: '2025-07-04' },
    ],
    note: 'Seen by Test Person Mapped',
    data: { by: 'Embassy of Utopia', notes: 'In good health' },
  };

  it('replaces each free text present, naming its one place, and leaves structured facts and the event alone', () => {
    const seen: string[] = [];
    const mapped = mapFreeTexts(visit, (value, field) => {
      seen.push(field);
      return `<${String(value).length}>`;
    });
    expect(seen.sort()).toEqual(['data.notes', 'note', 'sources.0.title', 'sources.0.url']);
    expect(mapped).toEqual({
      ...visit,
      sources: [{ title: '<28>', url: '<21>', publishedAt: '2025-07-04' }],
      note: '<26>',
      data: { by: 'Embassy of Utopia', notes: '<14>' },
    });
    expect(visit.note).toBe('Seen by Test Person Mapped');
  });

  it('maps each label of an opening on its own, and no text of an erasure', () => {
    const opened: RecordableEvent = {
      type: 'CaseOpened',
      occurredAt: '2025-07-01',
      sources: [{ title: 'Intake' }],
      data: { subject: { name: 'Test Person Labelled' }, labels: ['a', 'b'] },
    };
    const fields: string[] = [];
    mapFreeTexts(opened, (value, field) => fields.push(field) && value);
    expect(fields).toEqual(['sources.0.title', 'data.labels.0', 'data.labels.1']);
    const erased: RecordableEvent = {
      type: 'Erased',
      occurredAt: '2025-07-01',
      sources: [{ title: 'Erasure' }],
      data: { reason: 'Request of the person' },
    };
    expect(mapFreeTexts(erased, () => 'x')).toBe(erased);
  });
});
