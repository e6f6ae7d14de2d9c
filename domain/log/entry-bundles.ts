/**
 * Entry bundles of C2SP tlog-tiles: each entry a big-endian uint16 length and its bytes. The log's entry is an
 * event's stored hash as 32 raw bytes (docs/log.md), but the bundle format takes any entry up to 65,535 bytes.
 */

const HEX_HASH = /^[0-9a-f]{64}$/;
/** The longest entry a uint16 length prefix can carry. */
export const LONGEST_ENTRY = 0xffff;

/** An event's stored `hash` (64 lowercase hex digits) as the log's entry, its 32 bytes. */
export function entryOfEventHash(hex: string): Uint8Array {
  if (typeof hex !== 'string' || !HEX_HASH.test(hex)) {
    throw new RangeError('an event hash must be 64 lowercase hexadecimal digits');
  }
  return new Uint8Array(Buffer.from(hex, 'hex'));
}

export function encodeEntryBundle(entries: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const entry of entries) {
    if (entry.length > LONGEST_ENTRY) {
      throw new RangeError(
        `an entry can be at most ${LONGEST_ENTRY} bytes long, this one is ${entry.length}`,
      );
    }
    length += 2 + entry.length;
  }
  const bytes = new Uint8Array(length);
  let at = 0;
  for (const entry of entries) {
    bytes[at] = entry.length >> 8;
    bytes[at + 1] = entry.length & 0xff;
    bytes.set(entry, at + 2);
    at += 2 + entry.length;
  }
  return bytes;
}

export function decodeEntryBundle(bytes: Uint8Array): Uint8Array[] {
  const entries: Uint8Array[] = [];
  let at = 0;
  while (at < bytes.length) {
    if (at + 2 > bytes.length)
      throw new RangeError(`the entry bundle ends inside a length prefix at byte ${at}`);
    const length = (bytes[at]! << 8) | bytes[at + 1]!;
    if (at + 2 + length > bytes.length) {
      throw new RangeError(`the entry bundle ends inside an entry of ${length} bytes at byte ${at}`);
    }
    entries.push(bytes.slice(at + 2, at + 2 + length));
    at += 2 + length;
  }
  return entries;
}
