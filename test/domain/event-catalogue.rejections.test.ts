import { describe, expect, it } from 'vitest';
import { newEventSchema } from '../../domain/event-catalogue.ts';

const source = { title: 'Invented test report' };

function envelope(type: string, data: unknown, extra: Record<string, unknown> = {}) {
  return { type, occurredAt: '2025-10-05', sources: [source], data, ...extra };
}

/** Where and why an input is refused: each issue's path and code. */
function refusal(input: unknown) {
  const result = newEventSchema.safeParse(input);
  return result.success ? 'accepted' : result.error.issues.map(({ path, code }) => ({ path, code }));
}

const released = { mode: 'bail', announced: true };

describe('an event of an unknown type is refused at `type`', () => {
  it.each([['Arrested'], ['released'], [''], [undefined], [42]])('type %j', (type) => {
    expect(refusal({ ...envelope('Released', released), type })).toEqual([
      { path: ['type'], code: 'invalid_union' },
    ]);
  });

  it('refuses what is not an object at all', () => {
    expect(refusal(null)).toEqual([{ path: [], code: 'invalid_type' }]);
    expect(refusal('Released')).toEqual([{ path: [], code: 'invalid_type' }]);
    expect(refusal([envelope('Released', released)])).toEqual([{ path: [], code: 'invalid_type' }]);
  });
});

describe('schemas are strict: an unknown field is refused where it is', () => {
  it.each([
    ['the envelope', envelope('Released', released, { recordedBy: 'someone' }), []],
    ['the envelope (a server field)', envelope('Released', released, { version: 1 }), []],
    ['the data', envelope('Released', { ...released, reason: 'x' }), ['data']],
    [
      'a source',
      { ...envelope('Released', released), sources: [{ ...source, author: 'x' }] },
      ['sources', 0],
    ],
    [
      'the subject',
      envelope('CaseOpened', { subject: { name: 'Test Person A', age: 30 } }),
      ['data', 'subject'],
    ],
    ['a charge', envelope('Charged', { charges: [{ text: 'x', severity: 'high' }] }), ['data', 'charges', 0]],
    ['a custody term', envelope('CustodyOrdered', { court: 'C', months: 2, days: 3 }), ['data']],
    ['a sentence term', envelope('Sentenced', { court: 'C', term: { years: 1, days: 3 } }), ['data', 'term']],
    [
      'the data, even when the key is __proto__',
      envelope('Released', JSON.parse('{"mode":"bail","announced":true,"__proto__":{"admin":true}}')),
      ['data'],
    ],
  ])('in %s', (_, input, path) => {
    expect(refusal(input)).toEqual([{ path, code: 'unrecognized_keys' }]);
  });
});

describe('missing and mistyped fields are refused at their path', () => {
  it.each([
    [
      'missing data',
      { type: 'Released', occurredAt: '2025-10-05', sources: [source] },
      ['data'],
      'invalid_type',
    ],
    [
      'missing occurredAt',
      { type: 'Released', sources: [source], data: released },
      ['occurredAt'],
      'invalid_type',
    ],
    [
      'missing sources',
      { type: 'Released', occurredAt: '2025-10-05', data: released },
      ['sources'],
      'invalid_type',
    ],
    [
      'a missing required data field',
      envelope('Released', { mode: 'bail' }),
      ['data', 'announced'],
      'invalid_type',
    ],
    ['a missing subject', envelope('CaseOpened', {}), ['data', 'subject'], 'invalid_type'],
    [
      'a missing subject name',
      envelope('CaseOpened', { subject: {} }),
      ['data', 'subject', 'name'],
      'invalid_type',
    ],
    [
      'a string for a boolean',
      envelope('Released', { mode: 'bail', announced: 'yes' }),
      ['data', 'announced'],
      'invalid_type',
    ],
    ['a number for a text', envelope('Detained', { place: 42 }), ['data', 'place'], 'invalid_type'],
    [
      'a text for a number',
      envelope('CustodyOrdered', { court: 'C', months: '2' }),
      ['data', 'months'],
      'invalid_type',
    ],
    [
      'a fraction of a month',
      envelope('CustodyOrdered', { court: 'C', months: 1.5 }),
      ['data', 'months'],
      'invalid_type',
    ],
    [
      'a charge list that is an object',
      envelope('Charged', { charges: { text: 'x' } }),
      ['data', 'charges'],
      'invalid_type',
    ],
    [
      'an unknown release mode',
      envelope('Released', { mode: 'escaped', announced: true }),
      ['data', 'mode'],
      'invalid_value',
    ],
    [
      'an unknown family contact',
      envelope('FamilyContact', { kind: 'email' }),
      ['data', 'kind'],
      'invalid_value',
    ],
    [
      'life: false',
      envelope('Sentenced', { court: 'C', term: { life: false } }),
      ['data', 'term', 'life'],
      'invalid_value',
    ],
    [
      'a number for occurredAt',
      { ...envelope('Released', released), occurredAt: 20251005 },
      ['occurredAt'],
      'invalid_type',
    ],
    [
      'an unreal occurredAt',
      { ...envelope('Released', released), occurredAt: '2025-02-30' },
      ['occurredAt'],
      'custom',
    ],
    [
      'an unreal publishedAt',
      { ...envelope('Released', released), sources: [{ ...source, publishedAt: '2025-13' }] },
      ['sources', 0, 'publishedAt'],
      'custom',
    ],
    [
      'an event id that is no UUID',
      envelope('Released', released, { eventId: 'event-1' }),
      ['eventId'],
      'invalid_format',
    ],
    [
      'a retraction naming no UUID',
      envelope('Retracted', { eventId: 'event-1', reason: 'x' }),
      ['data', 'eventId'],
      'invalid_format',
    ],
    [
      'a hearing on no real day',
      envelope('HearingScheduled', { court: 'C', on: '2025-02-30' }),
      ['data', 'on'],
      'invalid_format',
    ],
    [
      'a hearing on a month',
      envelope('HearingScheduled', { court: 'C', on: '2025-11' }),
      ['data', 'on'],
      'invalid_format',
    ],
    [
      'a custody term until an unreal day',
      envelope('CustodyOrdered', { court: 'C', until: '2025-02-29' }),
      ['data', 'until'],
      'invalid_format',
    ],
    [
      'a birth year before 1900',
      envelope('CaseOpened', { subject: { name: 'A', birthYear: 1899 } }),
      ['data', 'subject', 'birthYear'],
      'too_small',
    ],
    [
      'a birth year after 2100',
      envelope('CaseOpened', { subject: { name: 'A', birthYear: 2101 } }),
      ['data', 'subject', 'birthYear'],
      'too_big',
    ],
    [
      'a custody term of no months',
      envelope('CustodyOrdered', { court: 'C', months: 0 }),
      ['data', 'months'],
      'too_small',
    ],
    [
      'a custody term over ten years',
      envelope('CustodyExtended', { court: 'C', months: 121 }),
      ['data', 'months'],
      'too_big',
    ],
    [
      'a negative sentence',
      envelope('Sentenced', { court: 'C', term: { years: -1 } }),
      ['data', 'term', 'years'],
      'too_small',
    ],
  ])('%s', (_, input, path, code) => {
    expect(refusal(input)).toEqual([{ path, code }]);
  });
});

describe('rules across fields', () => {
  it.each([
    ['both until and months', { court: 'C', until: '2025-12-31', months: 2 }],
    ['neither until nor months', { court: 'C' }],
  ])('a custody term with %s is refused', (_, data) => {
    expect(newEventSchema.safeParse(envelope('CustodyOrdered', data)).error?.issues).toEqual([
      expect.objectContaining({ path: ['data'], message: 'give exactly one of until and months' }),
    ]);
  });

  it('a sentence with no years, months or life is refused', () => {
    expect(newEventSchema.safeParse(envelope('Sentenced', { court: 'C', term: {} })).error?.issues).toEqual([
      expect.objectContaining({ path: ['data', 'term'], message: 'give years, months or life' }),
    ]);
  });

  it('Charged needs at least one charge, while ChargesChanged may clear them all', () => {
    expect(refusal(envelope('Charged', { charges: [] }))).toEqual([
      { path: ['data', 'charges'], code: 'too_small' },
    ]);
    expect(refusal(envelope('ChargesChanged', { charges: [] }))).toBe('accepted');
  });

  it('an event needs at least one source', () => {
    expect(
      newEventSchema.safeParse({ ...envelope('Released', released), sources: [] }).error?.issues,
    ).toEqual([expect.objectContaining({ path: ['sources'], message: 'at least one source' })]);
  });

  it.each([
    ['javascript:', 'javascript:alert(1)'],
    ['data:', 'data:text/html,<script>alert(1)</script>'],
    ['ftp:', 'ftp://example.org/file'],
    ['file:', 'file:///etc/passwd'],
    ['no scheme', 'example.org/report'],
  ])('a source URL with %s is refused; only http and https are', (_, url) => {
    expect(refusal({ ...envelope('Released', released), sources: [{ ...source, url }] })).toEqual([
      { path: ['sources', 0, 'url'], code: 'invalid_format' },
    ]);
  });
});

describe('oversize fields are refused at their path, and the bound itself is accepted', () => {
  const a = (n: number) => 'a'.repeat(n);
  it.each([
    [
      'subject name',
      200,
      (s: string) => envelope('CaseOpened', { subject: { name: s } }),
      ['data', 'subject', 'name'],
    ],
    [
      'subject notes',
      2000,
      (s: string) => envelope('CaseOpened', { subject: { name: 'A', notes: s } }),
      ['data', 'subject', 'notes'],
    ],
    [
      'label',
      50,
      (s: string) => envelope('CaseOpened', { subject: { name: 'A' }, labels: [s] }),
      ['data', 'labels', 0],
    ],
    ['place', 300, (s: string) => envelope('Detained', { place: s }), ['data', 'place']],
    ['court', 300, (s: string) => envelope('Acquitted', { court: s }), ['data', 'court']],
    ['facility', 300, (s: string) => envelope('Transferred', { toFacility: s }), ['data', 'toFacility']],
    [
      'charge text',
      1000,
      (s: string) => envelope('Charged', { charges: [{ text: s }] }),
      ['data', 'charges', 0, 'text'],
    ],
    [
      'charge article',
      100,
      (s: string) => envelope('Charged', { charges: [{ text: 'x', article: s }] }),
      ['data', 'charges', 0, 'article'],
    ],
    [
      'retraction reason',
      2000,
      (s: string) => envelope('Retracted', { eventId: '00000000-0000-4000-8000-000000000001', reason: s }),
      ['data', 'reason'],
    ],
    ['note', 4000, (s: string) => envelope('Acquitted', { court: 'C' }, { note: s }), ['note']],
    [
      'source title',
      500,
      (s: string) => ({ ...envelope('Acquitted', { court: 'C' }), sources: [{ title: s }] }),
      ['sources', 0, 'title'],
    ],
    [
      'source publisher',
      200,
      (s: string) => ({ ...envelope('Acquitted', { court: 'C' }), sources: [{ title: 't', publisher: s }] }),
      ['sources', 0, 'publisher'],
    ],
    [
      'source URL',
      2000,
      (s: string) => ({
        ...envelope('Acquitted', { court: 'C' }),
        sources: [{ title: 't', url: `https://example.org/${s.slice(20)}` }],
      }),
      ['sources', 0, 'url'],
    ],
  ])('%s (at most %i characters)', (_, max, build, path) => {
    expect(refusal(build(a(max)))).toBe('accepted');
    expect(refusal(build(a(max + 1)))).toEqual([{ path, code: 'too_big' }]);
  });

  it.each([
    [
      'sources',
      20,
      (n: number) => ({ ...envelope('Acquitted', { court: 'C' }), sources: Array(n).fill(source) }),
      ['sources'],
    ],
    [
      'labels',
      20,
      (n: number) => envelope('CaseOpened', { subject: { name: 'A' }, labels: Array(n).fill('l') }),
      ['data', 'labels'],
    ],
    [
      'charges',
      100,
      (n: number) => envelope('ChargesChanged', { charges: Array(n).fill({ text: 'x' }) }),
      ['data', 'charges'],
    ],
  ])('%s (at most %i)', (_, max, build, path) => {
    expect(refusal(build(max))).toBe('accepted');
    expect(refusal(build(max + 1))).toEqual([{ path, code: 'too_big' }]);
  });
});
