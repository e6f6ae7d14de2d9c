import { type Bytes, sameBytes, sha256 } from './bytes.ts';

/** RFC 6962 §2.1: a leaf is SHA-256(0x00 || entry), an inner node SHA-256(0x01 || left || right). */
export const leafHash = (entry: Uint8Array): Promise<Bytes> => sha256(Uint8Array.of(0x00), entry);
const nodeHash = (left: Uint8Array, right: Uint8Array): Promise<Bytes> =>
  sha256(Uint8Array.of(0x01), left, right);

/**
 * Whether `path` leads from the leaf at `index` of a tree of `size` leaves to `root`, as RFC 9162 §2.1.3.2
 * says: the path must be exactly as long as the leaf's depth, or it is refused.
 */
export async function verifyInclusion(
  leaf: Uint8Array,
  index: number,
  size: number,
  path: readonly Uint8Array[],
  root: Uint8Array,
): Promise<boolean> {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let hash: Uint8Array = leaf;
  for (const sibling of path) {
    if (sn === 0 || sibling.length !== 32) return false;
    if (fn % 2 === 1 || fn === sn) {
      hash = await nodeHash(sibling, hash);
      // The right-most node of a level with no sibling climbs without hashing until it has one.
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      hash = await nodeHash(hash, sibling);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && sameBytes(hash, root);
}
