import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseOccurredAt } from '../../domain/occurred-at.ts';

/** The bounds of an accepted text, as ISO instants, or the message if it was refused. */
function boundsOf(text: string) {
  const result = parseOccurredAt(text);
  if (!result.ok) return { refused: result.message };
  return {
    text: result.value.text,
    earliest: new Date(result.value.earliest).toISOString(),
    latest: new Date(result.value.latest).toISOString(),
  };
}

describe('an occurred-at text means the span of time it names, both ends inclusive', () => {
  it.each([
    ['a year', '2025', '2025-01-01T00:00:00.000Z', '2025-12-31T23:59:59.999Z'],
    ['a month', '2025-10', '2025-10-01T00:00:00.000Z', '2025-10-31T23:59:59.999Z'],
    ['a 30-day month', '2025-06', '2025-06-01T00:00:00.000Z', '2025-06-30T23:59:59.999Z'],
    ['February of a common year', '2025-02', '2025-02-01T00:00:00.000Z', '2025-02-28T23:59:59.999Z'],
    ['February of a leap year', '2024-02', '2024-02-01T00:00:00.000Z', '2024-02-29T23:59:59.999Z'],
    ['a day', '2025-06-30', '2025-06-30T00:00:00.000Z', '2025-06-30T23:59:59.999Z'],
    ['29 February of a leap year', '2024-02-29', '2024-02-29T00:00:00.000Z', '2024-02-29T23:59:59.999Z'],
    [
      '29 February 2000 (divisible by 400)',
      '2000-02-29',
      '2000-02-29T00:00:00.000Z',
      '2000-02-29T23:59:59.999Z',
    ],
  ])('%s (%s)', (_, text, earliest, latest) => {
    expect(boundsOf(text)).toEqual({ text, earliest, latest });
  });

  it.each([
    ['UTC with seconds', '2025-12-30T10:00:00Z', '2025-12-30T10:00:00.000Z'],
    ['UTC without seconds', '2025-12-30T10:00Z', '2025-12-30T10:00:00.000Z'],
    ['milliseconds', '2025-12-30T10:00:00.123Z', '2025-12-30T10:00:00.123Z'],
    ['a positive offset', '2025-12-30T10:00:00+02:00', '2025-12-30T08:00:00.000Z'],
    ['a negative half-hour offset', '2025-12-30T10:00:00-05:30', '2025-12-30T15:30:00.000Z'],
    ['an offset that moves it to the previous day', '2025-12-30T01:00:00+03:00', '2025-12-29T22:00:00.000Z'],
    ['the largest offset in use', '2025-12-30T10:00:00+14:00', '2025-12-29T20:00:00.000Z'],
  ])('an instant with %s is that one millisecond', (_, text, instant) => {
    expect(boundsOf(text)).toEqual({ text, earliest: instant, latest: instant });
  });

  it.each([
    ['one decimal is tenths', '2025-12-30T10:00:00.1Z', '2025-12-30T10:00:00.100Z'],
    ['two decimals are hundredths', '2025-12-30T10:00:00.12Z', '2025-12-30T10:00:00.120Z'],
    ['with an offset', '2025-12-30T10:00:00.05+02:00', '2025-12-30T08:00:00.050Z'],
  ])('a fraction of a second is a decimal fraction: %s', (_, text, instant) => {
    expect(boundsOf(text)).toEqual({ text, earliest: instant, latest: instant });
  });

  it.each([
    ['?', 'uncertain'],
    ['~', 'approximate'],
    ['%', 'uncertain and approximate'],
  ])('the qualifier %s (%s) keeps the text and does not move the bounds', (qualifier) => {
    for (const [plain, earliest, latest] of [
      ['2025', '2025-01-01T00:00:00.000Z', '2025-12-31T23:59:59.999Z'],
      ['2025-10', '2025-10-01T00:00:00.000Z', '2025-10-31T23:59:59.999Z'],
      ['2025-10-05', '2025-10-05T00:00:00.000Z', '2025-10-05T23:59:59.999Z'],
    ] as const) {
      expect(boundsOf(`${plain}${qualifier}`)).toEqual({ text: `${plain}${qualifier}`, earliest, latest });
    }
  });

  it.each([
    ['two days', '2025-06-30/2025-07-01', '2025-06-30T00:00:00.000Z', '2025-07-01T23:59:59.999Z'],
    ['two months', '2025-06/2025-07', '2025-06-01T00:00:00.000Z', '2025-07-31T23:59:59.999Z'],
    ['two years', '2025/2026', '2025-01-01T00:00:00.000Z', '2026-12-31T23:59:59.999Z'],
    [
      'a month to a day inside it',
      '2025-10/2025-10-05',
      '2025-10-01T00:00:00.000Z',
      '2025-10-05T23:59:59.999Z',
    ],
    ['one day to itself', '2025-10-05/2025-10-05', '2025-10-05T00:00:00.000Z', '2025-10-05T23:59:59.999Z'],
    ['qualified ends', '2025-06-30?/2025-07~', '2025-06-30T00:00:00.000Z', '2025-07-31T23:59:59.999Z'],
    [
      'two instants',
      '2025-12-30T10:00:00Z/2025-12-30T12:30:00+01:00',
      '2025-12-30T10:00:00.000Z',
      '2025-12-30T11:30:00.000Z',
    ],
    [
      'an instant to a day',
      '2025-10-01T00:00:00+02:00/2025-10-01',
      '2025-09-30T22:00:00.000Z',
      '2025-10-01T23:59:59.999Z',
    ],
  ])(
    'an interval of %s runs from the start of the first to the end of the second',
    (_, text, earliest, latest) => {
      expect(boundsOf(text)).toEqual({ text, earliest, latest });
    },
  );

  it('the longest form the grammar allows (two instants with milliseconds and offsets) is accepted', () => {
    const text = '2025-12-30T10:00:00.123+02:00/2025-12-31T10:00:00.456-02:00';
    expect(boundsOf(text)).toEqual({
      text,
      earliest: '2025-12-30T08:00:00.123Z',
      latest: '2025-12-31T12:00:00.456Z',
    });
  });
});

describe('bounds agree with the calendar for every real date', () => {
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  const daysIn = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();
  const realDay = fc
    .record({ year: fc.integer({ min: 1900, max: 2100 }), month: fc.integer({ min: 1, max: 12 }) })
    .chain(({ year, month }) =>
      fc.record({
        year: fc.constant(year),
        month: fc.constant(month),
        day: fc.integer({ min: 1, max: daysIn(year, month) }),
      }),
    );
  const dayText = ({ year, month, day }: { year: number; month: number; day: number }) =>
    `${pad(year, 4)}-${pad(month)}-${pad(day)}`;

  it('a day runs from its first to its last millisecond, UTC', () => {
    fc.assert(
      fc.property(realDay, fc.constantFrom('', '?', '~', '%'), (day, qualifier) => {
        const start = Date.UTC(day.year, day.month - 1, day.day);
        const result = parseOccurredAt(`${dayText(day)}${qualifier}`);
        expect(result).toEqual({
          ok: true,
          value: { text: `${dayText(day)}${qualifier}`, earliest: start, latest: start + 86_400_000 - 1 },
        });
      }),
      { numRuns: 150 },
    );
  });

  it('a month runs from its first day to the last millisecond of its last day', () => {
    fc.assert(
      fc.property(realDay, ({ year, month }) => {
        const result = parseOccurredAt(`${year}-${pad(month)}`);
        expect(result.ok && [result.value.earliest, result.value.latest]).toEqual([
          Date.UTC(year, month - 1, 1),
          Date.UTC(year, month, 1) - 1,
        ]);
      }),
      { numRuns: 100 },
    );
  });

  it('an interval of two days in order is accepted, and the same two days reversed are refused', () => {
    fc.assert(
      fc.property(realDay, realDay, (a, b) => {
        const startA = Date.UTC(a.year, a.month - 1, a.day);
        const startB = Date.UTC(b.year, b.month - 1, b.day);
        fc.pre(startA !== startB);
        const [first, second] = startA < startB ? [a, b] : [b, a];
        const forward = parseOccurredAt(`${dayText(first)}/${dayText(second)}`);
        expect(forward.ok && [forward.value.earliest, forward.value.latest]).toEqual([
          Math.min(startA, startB),
          Math.max(startA, startB) + 86_400_000 - 1,
        ]);
        expect(parseOccurredAt(`${dayText(second)}/${dayText(first)}`)).toEqual({
          ok: false,
          message: 'an interval must not end before it starts',
        });
      }),
      { numRuns: 150 },
    );
  });
});

describe('parsing the same text again', () => {
  it('gives the same answer, which no caller can change for the next', () => {
    const first = parseOccurredAt('2025-10?');
    const again = parseOccurredAt('2025-10?');
    expect(again).toEqual(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(first.ok && Object.isFrozen(first.value)).toBe(true);
    expect(() => {
      if (first.ok) (first.value as { earliest: number }).earliest = 0;
    }).toThrow(TypeError);
    const refused = parseOccurredAt('2025-02-30');
    expect(parseOccurredAt('2025-02-30')).toEqual(refused);
    expect(refused.ok).toBe(false);
  });
});
