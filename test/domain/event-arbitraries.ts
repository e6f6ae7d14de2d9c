import fc from 'fast-check';
import type { IdentifiedEvent } from '../../domain/append-rules.ts';
import {
  type EventData,
  type EventType,
  hearingAttendances,
  releaseModes,
} from '../../domain/event-catalogue.ts';
import { parseOccurredAt } from '../../domain/occurred-at.ts';
import { event, fixedEventId, opening } from '../support/sample-events.ts';

/**
 * fast-check arbitraries of valid event streams of the real catalogue: every event is parsed by
 * `newEventSchema`, dates lie in 2024–2025 (before the default recorded-at times of `record`), and the people,
 * places and courts are invented. Small pools of values make repeats (the same facility, the same charge) likely.
 */

const DAY_MS = 86_400_000;
const FIRST_DAY = Date.UTC(2024, 0, 1);
/** The last day generated, 30 December 2025: even its instants at offset -12:00 lie before 1 January 2026. */
export const LAST_DAY_INDEX = 729;

const pad = (n: number) => String(n).padStart(2, '0');
const dayText = (index: number) => new Date(FIRST_DAY + index * DAY_MS).toISOString().slice(0, 10);

/** The bounds of a generated occurred-at text (generated texts are valid, so this never fails). */
export function boundsOf(text: string): { earliest: number; latest: number } {
  const result = parseOccurredAt(text);
  if (!result.ok) throw new Error(`generated an invalid occurred-at '${text}': ${result.message}`);
  return result.value;
}

const qualifier = fc.constantFrom('', '', '?', '~', '%');

/** Occurred-at texts of every accepted form, on or around the days with these indices (0 is 1 January 2024). */
export function occurredAtIn(minDay = 0, maxDay = LAST_DAY_INDEX): fc.Arbitrary<string> {
  const day = fc.integer({ min: minDay, max: maxDay });
  return fc.oneof(
    { weight: 4, arbitrary: fc.tuple(day, qualifier).map(([d, q]) => `${dayText(d)}${q}`) },
    { weight: 2, arbitrary: fc.tuple(day, qualifier).map(([d, q]) => `${dayText(d).slice(0, 7)}${q}`) },
    { weight: 1, arbitrary: fc.tuple(day, qualifier).map(([d, q]) => `${dayText(d).slice(0, 4)}${q}`) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(
          day,
          fc.integer({ min: 0, max: 23 }),
          fc.integer({ min: 0, max: 59 }),
          fc.constantFrom('Z', '+02:00', '-05:00', '+05:30', '+14:00', '-12:00'),
        )
        .map(([d, h, m, offset]) => `${dayText(d)}T${pad(h)}:${pad(m)}:00${offset}`),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(day, fc.integer({ min: 0, max: 45 }))
        .map(([d, span]) => `${dayText(d)}/${dayText(Math.min(d + span, maxDay))}`),
    },
  );
}

/** A moment to read a view at: anywhere from before the first generated date to after the last. */
export const moment = fc.date({
  min: new Date('2023-12-01T00:00:00.000Z'),
  max: new Date('2026-01-31T00:00:00.000Z'),
  noInvalidDate: true,
});

const place = fc.constantFrom('Capital', 'Port City', 'Northern Town');
const facility = fc.constantFrom('Central Remand Prison', 'Invented Colony No. 1', 'Invented Colony No. 2');
const court = fc.constantFrom('Invented District Court', 'Invented Appeals Court');
const mission = fc.constantFrom('Embassy of Utopia', 'Consulate of Utopia');
const calendarDay = fc.integer({ min: 0, max: LAST_DAY_INDEX + 365 }).map(dayText);
const charge = fc.constantFrom(
  { text: 'Invented charge A', article: 'Art. 1' },
  { text: 'Invented charge A' },
  { text: 'Invented charge B', article: 'Art. 2' },
  { text: 'Invented charge C' },
);
const custodyTerm = fc.oneof(
  fc.record({ court, until: calendarDay }),
  fc.record({ court, months: fc.integer({ min: 1, max: 12 }) }),
);

/** A held hearing on one of `days`, seen or not, with a decision or without. */
function heldHearing(days: fc.Arbitrary<string>) {
  return fc.record(
    {
      court,
      on: days,
      attended: fc.constantFrom(...hearingAttendances),
      decision: fc.constant('Invented decision'),
    },
    { requiredKeys: ['court', 'on', 'attended'] },
  );
}

/** The event types that describe the world; `CaseOpened` and `Retracted` describe the record. */
export type WorldType = Exclude<EventType, 'CaseOpened' | 'Retracted'>;
export type WorldBody = { [T in WorldType]: { readonly type: T; readonly data: EventData<T> } }[WorldType];

function body<T extends WorldType>(type: T, data: fc.Arbitrary<EventData<T>>): fc.Arbitrary<WorldBody> {
  return data.map((value) => ({ type, data: value }) as WorldBody);
}

/** The type and data of an event about the world, of any type of the catalogue. */
export const worldBody: fc.Arbitrary<WorldBody> = fc.oneof(
  body(
    'Detained',
    fc.record({ place, facility, authority: fc.constant('Invented Police') }, { requiredKeys: ['place'] }),
  ),
  body('Charged', fc.record({ charges: fc.array(charge, { minLength: 1, maxLength: 3 }) })),
  body('ChargesChanged', fc.record({ charges: fc.array(charge, { maxLength: 3 }) })),
  body('CustodyOrdered', custodyTerm),
  body('CustodyExtended', custodyTerm),
  body('HearingScheduled', fc.record({ court, on: calendarDay })),
  body('HearingHeld', heldHearing(calendarDay)),
  body(
    'Sentenced',
    fc.record(
      {
        court,
        term: fc.oneof(
          fc.record({ years: fc.integer({ min: 1, max: 10 }) }),
          fc.record({ months: fc.integer({ min: 1, max: 24 }) }),
          fc.constant({ life: true as const }),
        ),
        facility,
      },
      { requiredKeys: ['court', 'term'] },
    ),
  ),
  body('Acquitted', fc.record({ court })),
  body(
    'Transferred',
    fc.record({ toFacility: facility, fromFacility: facility }, { requiredKeys: ['toFacility'] }),
  ),
  body(
    'ConsularVisit',
    fc.record({ by: mission, notes: fc.constant('Invented notes') }, { requiredKeys: ['by'] }),
  ),
  body(
    'ConsularAccessDenied',
    fc.record({ by: mission, reason: fc.constant('None given') }, { requiredKeys: ['by'] }),
  ),
  body('FamilyContact', fc.record({ kind: fc.constantFrom('visit', 'call', 'letter') })),
  body('Released', fc.record({ mode: fc.constantFrom(...releaseModes), announced: fc.boolean() })),
  body('DiedInCustody', fc.record({ cause: fc.constant('Not disclosed') }, { requiredKeys: [] })),
);

/**
 * A hearing scheduled or held on a day with an index in `[minDay, maxDay]`: a narrow range makes a held hearing
 * meet the scheduled one (or miss it) often, which the wide days of `worldBody` rarely do.
 */
export function hearingBodyIn(minDay: number, maxDay: number): fc.Arbitrary<WorldBody> {
  const day = fc.integer({ min: minDay, max: maxDay }).map(dayText);
  return fc.oneof(
    body('HearingScheduled', fc.record({ court, on: day })),
    body('HearingHeld', heldHearing(day)),
  );
}

/** A world event before it gets its id: what happened and when. */
export interface Fact {
  readonly body: WorldBody;
  readonly occurredAt: string;
}

export function facts(occurredAt = occurredAtIn(), options: { minLength?: number; maxLength?: number } = {}) {
  return fc.array(fc.record({ body: worldBody, occurredAt }), { minLength: 1, maxLength: 12, ...options });
}

/** Facts whose dates are pairwise distinct as spans of time (`2025-10` and `2025-10?` are the same span). */
export function factsWithDistinctDates(options: { minLength?: number; maxLength?: number } = {}) {
  return fc.uniqueArray(fc.record({ body: worldBody, occurredAt: occurredAtIn() }), {
    selector: (fact) => {
      const { earliest, latest } = boundsOf(fact.occurredAt);
      return `${earliest}/${latest}`;
    },
    minLength: 2,
    maxLength: 12,
    ...options,
  });
}

/** A fact as an event of the catalogue, parsed by its schema. */
export function toEvent(fact: Fact, eventId: string): IdentifiedEvent {
  const { type, data } = fact.body as { type: WorldType; data: EventData<WorldType> };
  return event(type, fact.occurredAt, data, eventId);
}

/** The opening of the generated case (always version 1, id 1). */
export const generatedOpening: IdentifiedEvent = {
  ...opening({ occurredAt: '2025-12-30T12:00:00Z' }),
  eventId: fixedEventId(1),
};

/** Facts as events with ids 2, 3, … (or from `firstId`). */
export function toEvents(list: readonly Fact[], firstId = 2): IdentifiedEvent[] {
  return list.map((fact, index) => toEvent(fact, fixedEventId(firstId + index)));
}
