import { describe, expect, it } from 'vitest';
import { boardQueryOf, daysBetween, searchOf } from '../../web/src/board/board-query.ts';
import { heldFacts, type SummarySeries } from '../../web/src/board/held-series.ts';

const query = (search: string) => boardQueryOf(new URLSearchParams(search));

describe("the board's URL", () => {
  it('reads every choice, and leaves out what is not one', () => {
    expect(
      query(
        'group=g1&asOf=2026-10-01&status=sentenced&facility=F&nationality=N&sort=custodyUntil&limit=10&cursor=a&cursor=b',
      ),
    ).toEqual({
      group: 'g1',
      asOf: '2026-10-01',
      status: 'sentenced',
      facility: 'F',
      nationality: 'N',
      sort: 'custodyUntil',
      limit: 10,
      cursors: ['a', 'b'],
    });
    expect(query('status=free&sort=name&limit=7&group=')).toMatchObject({
      group: undefined,
      status: undefined,
      sort: 'caseId',
      limit: 50,
      cursors: [],
    });
  });

  it('keeps a hand-typed As of as typed, so the API judges it', () => {
    expect(query('asOf=2025-13-45').asOf).toBe('2025-13-45');
  });

  it('starts the list again at its first page when what it lists changes, and not when only the day does', () => {
    const paged = query('group=g1&cursor=a&cursor=b');
    expect(searchOf(paged, { status: 'detained' }).getAll('cursor')).toEqual([]);
    expect(searchOf(paged, { group: 'g2' }).getAll('cursor')).toEqual([]);
    expect(searchOf(paged, { sort: 'custodyUntil' }).getAll('cursor')).toEqual([]);
    expect(searchOf(paged, { asOf: '2026-01-01' }).getAll('cursor')).toEqual(['a', 'b']);
    expect(searchOf(paged, { cursors: ['a'] }).getAll('cursor')).toEqual(['a']);
  });

  it('writes only what differs from the defaults, so a plain board has a plain URL', () => {
    expect(searchOf(query(''), { sort: 'caseId', limit: 50 }).toString()).toBe('');
    expect(searchOf(query(''), { group: 'demo', limit: 10 }).toString()).toBe('group=demo&limit=10');
  });
});

describe('days since', () => {
  it('counts calendar days from an instant or a day to a day', () => {
    expect(daysBetween('2026-11-28T15:00:00Z', '2026-12-01')).toBe(3);
    expect(daysBetween('2026-12-01', '2026-12-01')).toBe(0);
    expect(daysBetween('2026-12-01', 'not a day')).toBeUndefined();
  });
});

describe("the held-per-day chart's sentence", () => {
  const series: SummarySeries = {
    from: '2026-07-01',
    to: '2026-07-04',
    statuses: ['detained', 'house_arrest', 'sentenced', 'released', 'deceased', 'unknown'],
    days: [
      { day: '2026-07-01', byStatus: { detained: 2 }, held: 2 },
      { day: '2026-07-02', byStatus: { detained: 5, sentenced: 1 }, held: 6 },
      { day: '2026-07-03', byStatus: { detained: 6 }, held: 6 },
      { day: '2026-07-04', byStatus: { detained: 4, released: 2 }, held: 4 },
    ],
  };

  it('gives the chosen day, and the first day with the most held', () => {
    expect(heldFacts(series, '2026-07-04')).toEqual({ onDay: 4, most: 6, mostOn: '2026-07-02' });
  });

  it('says nothing of a day outside the span', () => {
    expect(heldFacts(series, '2026-08-01').onDay).toBeUndefined();
    expect(heldFacts({ ...series, days: [] }, '2026-07-01')).toEqual({
      onDay: undefined,
      most: 0,
      mostOn: undefined,
    });
  });
});
