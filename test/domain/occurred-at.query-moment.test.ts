import { describe, expect, it } from 'vitest';
import { parseQueryMoment } from '../../domain/occurred-at.ts';

describe('parseQueryMoment: the moment an asOf or knownAt query asks about', () => {
  it.each([
    ['a day means its last millisecond, so the whole day counts', '2025-06-30', '2025-06-30T23:59:59.999Z'],
    ['a month means its last millisecond', '2025-06', '2025-06-30T23:59:59.999Z'],
    ['February of a leap year ends on the 29th', '2024-02', '2024-02-29T23:59:59.999Z'],
    ['a year means its last millisecond', '2025', '2025-12-31T23:59:59.999Z'],
    ['an instant means itself', '2025-06-30T10:00:00Z', '2025-06-30T10:00:00.000Z'],
    [
      'an instant with an offset means that moment in UTC',
      '2025-06-30T10:00:00+02:00',
      '2025-06-30T08:00:00.000Z',
    ],
  ])('%s (%s)', (_, text, expected) => {
    expect(parseQueryMoment(text)?.toISOString()).toBe(expected);
  });

  it.each([
    ['an uncertain month', '2025-06?'],
    ['an approximate day', '2025-06-30~'],
    ['an uncertain and approximate year', '2025%'],
    ['an interval', '2025-06-30/2025-07-01'],
    ['an unreal day', '2025-02-30'],
    ['a local time', '2025-06-30T10:00:00'],
    ['garbage', 'now'],
    ['the empty string', ''],
  ])('refuses %s (%s)', (_, text) => {
    expect(parseQueryMoment(text)).toBeUndefined();
  });
});
