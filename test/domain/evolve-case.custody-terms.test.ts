import { describe, expect, it } from 'vitest';
import { event, opening } from '../support/sample-events.ts';
import { viewOf } from './case-specification.ts';

const court = 'Invented District Court';
const opened = opening();
const detained = event('Detained', '2025-01-10', { place: 'Capital' });

function termAfter(...orders: ReturnType<typeof event>[]) {
  return viewOf([opened, detained, ...orders]).custodyUntil;
}

describe('a court-ordered custody term', () => {
  it('given an end date, ends on that date', () => {
    expect(termAfter(event('CustodyOrdered', '2025-01-12', { court, until: '2025-03-12' }))).toBe(
      '2025-03-12',
    );
  });

  it.each([
    ['two months', '2025-01-12', 2, '2025-03-12'],
    ['one month from the 31st, clamped to the end of February', '2025-01-31', 1, '2025-02-28'],
    ['one month from the 31st in a leap year', '2024-01-31', 1, '2024-02-29'],
    ['across a year end', '2025-11-30', 3, '2026-02-28'],
    ['ten years', '2025-01-12', 120, '2035-01-12'],
  ])('given %s, counts from the day of the order', (_, day, months, until) => {
    expect(termAfter(event('CustodyOrdered', day, { court, months }))).toBe(until);
  });

  it('given an order dated by its month only, counts from the first day of that month', () => {
    expect(termAfter(event('CustodyOrdered', '2025-02', { court, months: 2 }))).toBe('2025-04-01');
  });

  it('given an order dated as an instant, counts from its UTC day', () => {
    expect(termAfter(event('CustodyOrdered', '2025-02-10T23:30:00Z', { court, months: 1 }))).toBe(
      '2025-03-10',
    );
  });
});

describe('an extension of the term', () => {
  const order = event('CustodyOrdered', '2025-01-12', { court, months: 2 });

  it('given months, runs from the end of the current term, not from the day of the extension', () => {
    expect(termAfter(order, event('CustodyExtended', '2025-03-01', { court, months: 3 }))).toBe('2025-06-12');
  });

  it('given successive extensions, each runs from the end of the last', () => {
    expect(
      termAfter(
        order,
        event('CustodyExtended', '2025-03-01', { court, months: 3 }),
        event('CustodyExtended', '2025-06-01', { court, months: 1 }),
      ),
    ).toBe('2025-07-12');
  });

  it('given an end date, replaces the term', () => {
    expect(termAfter(order, event('CustodyExtended', '2025-03-01', { court, until: '2025-05-05' }))).toBe(
      '2025-05-05',
    );
  });

  it('given no term on record, runs from the day of the extension', () => {
    expect(termAfter(event('CustodyExtended', '2025-03-01', { court, months: 2 }))).toBe('2025-05-01');
  });

  it('given a release in between, runs from the day of the extension, as the release ended the term', () => {
    expect(
      termAfter(
        order,
        event('Released', '2025-02-01', { mode: 'bail', announced: true }),
        event('CustodyExtended', '2025-03-01', { court, months: 2 }),
      ),
    ).toBe('2025-05-01');
  });
});
