import { type EventType, hearingAttendances, releaseModes } from '../../../domain/event-catalogue.ts';

/**
 * What one field of an event's `data` is, as a form shows it. `path` is the field's place in `data`
 * (`term.years`), which is also where the API puts its message (`events.0.data.term.years`).
 */
export type FieldSpec =
  /** A name on one line: a place, a facility, a court, who visited. */
  | { readonly kind: 'name'; readonly path: string; readonly required: boolean }
  /** Free text that may run over lines: notes, reasons, a cause. */
  | { readonly kind: 'text'; readonly path: string; readonly required: boolean }
  /** A calendar day, YYYY-MM-DD. */
  | { readonly kind: 'day'; readonly path: string; readonly required: boolean }
  /** A whole number (months, years). */
  | { readonly kind: 'count'; readonly path: string; readonly required: boolean }
  /** One of the catalogue's words, named in the `events` namespace under `words`. */
  | {
      readonly kind: 'choice';
      readonly path: string;
      readonly required: true;
      readonly options: readonly string[];
      readonly words: 'releaseModes' | 'familyContactKinds' | 'hearingAttendances';
    }
  /** A yes or a no that is always sent. */
  | { readonly kind: 'yesNo'; readonly path: string; readonly required: true }
  /** A mark that is sent as `true` when ticked and left out otherwise (a life sentence). */
  | { readonly kind: 'flag'; readonly path: string; readonly required: false }
  /** A list of charges, each a text and an optional article. */
  | { readonly kind: 'charges'; readonly path: string; readonly required: boolean; readonly min: number };

/** The types the general form records: an opening has its own screen, a retraction its own action. */
export type FormEventType = Exclude<EventType, 'CaseOpened' | 'Retracted'>;

const custodyTerm: readonly FieldSpec[] = [
  { kind: 'name', path: 'court', required: true },
  { kind: 'day', path: 'until', required: false },
  { kind: 'count', path: 'months', required: false },
];

/**
 * The fields of every event type the form records, written per type so each reads well. A `Record` over the
 * catalogue's types: when the catalogue gains a type, this stops compiling; test/web/event-fields.test.ts
 * holds every field of every type to the catalogue's schemas.
 */
export const EVENT_FIELDS: Record<FormEventType, readonly FieldSpec[]> = {
  Detained: [
    { kind: 'name', path: 'place', required: true },
    { kind: 'name', path: 'facility', required: false },
    { kind: 'name', path: 'authority', required: false },
  ],
  Charged: [{ kind: 'charges', path: 'charges', required: true, min: 1 }],
  ChargesChanged: [{ kind: 'charges', path: 'charges', required: true, min: 0 }],
  CustodyOrdered: custodyTerm,
  CustodyExtended: custodyTerm,
  HearingScheduled: [
    { kind: 'name', path: 'court', required: true },
    { kind: 'day', path: 'on', required: true },
  ],
  HearingHeld: [
    { kind: 'name', path: 'court', required: true },
    { kind: 'day', path: 'on', required: true },
    {
      kind: 'choice',
      path: 'attended',
      required: true,
      options: hearingAttendances,
      words: 'hearingAttendances',
    },
    { kind: 'text', path: 'decision', required: false },
  ],
  Sentenced: [
    { kind: 'name', path: 'court', required: true },
    { kind: 'count', path: 'term.years', required: false },
    { kind: 'count', path: 'term.months', required: false },
    { kind: 'flag', path: 'term.life', required: false },
    { kind: 'name', path: 'facility', required: false },
  ],
  Acquitted: [{ kind: 'name', path: 'court', required: true }],
  Transferred: [
    { kind: 'name', path: 'toFacility', required: true },
    { kind: 'name', path: 'fromFacility', required: false },
  ],
  ConsularVisit: [
    { kind: 'name', path: 'by', required: true },
    { kind: 'text', path: 'notes', required: false },
  ],
  ConsularAccessDenied: [
    { kind: 'name', path: 'by', required: true },
    { kind: 'text', path: 'reason', required: false },
  ],
  FamilyContact: [
    {
      kind: 'choice',
      path: 'kind',
      required: true,
      options: ['visit', 'call', 'letter'],
      words: 'familyContactKinds',
    },
    { kind: 'text', path: 'notes', required: false },
  ],
  Released: [
    { kind: 'choice', path: 'mode', required: true, options: releaseModes, words: 'releaseModes' },
    { kind: 'yesNo', path: 'announced', required: true },
  ],
  DiedInCustody: [{ kind: 'text', path: 'cause', required: false }],
};

/** The fields of one charge in a `charges` list. */
export const CHARGE_FIELDS: readonly FieldSpec[] = [
  { kind: 'text', path: 'text', required: true },
  { kind: 'name', path: 'article', required: false },
];

/** The fields of one source. `publishedAt` is read as the ledger reads dates (an occurred-at). */
export const SOURCE_FIELDS = ['title', 'publisher', 'url', 'publishedAt'] as const;

/** The fields of the subject of a case, on the Open case screen. */
export const SUBJECT_FIELDS: readonly FieldSpec[] = [
  { kind: 'name', path: 'name', required: true },
  { kind: 'name', path: 'nationality', required: false },
  { kind: 'count', path: 'birthYear', required: false },
  { kind: 'name', path: 'occupation', required: false },
  { kind: 'text', path: 'notes', required: false },
];

/** The types the form offers, in the catalogue's order. */
export const FORM_EVENT_TYPES = Object.keys(EVENT_FIELDS) as FormEventType[];
