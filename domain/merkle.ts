import { createHash } from 'node:crypto';

/**
 * The Merkle tree of RFC 6962 §2.1 (Certificate Transparency), chosen because it is a published standard an
 * outsider can check in a few lines: leaves are hashed with a 0x00 prefix and inner nodes with 0x01, so a
 * leaf can never pass for a node, and a tree of n leaves splits at the largest power of two below n.
 * Hashes are SHA-256, written as lowercase hex.
 */

function sha256(...parts: Buffer[]): Buffer {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
}

const LEAF = Buffer.from([0x00]);
const NODE = Buffer.from([0x01]);

/*
 * Inside, hashes are raw 32-byte buffers and only what leaves this module is hex: a digest's tree has a leaf
 * per case, and at a million cases encoding every inner node to hex and back again cost as much as hashing.
 */
const leafBytes = (leaf: string) => sha256(LEAF, Buffer.from(leaf, 'utf8'));
const nodeBytes = (left: Buffer, right: Buffer) => sha256(NODE, left, right);
const EMPTY_TREE = sha256();

/** The hash of a leaf: SHA-256 of 0x00 followed by the leaf's bytes. */
export function leafHash(leaf: string): string {
  return leafBytes(leaf).toString('hex');
}

/** The hash of an inner node: SHA-256 of 0x01, the left hash and the right hash (raw bytes). */
export function nodeHash(left: string, right: string): string {
  return nodeBytes(Buffer.from(left, 'hex'), Buffer.from(right, 'hex')).toString('hex');
}

/** The hash of an empty tree: SHA-256 of nothing. */
export const EMPTY_TREE_HASH = EMPTY_TREE.toString('hex');

/** The largest power of two strictly below n (n ≥ 2). */
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/**
 * MTH(D[start:end]) of RFC 6962 over leaf hashes. A range of one array, not slices of it: a digest's tree has a
 * leaf per case, and a million cases must not be copied at every level.
 */
function rootOfHashes(hashes: readonly Buffer[], start = 0, end = hashes.length): Buffer {
  const n = end - start;
  if (n === 0) return EMPTY_TREE;
  if (n === 1) return hashes[start]!;
  const k = split(n);
  return nodeBytes(rootOfHashes(hashes, start, start + k), rootOfHashes(hashes, start + k, end));
}

/** The root of the tree over `leaves`, in the order given. */
export function merkleRoot(leaves: readonly string[]): string {
  return rootOfHashes(leaves.map(leafBytes)).toString('hex');
}

/** PATH(m, D[start:end]) of RFC 6962 §2.1.1: the sibling hashes from the leaf up to the root. */
function pathOfHashes(index: number, hashes: readonly Buffer[], start = 0, end = hashes.length): Buffer[] {
  const n = end - start;
  if (n <= 1) return [];
  const k = split(n);
  return index < k
    ? [...pathOfHashes(index, hashes, start, start + k), rootOfHashes(hashes, start + k, end)]
    : [...pathOfHashes(index - k, hashes, start + k, end), rootOfHashes(hashes, start, start + k)];
}

/** The audit path of the leaf at `index` among `leaves`. */
export function inclusionPath(leaves: readonly string[], index: number): string[] {
  if (!Number.isInteger(index) || index < 0 || index >= leaves.length) {
    throw new RangeError(`no leaf ${index} in a tree of ${leaves.length}`);
  }
  return pathOfHashes(index, leaves.map(leafBytes)).map((hash) => hash.toString('hex'));
}

/**
 * Checks that `leaf` is at `index` of a tree of `size` leaves with root `root`, from its audit path
 * (RFC 9162 §2.1.3.2, the same tree as RFC 6962).
 */
export function verifyInclusion(
  leaf: string,
  index: number,
  size: number,
  path: readonly string[],
  root: string,
): boolean {
  if (!Number.isInteger(index) || !Number.isInteger(size) || index < 0 || index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let hash = leafHash(leaf);
  for (const sibling of path) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      hash = nodeHash(sibling, hash);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      hash = nodeHash(hash, sibling);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn === 0 && hash === root;
}
