import { HASH_SIZE } from './tile-paths.ts';
import { equalBytes, nodeHashOf } from './tree-hashing.ts';

/**
 * The checks an outsider runs on the log's proofs, as RFC 9162 §2.1.3.2 and §2.1.4.2 give them. They answer
 * false, never throw, for anything that is not a valid proof: a witness, the CLI and the evidence page hand
 * them whatever they were sent.
 */

const isHash = (hash: unknown): hash is Uint8Array => hash instanceof Uint8Array && hash.length === HASH_SIZE;
const isBytes = (bytes: unknown): bytes is Uint8Array => bytes instanceof Uint8Array;
const isSize = (size: unknown): size is number => Number.isSafeInteger(size) && (size as number) >= 0;
const areHashes = (proof: unknown): proof is readonly Uint8Array[] =>
  Array.isArray(proof) && proof.every(isHash);

/*
 * The loops halve numbers up to 2^53, beyond the 32 bits JavaScript's bit operators work in: so halving is
 * Math.floor(x / 2) and oddness x % 2.
 */
const half = (x: number) => Math.floor(x / 2);
const isOdd = (x: number) => x % 2 === 1;

/** Whether `leafHash` is entry `index` of the tree of `size` whose root is `root` (RFC 9162 §2.1.3.2). */
export function verifyInclusion(
  leafHash: Uint8Array,
  index: number,
  size: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  if (!isHash(leafHash) || !isHash(root) || !areHashes(proof) || !isSize(index) || !isSize(size))
    return false;
  if (index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r = leafHash;
  for (const p of proof) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      r = nodeHashOf(p, r);
      if (!isOdd(fn)) {
        while (!isOdd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      r = nodeHashOf(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && equalBytes(r, root);
}

/**
 * Whether the tree of `to` with root `toRoot` extends the tree of `from` with root `fromRoot` (RFC 9162
 * §2.1.4.2). from = to holds with an empty proof and equal roots. from = 0 is false, as in the published
 * transparency-dev vectors: every tree extends the empty one, so such a "proof" proves nothing, and a witness
 * that holds no checkpoint yet decides that case itself (tlog-witness: old size 0, empty proof).
 */
export function verifyConsistency(
  from: number,
  to: number,
  proof: readonly Uint8Array[],
  fromRoot: Uint8Array,
  toRoot: Uint8Array,
): boolean {
  if (!isSize(from) || !isSize(to) || !areHashes(proof) || from > to || from === 0) return false;
  // Equal sizes claim only that the two roots are the same bytes; the vectors hold that whatever their length.
  if (from === to)
    return proof.length === 0 && isBytes(fromRoot) && isBytes(toRoot) && equalBytes(fromRoot, toRoot);
  if (!isHash(fromRoot) || !isHash(toRoot)) return false;
  if (proof.length === 0) return false;

  // A `from` that is a power of two is the root of a full subtree, which the proof leaves out: put it in front.
  const path = isPowerOfTwo(from) ? [fromRoot, ...proof] : [...proof];
  let fn = from - 1;
  let sn = to - 1;
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      fr = nodeHashOf(c, fr);
      sr = nodeHashOf(c, sr);
      if (!isOdd(fn)) {
        while (!isOdd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      sr = nodeHashOf(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && equalBytes(fr, fromRoot) && equalBytes(sr, toRoot);
}

function isPowerOfTwo(n: number): boolean {
  const exponent = Math.round(Math.log2(n));
  return 2 ** exponent === n;
}
