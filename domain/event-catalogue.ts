import * as z from 'zod';
import { occurredAtSchema } from './occurred-at.ts';

/**
 * The event catalogue (docs/event-catalogue.md is generated from it): one schema per event type for its `data`, and the envelope a client sends.
 * The schemas validate input at the edge and give the TypeScript types used everywhere inside; the OpenAPI
 * document is generated from them too. Objects are strict: an unknown field is a typo or an attack, never
 * something to store silently.
 */

/**
 * What no text may hold. An unpaired surrogate is not Unicode at all: it cannot be hashed in canonical form
 * (RFC 8785) nor written as UTF-8. Control characters are invisible, break CSV and logs, and NUL ends strings
 * in other programs; tab, line feed and carriage return are kept, because notes are pasted from documents.
 */
const UNPAIRED_SURROGATE = /\p{Cs}/u;
const CONTROL_IN_TEXT = /(?![\t\n\r])\p{Cc}/u;

/**
 * What a name may not hold besides: any control character or line break (a name is one line), and invisible
 * format characters — zero-width spaces, word joiners, the byte-order mark, soft hyphens, bidirectional
 * controls, tags — with which "Harbour Remand" and "Harbour\u200bRemand" would look alike and count as two
 * facilities. Zero-width (non-)joiners are spelling in Persian, Arabic and Indic scripts, so they are kept between
 * two letters of such a script, and refused elsewhere.
 */
const LINE_BREAK_OR_CONTROL = /[\p{Cc}\u2028\u2029]/u;
const FORMAT_BUT_JOINERS = /(?![\u200c\u200d])\p{Cf}/u;
const JOINER_IN_CONTEXT =
  /(?<=[\p{L}\p{M}])(?<![\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}])[\u200c\u200d](?=[\p{L}\p{M}])(?![\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}])/gu;

const codePointOf = (found: string) =>
  `U+${found.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

function refusalOfText(value: string): string | undefined {
  if (UNPAIRED_SURROGATE.test(value)) return 'must be valid Unicode: it holds an unpaired surrogate';
  const control = CONTROL_IN_TEXT.exec(value)?.[0];
  if (control !== undefined) return `must not hold the control character ${codePointOf(control)}`;
  return undefined;
}

function refusalOfName(value: string): string | undefined {
  const refusal = refusalOfText(value);
  if (refusal !== undefined) return refusal;
  const control = LINE_BREAK_OR_CONTROL.exec(value)?.[0];
  if (control !== undefined) return `must be one line, without the character ${codePointOf(control)}`;
  const invisible = FORMAT_BUT_JOINERS.exec(value.replace(JOINER_IN_CONTEXT, ''))?.[0];
  const joiner = /[\u200c\u200d]/u.exec(value.replace(JOINER_IN_CONTEXT, ''))?.[0];
  const found = invisible ?? joiner;
  if (found !== undefined) return `must not hold the invisible character ${codePointOf(found)}`;
  return undefined;
}

const refusedBy =
  (refusal: (value: string) => string | undefined) => (value: string, ctx: z.RefinementCtx) => {
    const message = refusal(value);
    if (message !== undefined) ctx.addIssue({ code: 'custom', message });
  };

/**
 * Free text (notes, reasons, titles): trimmed, Unicode NFC (so the same words always hash the same), bounded,
 * valid Unicode without control characters other than tab and line breaks.
 */
export const text = (max: number) =>
  z.string().trim().normalize('NFC').min(1).max(max).superRefine(refusedBy(refusalOfText));

/**
 * A name that is counted, compared or keyed (a facility, court, place, label, nationality, a person's name):
 * free text on one line, without invisible characters, so that two names that look alike are alike.
 */
export const nameText = (max: number) =>
  z.string().trim().normalize('NFC').min(1).max(max).superRefine(refusedBy(refusalOfName));

/** Identifiers chosen by clients (case ids, group ids): safe in URLs, keys and logs; never start with `#`. */
export const identifierSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/,
    '1-128 of A-Z a-z 0-9 . _ : -, starting with a letter or digit',
  );

export const eventIdSchema = z.uuid().meta({ description: 'UUID; the idempotency key of the event' });

const calendarDate = z.iso.date().meta({ description: 'A calendar day, YYYY-MM-DD' });

export const sourceSchema = z
  .strictObject({
    title: text(500),
    publisher: nameText(200).optional(),
    url: z
      .url({ protocol: /^https?$/ })
      .max(2000)
      .superRefine(refusedBy(refusalOfName))
      .optional(),
    publishedAt: occurredAtSchema.optional(),
  })
  .meta({ id: 'Source', description: 'Where a fact comes from' });

export const chargeSchema = z
  .strictObject({ text: text(1000), article: nameText(100).optional() })
  .meta({ id: 'Charge' });

const court = nameText(300);
const facility = nameText(300);

/** A term given either as an end date or as a number of months from the order. */
const custodyTerm = z
  .strictObject({ court, until: calendarDate.optional(), months: z.int().min(1).max(120).optional() })
  .refine((term) => (term.until === undefined) !== (term.months === undefined), {
    message: 'give exactly one of until and months',
  });

export const releaseModes = [
  'bail',
  'house_arrest',
  'acquittal',
  'pardon',
  'exchange',
  'deported',
  'term_served',
  'undisclosed',
] as const;

/**
 * Whether the person was seen at a hearing: `unknown` when the source does not say (a closed hearing, a report
 * of the decision alone). Only `no` says they were not seen.
 */
export const hearingAttendances = ['yes', 'no', 'unknown'] as const;

export const subjectSchema = z
  .strictObject({
    name: nameText(200),
    nationality: nameText(100).optional(),
    birthYear: z.int().min(1900).max(2100).optional(),
    occupation: nameText(200).optional(),
    notes: text(2000).optional(),
  })
  .meta({ id: 'Subject', description: 'The detained person. Personal data.' });

/** The `data` schema of each event type. */
export const eventDataSchemas = {
  CaseOpened: z.strictObject({
    subject: subjectSchema,
    groupId: identifierSchema.optional(),
    labels: z.array(nameText(50)).max(20).optional(),
  }),
  Detained: z.strictObject({
    place: nameText(300),
    facility: facility.optional(),
    authority: nameText(300).optional(),
  }),
  Charged: z.strictObject({ charges: z.array(chargeSchema).min(1).max(100) }),
  ChargesChanged: z.strictObject({ charges: z.array(chargeSchema).max(100) }),
  CustodyOrdered: custodyTerm,
  CustodyExtended: custodyTerm,
  HearingScheduled: z.strictObject({ court, on: calendarDate }),
  // A hearing that took place: whether the person was seen in court, and what was decided (free text, sealed).
  HearingHeld: z.strictObject({
    court,
    on: calendarDate,
    attended: z.enum(hearingAttendances),
    decision: text(2000).optional(),
  }),
  Sentenced: z.strictObject({
    court,
    term: z
      .strictObject({
        years: z.int().min(0).max(150).optional(),
        months: z.int().min(0).max(1800).optional(),
        life: z.literal(true).optional(),
      })
      .refine((term) => term.years !== undefined || term.months !== undefined || term.life === true, {
        message: 'give years, months or life',
      }),
    facility: facility.optional(),
  }),
  Acquitted: z.strictObject({ court }),
  Transferred: z.strictObject({ toFacility: facility, fromFacility: facility.optional() }),
  ConsularVisit: z.strictObject({ by: nameText(300), notes: text(2000).optional() }),
  ConsularAccessDenied: z.strictObject({ by: nameText(300), reason: text(2000).optional() }),
  FamilyContact: z.strictObject({ kind: z.enum(['visit', 'call', 'letter']), notes: text(2000).optional() }),
  Released: z.strictObject({ mode: z.enum(releaseModes), announced: z.boolean() }),
  DiedInCustody: z.strictObject({ cause: text(2000).optional() }),
  Retracted: z.strictObject({ eventId: eventIdSchema, reason: text(2000) }),
} as const;

export type EventType = keyof typeof eventDataSchemas;
export const eventTypes = Object.keys(eventDataSchemas) as EventType[];
export type EventData<T extends EventType> = z.output<(typeof eventDataSchemas)[T]>;

function envelopeOf<T extends EventType>(type: T) {
  return z.strictObject({
    eventId: eventIdSchema.optional(),
    type: z.literal(type),
    occurredAt: occurredAtSchema,
    sources: z.array(sourceSchema).min(1, 'at least one source').max(20),
    note: text(4000).optional(),
    data: eventDataSchemas[type],
  });
}

/** An event as a client submits it: the envelope fields the client sets, and the data of its type. */
export const newEventSchema = z
  .discriminatedUnion('type', [
    envelopeOf('CaseOpened'),
    envelopeOf('Detained'),
    envelopeOf('Charged'),
    envelopeOf('ChargesChanged'),
    envelopeOf('CustodyOrdered'),
    envelopeOf('CustodyExtended'),
    envelopeOf('HearingScheduled'),
    envelopeOf('HearingHeld'),
    envelopeOf('Sentenced'),
    envelopeOf('Acquitted'),
    envelopeOf('Transferred'),
    envelopeOf('ConsularVisit'),
    envelopeOf('ConsularAccessDenied'),
    envelopeOf('FamilyContact'),
    envelopeOf('Released'),
    envelopeOf('DiedInCustody'),
    envelopeOf('Retracted'),
  ])
  .meta({ id: 'NewEvent', description: 'An event to append: envelope and the data of its type' });

/** A submitted event, typed by its `type`. */
export type NewEvent = z.output<typeof newEventSchema>;

/**
 * `Erased`: the case's key was destroyed, so its subject can no longer be read. Only the ledger records it,
 * through the erase route that destroys the key; a client cannot submit it as an event, so it is not
 * in `newEventSchema`. It says who erased and why; it is no news about the person.
 */
export const erasedEventSchema = z
  .strictObject({
    eventId: eventIdSchema.optional(),
    type: z.literal('Erased'),
    occurredAt: occurredAtSchema,
    sources: z.array(sourceSchema).min(1).max(20),
    note: text(4000).optional(),
    data: z.strictObject({ reason: text(2000) }),
  })
  .meta({ id: 'Erased', description: 'The subject of the case was erased by destroying its key' });

export type ErasedEvent = z.output<typeof erasedEventSchema>;

/** Every event the ledger records: those clients submit, and `Erased`, which the ledger writes itself. */
export type RecordableEvent = NewEvent | ErasedEvent;

/** Every type of event the ledger may hold. */
export const recordedEventTypes = [
  ...eventTypes,
  'Erased',
] as const satisfies readonly RecordableEvent['type'][];

export type Source = z.output<typeof sourceSchema>;
export type Charge = z.output<typeof chargeSchema>;
export type Subject = z.output<typeof subjectSchema>;
export type ReleaseMode = (typeof releaseModes)[number];
export type HearingAttendance = (typeof hearingAttendances)[number];
