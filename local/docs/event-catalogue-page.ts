import * as z from 'zod';
import {
  erasedEventSchema,
  eventDataSchemas,
  newEventSchema,
  type RecordableEvent,
  recordedEventTypes,
  sourceSchema,
} from '../../domain/event-catalogue.ts';
import { freeTextPaths } from '../../domain/free-text-fields.ts';
import type { RecordedEnvelope } from '../../domain/stored-event.ts';

/**
 * Renders `docs/event-catalogue.md` from the zod schemas that validate events and from the one list of free-text
 * fields, so the page says what the code accepts and what it seals. Only the meanings below are written by
 * hand; they are keyed by event type, so a new type does not compile until it is explained.
 */

type RecordedType = RecordableEvent['type'];

/** What each event says about the person, in the words of a desk; limits and fields come from the schemas. */
const meanings = {
  CaseOpened:
    'Opens the case: who the person is (`subject`, personal data), and optionally the group they belong to (a mass arrest, a delegation) and labels of the desk. Every case begins with it, and it appears nowhere else.',
  Detained:
    'The person was detained: where, and if known in which facility and by which authority. Status becomes `detained` (pre-trial custody).',
  Charged:
    'Charges were brought, added to those already known. Each charge is a text and, where known, the article of the code.',
  ChargesChanged:
    'The charges changed: `charges` is the whole new list (an empty list: every charge dropped).',
  CustodyOrdered:
    'A court ordered pre-trial custody, either until a day (`until`) or for a number of months from the date of the order (`months`): give exactly one of the two. Sets `custodyUntil`.',
  CustodyExtended: 'A court extended custody: as `CustodyOrdered`, exactly one of `until` and `months`.',
  HearingScheduled:
    'A hearing was set for a day (`on`) before a court. It becomes `nextHearingAt` (a later schedule replaces it, as a postponement does), unless a hearing held on that day or later is already recorded. Once its day has passed with no `HearingHeld` on or after it, a person in custody has the alert `not_seen_at_hearing`.',
  HearingHeld:
    'A hearing took place on a day (`on`) before a court: whether the person was seen there (`attended`: `yes`, `no`, or `unknown` when the source does not say) and, optionally, what was decided (`decision`, free text, sealed). It fulfils the scheduled hearing of that day or of an earlier one (an adjourned hearing held later is still held), so `nextHearingAt` moves past it; it sets `lastHearingAt` and `lastHearingAttended`. A person in custody held at a hearing with `attended: no` has the alert `not_seen_at_hearing` from the next day on, until a later hearing where they are seen (or said `unknown`); `unknown` is not an absence and never alerts.',
  Sentenced:
    'The person was sentenced: a term in `years` and/or `months`, or `life: true` (at least one of them), and optionally the facility. Status becomes `sentenced`.',
  Acquitted:
    'A court acquitted the person. It is not a release (people stay held pending appeal or paperwork): only `Released` ends custody.',
  Transferred: 'The person was moved to another facility.',
  ConsularVisit:
    'Consular staff (`by`: the mission) visited the person. Resets the clock of `consular_visit_overdue`.',
  ConsularAccessDenied: 'A consular visit was asked for and refused.',
  FamilyContact: 'The family had contact with the person: a visit, a call or a letter.',
  Released:
    'The person was released, and how (`mode`); `announced` says whether the release was made public. Status becomes `released`, or `house_arrest` for that mode.',
  DiedInCustody: 'The person died in custody. Status becomes `deceased`.',
  Retracted:
    'An earlier event of the same case (`eventId`) stops counting, for the reason given. Nothing is deleted: the retracted event stays in the history and in the hash chain. An opening, a retraction or an erasure cannot be retracted.',
  Erased:
    'Written by the ledger itself, never sent as an event: the erase route destroyed the case key, so the subject and every free text of the case read `[erased]` from then on. It records who erased and why, in clear, so that the record of the erasure outlives the key.',
} as const satisfies Record<RecordedType, string>;

/** The envelope fields the server sets; a field added to the stored envelope must be explained here. */
const recordedEnvelope = {
  streamId: 'the case id',
  version: 'the place of the event in its case: 1, 2, 3 … without a gap',
  eventId: 'the id the client sent, or one the server chose (a UUID)',
  recordedAt: 'when the ledger recorded it (ISO 8601, UTC, to the millisecond): the clock of `knownAt`',
  recordedBy: 'who recorded it: the subject of the caller’s token, never a value from the body',
  prevHash: 'the `hash` of the previous event of the case; 64 zeros for version 1',
  hash: 'SHA-256 over the RFC 8785 canonical form of the event without `hash`',
} as const satisfies Record<keyof RecordedEnvelope, string>;

/** A JSON Schema node, as far as this page reads one. */
interface JsonSchema {
  readonly type?: string;
  readonly $ref?: string;
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly items?: JsonSchema;
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly format?: string;
  readonly pattern?: string;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly $defs?: Readonly<Record<string, JsonSchema>>;
}

interface FieldRow {
  readonly path: string;
  readonly node: JsonSchema;
  readonly required: boolean;
}

function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
}

/** Follows `#/$defs/…` references of a schema rendered with its definitions; returns the name it followed. */
function resolved(node: JsonSchema, defs: JsonSchema['$defs']): { node: JsonSchema; name?: string } {
  const name = node.$ref?.replace('#/$defs/', '');
  if (name === undefined) return { node };
  const target = defs?.[name];
  if (target === undefined) throw new Error(`the schema refers to ${node.$ref}, which it does not define`);
  return { node: target, name };
}

/** Every leaf field under `node`, objects and lists flattened into paths (`*`: every element of a list). */
function fieldsOf(
  node: JsonSchema,
  prefix: string,
  required: boolean,
  defs: JsonSchema['$defs'],
): FieldRow[] {
  const { node: target, name } = resolved(node, defs);
  if (name === 'OccurredAt') return [{ path: prefix, node: { format: 'edtf' }, required }];
  if (target.type === 'object' && target.properties !== undefined) {
    return Object.entries(target.properties).flatMap(([key, child]) =>
      fieldsOf(
        child,
        prefix === '' ? key : `${prefix}.${key}`,
        target.required?.includes(key) ?? false,
        defs,
      ),
    );
  }
  if (target.type === 'array' && target.items !== undefined) {
    const listed = fieldsOf(target.items, `${prefix}.*`, true, defs);
    return [{ path: prefix, node: { ...target, items: undefined }, required }, ...listed];
  }
  return [{ path: prefix, node: target, required }];
}

const range = (min: number | undefined, max: number | undefined, unit: string) => {
  if (min !== undefined && max !== undefined) return `${min}–${max} ${unit}`;
  if (max !== undefined) return `at most ${max} ${unit}`;
  if (min !== undefined) return `at least ${min} ${unit}`;
  return '';
};

/** What a value may be, in words. */
function describeValue(node: JsonSchema): string {
  if (node.format === 'edtf')
    return 'date (EDTF: `2025`, `2025-06`, `2025-06-30`, `2025-10?`, `2025~`, `A/B`)';
  if (node.const !== undefined) return `\`${JSON.stringify(node.const)}\``;
  if (node.enum !== undefined) return `one of ${node.enum.map((value) => `\`${String(value)}\``).join(', ')}`;
  if (node.format === 'date') return 'day (`YYYY-MM-DD`)';
  if (node.format === 'uuid') return 'UUID';
  if (node.format === 'uri')
    return `web address (http or https), ${range(undefined, node.maxLength, 'characters')}`;
  if (node.pattern !== undefined && node.type === 'string')
    return 'identifier (1–128 of `A-Z a-z 0-9 . _ : -`)';
  if (node.type === 'string') return `text, ${range(node.minLength, node.maxLength, 'characters')}`;
  if (node.type === 'integer') return `whole number, ${range(node.minimum, node.maximum, '')}`.trim();
  if (node.type === 'boolean') return '`true` or `false`';
  if (node.type === 'array') return `list, ${range(node.minItems, node.maxItems, 'items')}`;
  throw new Error(`the event catalogue page cannot describe ${JSON.stringify(node)}`);
}

/** How a field is kept in the ledger table: sealed under the case key, or in clear. */
function storage(type: RecordedType, path: string, node: JsonSchema): string {
  if (node.type === 'array') return '—';
  if (path.startsWith('data.subject.'))
    return path === 'data.subject.nationality' ? 'in clear' : '**sealed**';
  return freeTextPaths(type).includes(path) ? '**sealed**' : 'in clear';
}

const cell = (text: string) => text.replaceAll('|', '\\|');

function fieldTable(type: RecordedType, rows: readonly FieldRow[]): string[] {
  return [
    '| field | required | value | stored |',
    '| --- | --- | --- | --- |',
    ...rows.map(
      (row) =>
        `| \`${row.path}\` | ${row.required ? 'yes' : 'no'} | ${cell(describeValue(row.node))} | ${storage(type, row.path, row.node)} |`,
    ),
  ];
}

function envelopeRows(): FieldRow[] {
  const first = newEventSchema.options[0];
  const schema = jsonSchemaOf(first);
  const { data: _data, ...envelope } = schema.properties ?? {};
  return fieldsOf({ ...schema, properties: envelope }, '', true, {
    ...schema.$defs,
    ...jsonSchemaOf(sourceSchema).$defs,
  });
}

function dataRows(type: RecordedType): FieldRow[] {
  const schema = type === 'Erased' ? erasedEventSchema.shape.data : eventDataSchemas[type];
  const json = jsonSchemaOf(schema);
  return fieldsOf(json, 'data', true, json.$defs).filter((row) => row.path !== 'data');
}

/** The whole page, as `npm run docs` writes it. */
export function renderEventCatalogue(): string {
  const lines = [
    '# Event catalogue',
    '',
    '<!-- Generated by `npm run docs` from domain/event-catalogue.ts and domain/free-text-fields.ts: edit those, not this file. -->',
    '',
    'Everything the ledger knows about a person is a list of events, one list per case. Each event says one thing',
    'that happened, when it happened (`occurredAt`), where the fact comes from (`sources`), and the facts of its',
    'type (`data`). Events are never changed or deleted; a mistake is corrected by a new event (`Retracted`, or a',
    'later event that says what is true now).',
    '',
    '**Stored** says how a field is kept in the tables. *Sealed* fields are encrypted with a key of their case: they',
    'read in clear only for callers with the `pii` scope or the `admin` role, `[sealed]` for everyone else, and',
    '`[erased]` for everyone once the case is erased. Anything a name could be typed into is sealed. Fields *in',
    'clear* are the structured facts that views, lists, summaries and alerts count by: never write a name there.',
    '',
    'Texts are trimmed and normalised (Unicode NFC) before they are stored and hashed; no text may hold control',
    'characters other than tab and line breaks. Names that are counted or compared (places, facilities, courts,',
    'authorities, missions, labels, the person’s name and nationality) must also be one line without invisible',
    'characters. An unknown field is refused.',
    '',
    '## The envelope: what every event carries',
    '',
    'What the client sends with every event, beside its `type` and its `data`:',
    '',
    ...fieldTable('Detained', envelopeRows()).filter((row) => !row.startsWith('| `type`')),
    '',
    'What the ledger adds when it records the event (the client cannot set these):',
    '',
    '| field | meaning |',
    '| --- | --- |',
    ...Object.entries(recordedEnvelope).map(([field, meaning]) => `| \`${field}\` | ${cell(meaning)} |`),
    '',
    '`Erased` is the exception to sealing: its note and sources stay in clear, like its `reason`.',
    '',
    '## Event types',
    '',
    ...recordedEventTypes.map((type) => `- [\`${type}\`](#${type.toLowerCase()})`),
    '',
  ];
  for (const type of recordedEventTypes) {
    const rows = dataRows(type);
    lines.push(`### ${type}`, '', meanings[type], '');
    lines.push(...(rows.length === 0 ? ['No `data` fields: `data` is `{}`.'] : fieldTable(type, rows)), '');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
