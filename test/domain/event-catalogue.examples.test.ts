import { describe, expect, it } from 'vitest';
import {
  type EventType,
  eventDataSchemas,
  eventTypes,
  newEventSchema,
} from '../../domain/event-catalogue.ts';

/** The smallest `data` each event type accepts: only the required fields. */
const minimalData: Record<EventType, unknown> = {
  CaseOpened: { subject: { name: 'Test Person A' } },
  Detained: { place: 'Capital' },
  Charged: { charges: [{ text: 'Invented charge' }] },
  ChargesChanged: { charges: [] },
  CustodyOrdered: { court: 'Invented District Court', months: 2 },
  CustodyExtended: { court: 'Invented District Court', until: '2025-12-31' },
  HearingScheduled: { court: 'Invented District Court', on: '2025-11-03' },
  HearingHeld: { court: 'Invented District Court', on: '2025-11-03', attended: 'unknown' },
  Sentenced: { court: 'Invented District Court', term: { years: 3 } },
  Acquitted: { court: 'Invented District Court' },
  Transferred: { toFacility: 'Invented Penal Colony No. 1' },
  ConsularVisit: { by: 'Embassy of Utopia' },
  ConsularAccessDenied: { by: 'Embassy of Utopia' },
  FamilyContact: { kind: 'letter' },
  Released: { mode: 'bail', announced: false },
  DiedInCustody: {},
  Retracted: { eventId: '00000000-0000-4000-8000-000000000001', reason: 'Wrong person' },
};

/** Every optional field filled in as well. */
const fullData: Partial<Record<EventType, unknown>> = {
  CaseOpened: {
    subject: {
      name: 'Test Person B',
      nationality: 'Utopia',
      birthYear: 1990,
      occupation: 'Invented occupation',
      notes: 'Invented notes',
    },
    groupId: 'mass-arrest.2025-10:a_1',
    labels: ['journalist', 'dual national'],
  },
  Detained: { place: 'Capital', facility: 'Central Remand Prison', authority: 'Invented Security Service' },
  Charged: { charges: [{ text: 'Invented charge', article: 'Art. 1.2' }] },
  HearingHeld: {
    court: 'Invented Court',
    on: '2025-11-03',
    attended: 'no',
    decision: 'Custody extended in absentia',
  },
  Sentenced: { court: 'Invented Court', term: { years: 2, months: 6 }, facility: 'Invented Colony' },
  Transferred: { toFacility: 'Invented Colony', fromFacility: 'Central Remand Prison' },
  ConsularVisit: { by: 'Embassy of Utopia', notes: 'In good health' },
  ConsularAccessDenied: { by: 'Embassy of Utopia', reason: 'No reason given' },
  FamilyContact: { kind: 'call', notes: 'Ten minutes' },
  DiedInCustody: { cause: 'Not disclosed' },
};

function envelope(type: string, data: unknown, extra: Record<string, unknown> = {}) {
  return { type, occurredAt: '2025-10-05', sources: [{ title: 'Invented test report' }], data, ...extra };
}

describe('the event catalogue', () => {
  it('has exactly the seventeen event types, with fixed names', () => {
    expect([...eventTypes].sort()).toEqual(Object.keys(minimalData).sort());
    expect(Object.keys(eventDataSchemas)).toHaveLength(17);
  });

  it.each(Object.entries(minimalData))('accepts a %s with only its required fields', (type, data) => {
    const result = newEventSchema.safeParse(envelope(type, data));
    expect(result.error?.issues).toBeUndefined();
    expect(result.data).toEqual(envelope(type, data));
  });

  it.each(Object.entries(fullData))('accepts a %s with its optional fields', (type, data) => {
    const result = newEventSchema.safeParse(envelope(type, data));
    expect(result.error?.issues).toBeUndefined();
    expect(result.data?.data).toEqual(data);
  });

  it('accepts the optional envelope fields: an event id, a note, and full sources', () => {
    const full = envelope(
      'Acquitted',
      { court: 'Invented Court' },
      {
        eventId: '5b0c3e4e-9d57-4f7a-8d0e-2f7a1c2b3d4e',
        note: 'Invented note',
        sources: [
          {
            title: 'Invented report',
            publisher: 'Example Monitor',
            url: 'https://example.org/report?id=1',
            publishedAt: '2025-10-06',
          },
          { title: 'Second invented report', url: 'http://example.net/' },
        ],
      },
    );
    expect(newEventSchema.parse(full)).toEqual(full);
  });

  it.each([
    ['a custody term in months', 'CustodyOrdered', { court: 'C', months: 1 }],
    ['a custody term of ten years', 'CustodyOrdered', { court: 'C', months: 120 }],
    ['a sentence for life', 'Sentenced', { court: 'C', term: { life: true } }],
    ['a sentence of zero years and some months', 'Sentenced', { court: 'C', term: { years: 0, months: 8 } }],
    ['a family visit', 'FamilyContact', { kind: 'visit' }],
  ])('accepts %s', (_, type, data) => {
    expect(newEventSchema.safeParse(envelope(type, data)).success).toBe(true);
  });

  it.each([
    'bail',
    'house_arrest',
    'acquittal',
    'pardon',
    'exchange',
    'deported',
    'term_served',
    'undisclosed',
  ])('accepts a release by %s', (mode) => {
    expect(newEventSchema.safeParse(envelope('Released', { mode, announced: true })).success).toBe(true);
  });
});
