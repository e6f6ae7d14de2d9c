import { describe, expect, it } from 'vitest';
import { decodeEntryBundle, encodeEntryBundle, entryOfEventHash } from '../../domain/log/entry-bundles.ts';

describe('entries', () => {
  it('are the 32 bytes of an event hash', () => {
    const hex = `00ff${'ab'.repeat(30)}`;
    expect(Buffer.from(entryOfEventHash(hex)).toString('hex')).toBe(hex);
  });

  it('refuse anything but 64 lowercase hex digits', () => {
    for (const bad of [
      '',
      'ab',
      'AB'.repeat(32),
      `${'a'.repeat(63)}g`,
      'a'.repeat(65),
      ` ${'a'.repeat(63)}`,
      42,
    ]) {
      expect(() => entryOfEventHash(bad as string)).toThrow(RangeError);
    }
  });
});

describe('entry bundles', () => {
  it('prefix each entry with its length as a big-endian uint16, and decode back', () => {
    const entries = [Uint8Array.of(1, 2, 3), new Uint8Array(0), new Uint8Array(300).fill(7)];
    const bytes = encodeEntryBundle(entries);
    expect([...bytes.subarray(0, 5)]).toEqual([0, 3, 1, 2, 3]);
    expect([...bytes.subarray(5, 9)]).toEqual([0, 0, 0x01, 0x2c]);
    expect(bytes.length).toBe(2 + 3 + 2 + 2 + 300);
    expect(decodeEntryBundle(bytes)).toEqual(entries);
    expect(decodeEntryBundle(new Uint8Array(0))).toEqual([]);
  });

  it('refuse a truncated bundle or one with trailing bytes, and an entry too long', () => {
    const bytes = encodeEntryBundle([new Uint8Array(32).fill(1), new Uint8Array(32).fill(2)]);
    expect(() => decodeEntryBundle(bytes.subarray(0, bytes.length - 1))).toThrow(/ends inside an entry/);
    expect(() => decodeEntryBundle(Uint8Array.of(...bytes, 0))).toThrow(/ends inside a length prefix/);
    expect(() => decodeEntryBundle(Uint8Array.of(0xff, 0xff, 1))).toThrow(RangeError);
    expect(() => encodeEntryBundle([new Uint8Array(65_536)])).toThrow(/at most 65535 bytes/);
    expect(encodeEntryBundle([new Uint8Array(65_535)]).length).toBe(65_537);
  });
});
