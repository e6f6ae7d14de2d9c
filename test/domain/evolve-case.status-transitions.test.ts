import { describe, expect, it } from 'vitest';
import { event, opening } from '../support/sample-events.ts';
import { viewOf } from './case-specification.ts';

const court = 'Invented District Court';
const opened = opening();
const detained = event('Detained', '2025-06-30', { place: 'Capital', facility: 'Central Remand Prison' });

describe('an acquittal is not a release', () => {
  it('given a detained person, when acquitted, then they are still detained where they were', () => {
    const view = viewOf([opened, detained, event('Acquitted', '2025-09-01', { court })]);
    expect(view).toMatchObject({
      status: 'detained',
      facility: 'Central Remand Prison',
      releasedAt: null,
      releaseMode: null,
      lastOccurredAt: '2025-09-01',
      statusHistory: [{ status: 'detained', from: '2025-06-30', to: null }],
    });
  });

  it('given an acquittal, when the release follows, then the person is released by acquittal', () => {
    const view = viewOf([
      opened,
      detained,
      event('Acquitted', '2025-09-01', { court }),
      event('Released', '2025-09-20', { mode: 'acquittal', announced: true }),
    ]);
    expect(view).toMatchObject({ status: 'released', releasedAt: '2025-09-20', releaseMode: 'acquittal' });
  });
});

describe('house arrest', () => {
  const toHouseArrest = event('Released', '2025-08-01', { mode: 'house_arrest', announced: false });

  it('given a detained person, when released to house arrest, then they are held at home, not released', () => {
    expect(viewOf([opened, detained, toHouseArrest])).toMatchObject({
      status: 'house_arrest',
      facility: null,
      releasedAt: null,
      releaseMode: null,
      statusHistory: [
        { status: 'detained', from: '2025-06-30', to: '2025-08-01' },
        { status: 'house_arrest', from: '2025-08-01', to: null },
      ],
    });
  });

  it('given house arrest, when a court orders custody, then the term applies and the person stays at home', () => {
    const order = event('CustodyOrdered', '2025-08-05', { court, until: '2025-10-05' });
    expect(viewOf([opened, detained, toHouseArrest, order])).toMatchObject({
      status: 'house_arrest',
      custodyUntil: '2025-10-05',
    });
  });

  it('given house arrest, when released on bail, then the person is released', () => {
    const bail = event('Released', '2025-09-01', { mode: 'bail', announced: true });
    expect(viewOf([opened, detained, toHouseArrest, bail])).toMatchObject({
      status: 'released',
      releasedAt: '2025-09-01',
      releaseMode: 'bail',
    });
  });
});

describe('sentence, death and re-detention', () => {
  const order = event('CustodyOrdered', '2025-07-01', { court, months: 2 });

  it('given remand, when sentenced to a colony, then the remand term ends and the facility changes', () => {
    const sentence = event('Sentenced', '2025-08-20', {
      court,
      term: { years: 5 },
      facility: 'Invented Penal Colony No. 2',
    });
    expect(viewOf([opened, detained, order, sentence])).toMatchObject({
      status: 'sentenced',
      custodyUntil: null,
      facility: 'Invented Penal Colony No. 2',
      statusHistory: [
        { status: 'detained', from: '2025-06-30', to: '2025-08-20' },
        { status: 'sentenced', from: '2025-08-20', to: null },
      ],
    });
  });

  it('given remand, when sentenced without a named facility, then the person stays where they were', () => {
    const sentence = event('Sentenced', '2025-08-20', { court, term: { life: true } });
    expect(viewOf([opened, detained, sentence])).toMatchObject({
      status: 'sentenced',
      facility: 'Central Remand Prison',
    });
  });

  it('given remand, when the person dies in custody, then the status is deceased and no term runs', () => {
    expect(viewOf([opened, detained, order, event('DiedInCustody', '2025-08-02', {})])).toMatchObject({
      status: 'deceased',
      custodyUntil: null,
      statusHistory: [
        { status: 'detained', from: '2025-06-30', to: '2025-08-02' },
        { status: 'deceased', from: '2025-08-02', to: null },
      ],
    });
  });

  it('given a release, when detained again, then a new detention begins and the old release is cleared', () => {
    const view = viewOf([
      opened,
      detained,
      event('Released', '2025-08-01', { mode: 'bail', announced: true }),
      event('Detained', '2025-09-15', { place: 'Capital' }),
    ]);
    expect(view).toMatchObject({
      status: 'detained',
      detainedAt: '2025-09-15',
      releasedAt: null,
      releaseMode: null,
      facility: null,
      statusHistory: [
        { status: 'detained', from: '2025-06-30', to: '2025-08-01' },
        { status: 'released', from: '2025-08-01', to: '2025-09-15' },
        { status: 'detained', from: '2025-09-15', to: null },
      ],
    });
  });

  it('given a detention, when a second report of it arrives, then the detention keeps its first date', () => {
    const view = viewOf([opened, detained, event('Detained', '2025-07-02', { place: 'Capital' })]);
    expect(view).toMatchObject({
      detainedAt: '2025-06-30',
      facility: 'Central Remand Prison',
      lastOccurredAt: '2025-07-02',
      statusHistory: [{ status: 'detained', from: '2025-06-30', to: null }],
    });
  });
});

describe('events that imply custody when the record had not said so', () => {
  it.each([
    ['a custody order', event('CustodyOrdered', '2025-07-01', { court, months: 1 })],
    ['a custody extension', event('CustodyExtended', '2025-07-01', { court, months: 1 })],
    ['a transfer', event('Transferred', '2025-07-01', { toFacility: 'Invented Colony' })],
  ])('given no detention on record, when %s is recorded, then the person is detained', (_, implying) => {
    // The first evidence of custody dates it: with no date at all, no overdue-visit alert could ever fire.
    expect(viewOf([opened, implying])).toMatchObject({
      status: 'detained',
      detainedAt: '2025-07-01',
      statusHistory: [{ status: 'detained', from: '2025-07-01', to: null }],
    });
  });

  it.each([
    ['a consular visit', event('ConsularVisit', '2025-07-01', { by: 'Embassy of Utopia' })],
    ['a denied consular visit', event('ConsularAccessDenied', '2025-07-01', { by: 'Embassy of Utopia' })],
    ['a family letter', event('FamilyContact', '2025-07-01', { kind: 'letter' })],
    ['a charge', event('Charged', '2025-07-01', { charges: [{ text: 'Invented charge' }] })],
    ['a hearing date', event('HearingScheduled', '2025-07-01', { court, on: '2025-08-01' })],
  ])('given no detention on record, when %s is recorded, then the status stays unknown', (_, news) => {
    expect(viewOf([opened, news])).toMatchObject({
      status: 'unknown',
      statusHistory: [],
      lastOccurredAt: '2025-07-01',
    });
  });
});

describe('charges', () => {
  const a = { text: 'Invented charge A', article: 'Art. 1' };
  const b = { text: 'Invented charge B' };
  const c = { text: 'Invented charge C', article: 'Art. 3' };

  it('given charges, when more are brought, then they are added once each, in order', () => {
    const view = viewOf([
      opened,
      event('Charged', '2025-07-01', { charges: [a, b] }),
      event('Charged', '2025-07-05', { charges: [b, c, a] }),
    ]);
    expect(view.charges).toEqual([a, b, c]);
  });

  it('the same text under another article is another charge', () => {
    const view = viewOf([
      opened,
      event('Charged', '2025-07-01', { charges: [b] }),
      event('Charged', '2025-07-05', { charges: [{ ...b, article: 'Art. 2' }] }),
    ]);
    expect(view.charges).toEqual([b, { ...b, article: 'Art. 2' }]);
  });

  it('given charges, when they are changed, then the new list replaces them; an empty list clears them', () => {
    const changed = [opened, event('Charged', '2025-07-01', { charges: [a, b] })];
    expect(viewOf([...changed, event('ChargesChanged', '2025-08-01', { charges: [c] })]).charges).toEqual([
      c,
    ]);
    expect(viewOf([...changed, event('ChargesChanged', '2025-08-01', { charges: [] })]).charges).toEqual([]);
  });
});

describe('consular visits and hearings', () => {
  it('counts every visit and remembers the last by when it occurred', () => {
    const view = viewOf([
      opened,
      detained,
      event('ConsularVisit', '2025-08-10', { by: 'Embassy of Utopia' }),
      event('ConsularVisit', '2025-07-10', { by: 'Embassy of Utopia' }),
      event('ConsularAccessDenied', '2025-09-10', { by: 'Embassy of Utopia' }),
    ]);
    expect(view).toMatchObject({
      lastConsularVisitAt: '2025-08-10',
      consularVisitCount: 2,
      lastOccurredAt: '2025-09-10',
    });
  });

  it('a later scheduling sets the next hearing, by when it was scheduled', () => {
    const view = viewOf([
      opened,
      event('HearingScheduled', '2025-07-10', { court, on: '2025-08-28' }),
      event('HearingScheduled', '2025-08-20', { court, on: '2025-09-30' }),
    ]);
    expect(view.nextHearingAt).toBe('2025-09-30');
  });
});

describe('held again after a release', () => {
  const released = event('Released', '2025-08-01', { mode: 'bail', announced: true });

  it.each([
    ['a custody order', event('CustodyOrdered', '2025-09-01', { court, until: '2025-11-01' })],
    ['an extension', event('CustodyExtended', '2025-09-01', { court, until: '2025-11-01' })],
    ['a transfer', event('Transferred', '2025-09-01', { toFacility: 'North Colony' })],
  ])('given a released person, when %s shows them held, then custody begins again there', (_, heldAgain) => {
    expect(viewOf([opened, detained, released, heldAgain])).toMatchObject({
      status: 'detained',
      detainedAt: '2025-09-01',
      releasedAt: null,
      releaseMode: null,
      statusHistory: [
        { status: 'detained', from: '2025-06-30', to: '2025-08-01' },
        { status: 'released', from: '2025-08-01', to: '2025-09-01' },
        { status: 'detained', from: '2025-09-01', to: null },
      ],
    });
  });

  it('given a person held throughout, when custody is extended, then the detention date stays', () => {
    const extension = event('CustodyExtended', '2025-09-01', { court, months: 1 });
    expect(viewOf([opened, detained, extension])).toMatchObject({
      detainedAt: '2025-06-30',
      status: 'detained',
    });
  });
});
