import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GENESIS_HASH, type HashableEvent, hashEvent, sha256OfCanonical } from '../../domain/hash-chain.ts';

const hashable = {
  streamId: 'case-a',
  version: 2,
  eventId: '00000000-0000-4000-8000-000000000002',
  type: 'Released',
  occurredAt: '2025-10?',
  sources: [{ title: 'Invented report', publisher: 'Example Monitor' }],
  note: 'Test Person Am\u00e9lie',
  data: { mode: 'bail', announced: false },
  recordedAt: '2026-01-01T00:02:00.000Z',
  recordedBy: 'test-recorder',
  prevHash: GENESIS_HASH,
} satisfies HashableEvent;

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** The same value with the keys of every object in an order chosen by `pick`. */
function reordered(value: unknown, pick: (keys: string[]) => string[]): unknown {
  if (Array.isArray(value)) return value.map((item) => reordered(item, pick));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value);
  const keys = pick(entries.map(([key]) => key));
  return Object.fromEntries(
    keys.map((key) => [key, reordered((value as Record<string, unknown>)[key], pick)]),
  );
}

describe('hashEvent: SHA-256 of the RFC 8785 canonical JSON of the event without its hash', () => {
  it('is the SHA-256 of the canonical form written out by hand: sorted keys, no spaces, UTF-8', () => {
    const canonical =
      '{"data":{"announced":false,"mode":"bail"},"eventId":"00000000-0000-4000-8000-000000000002",' +
      '"note":"Test Person Am\u00e9lie","occurredAt":"2025-10?","prevHash":"' +
      GENESIS_HASH +
      '","recordedAt":"2026-01-01T00:02:00.000Z","recordedBy":"test-recorder",' +
      '"sources":[{"publisher":"Example Monitor","title":"Invented report"}],"streamId":"case-a",' +
      '"type":"Released","version":2}';
    expect(hashEvent(hashable)).toBe(sha256(canonical));
  });

  it('leaves out an absent note rather than hashing it as null', () => {
    const { note: _, ...withoutNote } = hashable;
    const canonical =
      '{"data":{"announced":false,"mode":"bail"},"eventId":"00000000-0000-4000-8000-000000000002",' +
      '"occurredAt":"2025-10?","prevHash":"' +
      GENESIS_HASH +
      '","recordedAt":"2026-01-01T00:02:00.000Z","recordedBy":"test-recorder",' +
      '"sources":[{"publisher":"Example Monitor","title":"Invented report"}],"streamId":"case-a",' +
      '"type":"Released","version":2}';
    expect(hashEvent(withoutNote)).toBe(sha256(canonical));
  });

  it('is 64 lowercase hex digits, and the same every time', () => {
    expect(hashEvent(hashable)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashEvent(structuredClone(hashable))).toBe(hashEvent(hashable));
  });

  it('does not depend on the order of keys at any depth', () => {
    const expected = hashEvent(hashable);
    expect(hashEvent(reordered(hashable, (keys) => [...keys].reverse()) as HashableEvent)).toBe(expected);
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        let state = seed;
        const shuffle = (keys: string[]) =>
          [...keys]
            .map((key) => {
              state = (Math.imul(state, 1_103_515_245) + 12_345) | 0;
              return { key, rank: state };
            })
            .sort((a, b) => a.rank - b.rank)
            .map(({ key }) => key);
        expect(hashEvent(reordered(hashable, shuffle) as HashableEvent)).toBe(expected);
      }),
      { numRuns: 100 },
    );
  });

  it('ignores fields it does not cover, such as the stored hash itself', () => {
    expect(hashEvent({ ...hashable, hash: 'f'.repeat(64) } as HashableEvent)).toBe(hashEvent(hashable));
  });

  it.each([
    ['streamId', { streamId: 'case-b' }],
    ['version', { version: 3 }],
    ['eventId', { eventId: '00000000-0000-4000-8000-000000000003' }],
    ['type and data', { type: 'Acquitted', data: { court: 'Invented Court' } }],
    ['occurredAt', { occurredAt: '2025-10' }],
    ['sources', { sources: [{ title: 'Invented report' }] }],
    ['note', { note: 'Test Person Amelie' }],
    ['data', { data: { mode: 'bail', announced: true } }],
    ['recordedAt', { recordedAt: '2026-01-01T00:02:00.001Z' }],
    ['recordedBy', { recordedBy: 'someone-else' }],
    ['prevHash', { prevHash: '1'.repeat(64) }],
  ])('changes when %s changes', (_, change) => {
    expect(hashEvent({ ...hashable, ...change } as HashableEvent)).not.toBe(hashEvent(hashable));
  });

  it('tells composed from decomposed text apart, which is why the catalogue normalises text to NFC', () => {
    expect(hashEvent({ ...hashable, note: 'Test Person Ame\u0301lie' })).not.toBe(hashEvent(hashable));
  });
});

describe('sha256OfCanonical', () => {
  it('hashes numbers in their shortest ECMAScript form, as RFC 8785 asks', () => {
    expect(sha256OfCanonical({ b: 1.0, a: 1e21, c: 0.1 })).toBe(sha256('{"a":1e+21,"b":1,"c":0.1}'));
  });

  it('refuses a value that has no JSON form', () => {
    expect(() => sha256OfCanonical(undefined)).toThrow('Value has no canonical JSON form');
  });
});
