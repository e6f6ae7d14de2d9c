import { describe, expect, it } from 'vitest';
import { identifierSchema, nameText, newEventSchema, text } from '../../domain/event-catalogue.ts';

function opened(name: string, extra: Record<string, unknown> = {}) {
  return {
    type: 'CaseOpened',
    occurredAt: '2025-10-05',
    sources: [{ title: 'Invented test report' }],
    data: { subject: { name }, ...extra },
  };
}

const decomposed = 'Test Person Ame\u0301lie'; // e + combining acute accent (NFD)
const composed = 'Test Person Am\u00e9lie'; // é as one code point (NFC)

describe('free text is trimmed and normalised to Unicode NFC', () => {
  it('trims spaces, tabs and newlines around a text', () => {
    const event = newEventSchema.parse(opened(' \t Test Person A \n'));
    expect(event.type === 'CaseOpened' && event.data.subject.name).toBe('Test Person A');
  });

  it('keeps spaces inside a text', () => {
    const event = newEventSchema.parse(opened('Test  Person   A'));
    expect(event.type === 'CaseOpened' && event.data.subject.name).toBe('Test  Person   A');
  });

  it('composes decomposed characters, so the same words always hash the same', () => {
    expect(decomposed).not.toBe(composed);
    const event = newEventSchema.parse(opened(decomposed));
    expect(event.type === 'CaseOpened' && event.data.subject.name).toBe(composed);
  });

  it('normalises text everywhere it appears: sources, note, nested data', () => {
    const event = newEventSchema.parse({
      type: 'Charged',
      occurredAt: '2025-10-05',
      sources: [{ title: ` ${decomposed} `, publisher: decomposed }],
      note: ` ${decomposed}`,
      data: { charges: [{ text: `${decomposed} `, article: ' 1.2 ' }] },
    });
    expect(event).toEqual({
      type: 'Charged',
      occurredAt: '2025-10-05',
      sources: [{ title: composed, publisher: composed }],
      note: composed,
      data: { charges: [{ text: composed, article: '1.2' }] },
    });
  });

  it('measures length after trimming and normalising', () => {
    const schema = text(5);
    expect(schema.parse('  abcde  ')).toBe('abcde');
    expect(schema.parse('e\u0301'.repeat(5))).toBe('\u00e9'.repeat(5));
    expect(schema.safeParse('abcdef').success).toBe(false);
  });

  it.each([
    ['empty', ''],
    ['spaces only', '   '],
    ['whitespace of several kinds only', '\t\n\u00a0\u2003'],
  ])('refuses a text that is %s', (_, value) => {
    expect(newEventSchema.safeParse(opened(value)).error?.issues).toEqual([
      expect.objectContaining({ path: ['data', 'subject', 'name'], code: 'too_small' }),
    ]);
  });
});

describe('every text is valid Unicode without control characters', () => {
  const detainedAt = (data: Record<string, unknown>, note?: string) => ({
    type: 'Detained',
    occurredAt: '2025-10-05',
    sources: [{ title: 'Invented test report' }],
    ...(note !== undefined && { note }),
    data: { place: 'Test City', ...data },
  });

  it.each([
    ['a lone high surrogate', 'Test \ud800 Person', 'unpaired surrogate'],
    ['a lone low surrogate', 'Test \udfff Person', 'unpaired surrogate'],
    ['NUL', 'Test\u0000Person', 'U+0000'],
    ['an escape', 'Test\u001bPerson', 'U+001B'],
    ['DEL', 'Test\u007fPerson', 'U+007F'],
    ['a C1 control', 'Test\u0085Person', 'U+0085'],
  ])('refuses %s in free text and in names, at the field', (_, value, said) => {
    for (const [event, path] of [
      [detainedAt({}, value), ['note']],
      [detainedAt({ facility: value }), ['data', 'facility']],
      [opened(value), ['data', 'subject', 'name']],
    ] as const) {
      expect(newEventSchema.safeParse(event).error?.issues).toEqual([
        expect.objectContaining({ path, message: expect.stringContaining(said) }),
      ]);
    }
  });

  it('keeps a pair of surrogates (a character outside the basic plane) and tabs and line breaks in notes', () => {
    expect(text(50).parse('Test \ud83d\udcdd report')).toBe('Test \u{1f4dd} report');
    expect(text(50).parse('first line\r\n\tsecond line')).toBe('first line\r\n\tsecond line');
  });

  it('refuses a source URL with a lone surrogate or a control character', () => {
    for (const url of ['https://news.example/\ud800', 'https://news.example/a\u0000b']) {
      const event = { ...detainedAt({}), sources: [{ title: 'Invented test report', url }] };
      expect(newEventSchema.safeParse(event).error?.issues).toEqual([
        expect.objectContaining({ path: ['sources', 0, 'url'] }),
      ]);
    }
  });
});

describe('names are one line and hold no invisible characters, so alike names are alike', () => {
  it.each([
    ['a zero-width space', 'Harbour\u200bRemand', 'U+200B'],
    ['a byte-order mark inside', 'Harbour\ufeffRemand', 'U+FEFF'],
    ['a word joiner', 'Harbour\u2060Remand', 'U+2060'],
    ['a soft hyphen', 'Harbour\u00adRemand', 'U+00AD'],
    ['a right-to-left override', 'Harbour \u202eRemand', 'U+202E'],
    ['a left-to-right isolate', 'Harbour \u2066Remand\u2069', 'U+2066'],
    ['a zero-width joiner between Latin letters', 'Harbour\u200dRemand', 'U+200D'],
    ['a zero-width non-joiner at the start', '\u200cHarbour Remand', 'U+200C'],
    ['a line break', 'Harbour\nRemand', 'U+000A'],
    ['a tab', 'Harbour\tRemand', 'U+0009'],
    ['a line separator', 'Harbour\u2028Remand', 'U+2028'],
  ])('refuses %s in a facility, a court, a place and a label', (_, value, said) => {
    const events = [
      [{ type: 'Transferred', data: { toFacility: value } }, ['data', 'toFacility']],
      [{ type: 'HearingScheduled', data: { court: value, on: '2025-11-01' } }, ['data', 'court']],
      [{ type: 'Detained', data: { place: value } }, ['data', 'place']],
      [
        { type: 'CaseOpened', data: { subject: { name: 'Test Person A' }, labels: [value] } },
        ['data', 'labels', 0],
      ],
    ] as const;
    for (const [event, path] of events) {
      const submitted = { occurredAt: '2025-10-05', sources: [{ title: 'Invented test report' }], ...event };
      expect(newEventSchema.safeParse(submitted).error?.issues).toEqual([
        expect.objectContaining({ path, message: expect.stringContaining(said) }),
      ]);
    }
  });

  it('keeps a zero-width non-joiner where Persian spelling puts it, and bidi marks in free text', () => {
    const persian = 'زندان\u200cها';
    expect(nameText(50).parse(persian)).toBe(persian);
    expect(text(50).parse('\u200fnote\u200e')).toBe('\u200fnote\u200e');
  });
});

describe('identifiers chosen by clients are safe in URLs, keys and logs', () => {
  it.each([
    ['a single letter', 'a'],
    ['a single digit', '7'],
    ['every allowed character', 'Az09._:-'],
    ['a typical group id', 'mass-arrest.2025-10:capital_1'],
    ['128 characters', `a${'b'.repeat(127)}`],
  ])('accepts %s', (_, id) => {
    expect(identifierSchema.safeParse(id).success).toBe(true);
  });

  it.each([
    ['the empty string', ''],
    ['a leading #, which the store uses for its own keys', '#meta'],
    ['a leading dash', '-a'],
    ['a leading dot', '.a'],
    ['a leading colon', ':a'],
    ['a leading underscore', '_a'],
    ['129 characters', `a${'b'.repeat(128)}`],
    ['a space', 'group 1'],
    ['a slash', 'group/1'],
    ['a percent sign', 'group%201'],
    ['a newline', 'group\n1'],
    ['a non-ASCII letter', 'gr\u00fcppe'],
    ['a # inside', 'group#1'],
  ])('refuses %s', (_, id) => {
    expect(identifierSchema.safeParse(id).success).toBe(false);
  });

  it('applies to a case group id at data.groupId', () => {
    expect(newEventSchema.safeParse(opened('Test Person A', { groupId: '#x' })).error?.issues).toEqual([
      expect.objectContaining({ path: ['data', 'groupId'], code: 'invalid_format' }),
    ]);
    expect(newEventSchema.safeParse(opened('Test Person A', { groupId: 'group-1' })).success).toBe(true);
  });
});
