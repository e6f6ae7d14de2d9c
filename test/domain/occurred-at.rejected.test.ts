import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  isNotInFuture,
  OCCURRED_AT_MAX_LENGTH,
  occurredAtOf,
  occurredAtSchema,
  parseOccurredAt,
} from '../../domain/occurred-at.ts';

const NOT_REAL = 'not a real date (check the month, the day and the time)';
const REVERSED = 'an interval must not end before it starts';
const FORMAT =
  'an EDTF date: 2025, 2025-06, 2025-06-30, 2025-12-30T10:00:00Z, with ? or ~ for uncertain or approximate, or an interval 2025-06-30/2025-07-01';

describe('texts that name no real moment are refused as not real', () => {
  it.each([
    ['30 February', '2025-02-30'],
    ['29 February of a common year', '2025-02-29'],
    ['29 February 1900 (a century, not divisible by 400)', '1900-02-29'],
    ['31 April', '2025-04-31'],
    ['day 0', '2025-10-00'],
    ['day 32', '2025-10-32'],
    ['month 13', '2025-13'],
    ['month 0', '2025-00'],
    ['month 21 (an EDTF season)', '2025-21'],
    ['an impossible day inside an instant', '2025-02-30T10:00:00Z'],
    ['hour 25', '2025-12-30T25:00:00Z'],
    ['minute 60', '2025-12-30T10:60:00Z'],
    ['second 60', '2025-12-31T23:59:60Z'],
    ['an offset of 24 hours', '2025-12-30T10:00:00+24:00'],
    ['an offset with 60 minutes', '2025-12-30T10:00:00+02:60'],
    ['an impossible start of an interval', '2025-02-30/2025-06-30'],
    ['an impossible end of an interval', '2025-06-30/2025-06-31'],
    ['an impossible month ending an interval', '2025-06/2025-13'],
    ['an impossible instant ending an interval', '2025-06-30T10:00:00Z/2025-06-30T25:00:00Z'],
  ])('%s (%s)', (_, text) => {
    expect(parseOccurredAt(text)).toEqual({ ok: false, message: NOT_REAL });
  });
});

describe('intervals that end before they start are refused', () => {
  it.each([
    ['days', '2025-07-01/2025-06-30'],
    ['months', '2025-07/2025-06'],
    ['a day after the month that ends it', '2025-07-01/2025-06'],
    ['instants one millisecond apart', '2025-10-01T00:00:00.000Z/2025-09-30T23:59:59.999Z'],
    [
      'instants ordered by their offsets, not their digits',
      '2025-10-01T10:00:00+00:00/2025-10-01T11:00:00+02:00',
    ],
  ])('%s (%s)', (_, text) => {
    expect(parseOccurredAt(text)).toEqual({ ok: false, message: REVERSED });
  });

  it('an interval whose ends touch is accepted', () => {
    expect(parseOccurredAt('2025-10-01T09:00:00+00:00/2025-10-01T11:00:00+02:00').ok).toBe(true);
  });
});

describe('texts outside the EDTF subset are refused with the format hint', () => {
  it.each([
    ['the empty string', ''],
    ['garbage', 'yesterday'],
    ['a local time without a time zone', '2025-12-30T10:00:00'],
    ['a lowercase t', '2025-12-30t10:00:00Z'],
    ['a lowercase z', '2025-12-30T10:00:00z'],
    ['four decimals of a second', '2025-12-30T10:00:00.1234Z'],
    ['a qualified instant', '2025-06-30T10:00:00Z?'],
    ['two qualifiers', '2025-10?~'],
    ['a doubled qualifier', '2025-10??'],
    ['unspecified digits', '2025-XX'],
    ['a partly unspecified month', '2025-1X'],
    ['an open end', '2025/..'],
    ['an open start', '../2025'],
    ['an unknown end', '2025/'],
    ['an unknown start', '/2025'],
    ['three points', '2025-06-30/2025-07-01/2025-07-02'],
    ['a leading space', ' 2025'],
    ['a trailing space', '2025 '],
    ['a trailing newline', '2025-10-05\n'],
    ['a NUL byte', '2025-10-05\u0000'],
    ['full-width digits', '２０２５'],
    ['Arabic-Indic digits', '٢٠٢٥'],
    ['a negative year', '-2025'],
    ['a five-digit year', '20250'],
    ['a two-digit year', '25-10-05'],
    ['slashes for dashes', '2025/10/05/'],
    ['markup', '<script>alert(1)</script>'],
    ['an injection attempt', "2025-10-05'; DROP TABLE cases;--"],
    ['a path', '../../etc/passwd'],
    ['a prototype name', '__proto__'],
    ['a number in exponent form', '2e3'],
  ])('%s', (_, text) => {
    expect(parseOccurredAt(text)).toEqual({ ok: false, message: FORMAT });
  });

  it(`refuses anything longer than ${OCCURRED_AT_MAX_LENGTH} characters before parsing it`, () => {
    expect(parseOccurredAt('2'.repeat(100_000))).toEqual({ ok: false, message: FORMAT });
    expect(parseOccurredAt('2025-10-05/'.repeat(10_000))).toEqual({ ok: false, message: FORMAT });
    expect(parseOccurredAt(`2025-10-05${' '.repeat(OCCURRED_AT_MAX_LENGTH)}`)).toEqual({
      ok: false,
      message: FORMAT,
    });
  });

  it('never throws, whatever the text', () => {
    // Mostly the grammar's own characters, so that many texts come close to valid ones; any code point besides.
    const unit = fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...'0123456789-/T:Z+.?~%X '.split('')) },
      {
        weight: 1,
        arbitrary: fc.integer({ min: 0, max: 0x10ffff }).map((code) => String.fromCodePoint(code)),
      },
    );
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 80 }), (text) => {
        const result = parseOccurredAt(text);
        expect(typeof result.ok).toBe('boolean');
        if (result.ok) expect(result.value.earliest).toBeLessThanOrEqual(result.value.latest);
      }),
      { numRuns: 200 },
    );
  });
});

describe('the schema and the domain entry refuse what the parser refuses', () => {
  it('occurredAtSchema reports the parser message as a custom issue', () => {
    const result = occurredAtSchema.safeParse('2025-02-30');
    expect(result.success).toBe(false);
    expect(result.error?.issues).toEqual([
      expect.objectContaining({ code: 'custom', message: NOT_REAL, path: [] }),
    ]);
    expect(occurredAtSchema.safeParse('2025-10?')).toEqual({ success: true, data: '2025-10?' });
  });

  it('occurredAtSchema refuses what is not a string', () => {
    expect(occurredAtSchema.safeParse(2025).success).toBe(false);
    expect(occurredAtSchema.safeParse(null).success).toBe(false);
  });

  it('occurredAtOf throws on a text that should never have passed the schema, naming it', () => {
    expect(() => occurredAtOf('2025-13')).toThrow(/'2025-13'.*not a real date/);
    expect(occurredAtOf('2025-10')).toEqual({
      text: '2025-10',
      earliest: Date.parse('2025-10-01T00:00:00.000Z'),
      latest: Date.parse('2025-10-31T23:59:59.999Z'),
    });
  });
});

describe('isNotInFuture: something can have happened by now once its earliest moment has come', () => {
  const now = new Date('2025-10-15T12:00:00.000Z');

  it.each([
    ['a past day', '2025-10-14', true],
    ['today', '2025-10-15', true],
    ['this month, uncertain', '2025-10?', true],
    ['an interval that began before now and ends after it', '2025-10-01/2025-12-31', true],
    ['this very millisecond', '2025-10-15T12:00:00.000Z', true],
    ['one millisecond later', '2025-10-15T12:00:00.001Z', false],
    ['tomorrow', '2025-10-16', false],
    ['next month', '2025-11', false],
    ['next year', '2026', false],
  ])('%s (%s): %s', (_, text, expected) => {
    expect(isNotInFuture(occurredAtOf(text), now)).toBe(expected);
  });
});
