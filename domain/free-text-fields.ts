import type { EventData, EventType, RecordableEvent, Source } from './event-catalogue.ts';

/**
 * Which fields of which events are free text: anything a name could be typed into. The ledger stores these
 * sealed under the case's key, like the subject, so an erasure reaches a name wherever it was written. This is
 * the one list; the sealing, the revealing, the stored-form schema and the stored types are derived from it.
 *
 * Structured facts stay in clear, because the views, summaries and alerts count by them and the projector holds
 * no key: dates, statuses, courts, facilities, places, authorities, missions, charges (text and article: the
 * board shows them), group ids, nationalities, and the id a retraction names. `structuredTextFields` lists
 * them, so that a new text field of the catalogue must be put on one side or the other (a test checks that
 * every string of every event schema is in one of the two lists).
 */

/** The free texts of a source: who wrote what where. A title or a URL can carry a name. */
export const sourceTextFields = ['title', 'publisher', 'url'] as const satisfies readonly (keyof Source)[];

/** The free texts of each event type's `data`; a list of texts (labels) is sealed text by text. */
export const dataTextFields = {
  CaseOpened: ['labels'],
  HearingHeld: ['decision'],
  ConsularVisit: ['notes'],
  ConsularAccessDenied: ['reason'],
  FamilyContact: ['notes'],
  DiedInCustody: ['cause'],
  Retracted: ['reason'],
} as const satisfies { readonly [T in EventType]?: readonly (keyof EventData<T>)[] };

/** The `data` fields of type `T` that are free text. */
export type DataTextField<T extends string> = T extends keyof typeof dataTextFields
  ? (typeof dataTextFields)[T][number]
  : never;

/**
 * Whether an event of this type carries free texts. `Erased` does not: the ledger writes it itself, and who
 * erased and why must stay readable after the key that it destroys is gone.
 */
export function carriesFreeTexts(type: RecordableEvent['type']): boolean {
  return type !== 'Erased';
}

/**
 * The strings of each event that stay in clear, by path (`*` for every element of a list); the subject is
 * sealed as one box beside its nationality, so it is not listed here.
 */
export const structuredTextFields = {
  envelope: ['eventId', 'type', 'occurredAt', 'sources.*.publishedAt'],
  CaseOpened: ['data.groupId'],
  Detained: ['data.place', 'data.facility', 'data.authority'],
  Charged: ['data.charges.*.text', 'data.charges.*.article'],
  ChargesChanged: ['data.charges.*.text', 'data.charges.*.article'],
  CustodyOrdered: ['data.court', 'data.until'],
  CustodyExtended: ['data.court', 'data.until'],
  HearingScheduled: ['data.court', 'data.on'],
  HearingHeld: ['data.court', 'data.on', 'data.attended'],
  Sentenced: ['data.court', 'data.facility'],
  Acquitted: ['data.court'],
  Transferred: ['data.toFacility', 'data.fromFacility'],
  ConsularVisit: ['data.by'],
  ConsularAccessDenied: ['data.by'],
  FamilyContact: ['data.kind'],
  Released: ['data.mode'],
  DiedInCustody: [],
  Retracted: ['data.eventId'],
  Erased: ['note', 'sources.*.title', 'sources.*.publisher', 'sources.*.url', 'data.reason'],
} as const satisfies Record<'envelope' | RecordableEvent['type'], readonly string[]>;

/** The free-text fields of an event type's `data`: none for a type the list does not name. */
export function dataTextFieldsOf(type: string): readonly string[] {
  return (dataTextFields as Partial<Record<string, readonly string[]>>)[type] ?? [];
}

/** The paths of an event type's free texts, in the same `*` notation as `structuredTextFields`. */
export function freeTextPaths(type: RecordableEvent['type']): string[] {
  if (!carriesFreeTexts(type)) return [];
  const data = dataTextFieldsOf(type);
  return [
    'note',
    ...sourceTextFields.map((field) => `sources.*.${field}`),
    ...data.map((field) => `data.${field}${field === 'labels' ? '.*' : ''}`),
  ];
}

/**
 * Replaces every free text present in an event with `replace(value, field)`, where `field` names the one
 * place (`note`, `sources.0.title`, `data.labels.2`), so a box can be bound to where it was put. Values may be
 * texts or sealed boxes, whichever the caller holds; absent fields stay absent. Pure: the event is not changed.
 */
export function mapFreeTexts<E extends { readonly type: RecordableEvent['type'] }>(
  event: E,
  replace: (value: unknown, field: string) => unknown,
): E {
  if (!carriesFreeTexts(event.type)) return event;
  const envelope = event as unknown as {
    note?: unknown;
    sources: readonly Record<string, unknown>[];
    data: Record<string, unknown>;
  };
  const sources = envelope.sources.map((source, index) => {
    const copy = { ...source };
    for (const field of sourceTextFields) {
      if (copy[field] !== undefined) copy[field] = replace(copy[field], `sources.${index}.${field}`);
    }
    return copy;
  });
  const data = { ...envelope.data };
  for (const field of dataTextFieldsOf(event.type)) {
    const value = data[field];
    if (value === undefined) continue;
    data[field] = Array.isArray(value)
      ? value.map((item, index) => replace(item, `data.${field}.${index}`))
      : replace(value, `data.${field}`);
  }
  return {
    ...event,
    ...(envelope.note !== undefined && { note: replace(envelope.note, 'note') }),
    sources,
    data,
  };
}
