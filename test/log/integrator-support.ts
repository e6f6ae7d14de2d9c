import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

/**
 * An outsider's RFC 6962 / RFC 9162 arithmetic, written from the RFCs and C2SP tlog-tiles for the log's tests:
 * it imports nothing of the project, so the log's code is never graded by itself.
 */
const sha256 = (...parts: Uint8Array[]) => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
};
export const leafHash = (entry: Uint8Array) => sha256(Buffer.from([0]), entry);
export const nodeHash = (left: Uint8Array, right: Uint8Array) => sha256(Buffer.from([1]), left, right);

/** The largest power of two below n (n ≥ 2). */
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** MTH(D[n]) of RFC 6962 §2.1 over leaf hashes, the plain recursive way. */
export function rootOfLeaves(leaves: readonly Buffer[]): Buffer {
  if (leaves.length === 0) return sha256();
  if (leaves.length === 1) return leaves[0]!;
  const k = split(leaves.length);
  return nodeHash(rootOfLeaves(leaves.slice(0, k)), rootOfLeaves(leaves.slice(k)));
}

/** The root over event hashes (hex) in index order: each entry is the 32 bytes of the hash. */
export function rootOfEventHashes(hashes: readonly string[]): Buffer {
  return rootOfLeaves(hashes.map((hex) => leafHash(Buffer.from(hex, 'hex'))));
}

/** RFC 9162 §2.1.4.2: does `proof` show the tree of `second` leaves extends the tree of `first`? */
export function consistencyHolds(
  first: number,
  second: number,
  proof: readonly Uint8Array[],
  firstRoot: Uint8Array,
  secondRoot: Uint8Array,
): boolean {
  const eq = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));
  if (first > second) return false;
  if (first === second) return proof.length === 0 && eq(firstRoot, secondRoot);
  if (first === 0) return proof.length === 0;
  let path = [...proof];
  if ((first & (first - 1)) === 0) path = [firstRoot, ...path];
  if (path.length === 0) return false;
  let fn = first - 1;
  let sn = second - 1;
  while (fn & 1) {
    fn >>= 1;
    sn >>= 1;
  }
  let fr: Uint8Array = path[0]!;
  let sr: Uint8Array = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn & 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (!(fn & 1) && fn !== 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn === 0 && eq(fr, firstRoot) && eq(sr, secondRoot);
}

/** C2SP tlog-tiles: an index as path elements of three digits, all but the last prefixed with `x`. */
function indexPath(n: number): string {
  const groups: string[] = [];
  let rest = n;
  do {
    groups.unshift(String(rest % 1000).padStart(3, '0'));
    rest = Math.floor(rest / 1000);
  } while (rest > 0);
  return groups.map((group, i) => (i < groups.length - 1 ? `x${group}` : group)).join('/');
}

/** Every path a tree of `size` leaves is kept at, as the spec lays them out: hash tiles and entry bundles. */
export function expectedPaths(size: number): string[] {
  const paths: string[] = [];
  for (let level = 0, count = size; count > 0; level++, count = Math.floor(count / 256)) {
    for (let n = 0; n * 256 < count; n++) {
      const width = Math.min(256, count - n * 256);
      const suffix = width === 256 ? '' : `.p/${width}`;
      paths.push(`tile/${level}/${indexPath(n)}${suffix}`);
      if (level === 0) paths.push(`tile/entries/${indexPath(n)}${suffix}`);
    }
    if (count < 256) break;
  }
  return paths;
}

/** Every file under a directory, as paths relative to it with `/`. */
export async function filesUnder(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(directory, join(entry.parentPath, entry.name)).split('\\').join('/'));
}

/** A candidate for the log: an event id and a random 32-byte hash, as an event of the ledger has. */
export function candidate(): { eventId: string; hash: string } {
  return { eventId: randomUUID(), hash: randomBytes(32).toString('hex') };
}

export async function temporaryDirectory(prefix: string) {
  const path = await mkdtemp(join(tmpdir(), `${prefix}-`));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}
