import { describe, expect, it } from 'vitest';
import { identifierSchema, newEventSchema, text } from '../../domain/event-catalogue.ts';

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
