import { decodeEntryBundle, encodeEntryBundle, LONGEST_ENTRY } from './entry-bundles.ts';
import {
  assertTreeSize,
  HASH_SIZE,
  hashesAtLevel,
  TILE_HEIGHT,
  TILE_WIDTH,
  type TileId,
  tileWidthIn,
} from './tile-paths.ts';
import { EMPTY_ROOT, equalBytes, leafHashOf, nodeHashOf, splitPoint } from './tree-hashing.ts';

/**
 * The log's tree kept as tiles (C2SP tlog-tiles) and the RFC 6962 roots and proofs computed from them. Every
 * hash a proof needs is the root of a range of the tree, and such a range splits into one full subtree per bit
 * of its length, each the root of a run of at most 128 hashes inside one tile: so a proof reads a few tiles per
 * level whatever the size of the tree, and nothing here holds the whole tree in memory.
 */

/** Resolves with at least tile.width hashes (a wider partial or the full tile will do); rejects if missing. */
export type ReadTile = (tile: TileId) => Promise<Uint8Array>;
export type ReadEntryBundle = (bundle: { index: number; width: number }) => Promise<Uint8Array>;

export interface AppendedTree {
  readonly size: number;
  readonly root: Uint8Array;
  /** Every hash tile that is new or wider after the append, at every level, to write. */
  readonly tiles: ReadonlyArray<{ readonly tile: TileId; readonly bytes: Uint8Array }>;
  readonly bundles: ReadonlyArray<{
    readonly index: number;
    readonly width: number;
    readonly bytes: Uint8Array;
  }>;
}

/**
 * The tiles a computation reads, by level and index. On the first pass `hashing` is false: the tiles are not
 * read yet, so nothing is hashed and every hash is a placeholder.
 */
interface Hashes {
  readonly hashing: boolean;
  tile(level: number, index: number): Uint8Array;
}

const PLACEHOLDER = new Uint8Array(HASH_SIZE);

/*
 * Which tiles a root or proof needs follows from the sizes alone, never from hash values. So the computation
 * runs once with zeros standing in for every tile, noting the tiles it touched; those are read in parallel
 * (each once) and the computation runs again on them. Hashing stays synchronous: no promise per node.
 */
async function withTiles<T>(size: number, readTile: ReadTile, compute: (hashes: Hashes) => T): Promise<T> {
  const wanted = new Map<string, TileId>();
  compute({
    hashing: false,
    tile(level, index) {
      wanted.set(`${level}/${index}`, { level, index, width: tileWidthIn(size, level, index) });
      return PLACEHOLDER;
    },
  });
  const read = new Map<string, Uint8Array>();
  await Promise.all(
    [...wanted].map(async ([key, tile]) => {
      read.set(key, await readTileHashes(readTile, tile));
    }),
  );
  return compute({ hashing: true, tile: (level, index) => read.get(`${level}/${index}`)! });
}

async function readTileHashes(readTile: ReadTile, tile: TileId): Promise<Uint8Array> {
  const bytes = await readTile(tile);
  if (!(bytes instanceof Uint8Array) || bytes.length < tile.width * HASH_SIZE) {
    throw new Error(
      `tile ${tile.level}/${tile.index} came back with fewer than the ${tile.width} hashes it must hold`,
    );
  }
  return bytes.subarray(0, tile.width * HASH_SIZE);
}

/** The root of `count` (a power of two) consecutive hashes of one tile, from hash `first` on. */
function rootOfRun(tile: Uint8Array, first: number, count: number): Uint8Array {
  let layer: Uint8Array[] = [];
  for (let at = first; at < first + count; at++)
    layer.push(tile.subarray(at * HASH_SIZE, (at + 1) * HASH_SIZE));
  while (layer.length > 1) {
    const next: Uint8Array[] = [];
    for (let at = 0; at < layer.length; at += 2) next.push(nodeHashOf(layer[at]!, layer[at + 1]!));
    layer = next;
  }
  return layer[0]!;
}

/** The root of the full subtree of 2^height leaves that starts at leaf index * 2^height. */
function fullSubtreeRoot(hashes: Hashes, height: number, index: number): Uint8Array {
  const level = Math.floor(height / TILE_HEIGHT);
  const run = 2 ** (height % TILE_HEIGHT);
  const first = index * run;
  const tile = hashes.tile(level, Math.floor(first / TILE_WIDTH));
  return hashes.hashing ? rootOfRun(tile, first % TILE_WIDTH, run) : PLACEHOLDER;
}

/** MTH(D[start:end]) of RFC 6962, for the ranges its recursion reaches (start a multiple of a power ≥ the range). */
function rangeRoot(hashes: Hashes, start: number, end: number): Uint8Array {
  const n = end - start;
  if (n === 0) return EMPTY_ROOT;
  const height = Math.round(Math.log2(n));
  if (2 ** height === n && start % n === 0) return fullSubtreeRoot(hashes, height, start / n);
  const k = splitPoint(n);
  const left = rangeRoot(hashes, start, start + k);
  const right = rangeRoot(hashes, start + k, end);
  return hashes.hashing ? nodeHashOf(left, right) : PLACEHOLDER;
}

/** The root hash of the tree of `size`, read from its tiles. */
export async function treeRoot(size: number, readTile: ReadTile): Promise<Uint8Array> {
  assertTreeSize(size);
  if (size === 0) return EMPTY_ROOT;
  return withTiles(size, readTile, (hashes) => rangeRoot(hashes, 0, size));
}

/** PATH(m, D[start:end]) of RFC 6962 §2.1.1, leaf side first. */
function path(hashes: Hashes, m: number, start: number, end: number): Uint8Array[] {
  const n = end - start;
  if (n <= 1) return [];
  const k = splitPoint(n);
  if (m < k) return [...path(hashes, m, start, start + k), rangeRoot(hashes, start + k, end)];
  return [...path(hashes, m - k, start + k, end), rangeRoot(hashes, start, start + k)];
}

/** The audit path of entry `index` in the tree of `size` (RFC 6962 §2.1.1, RFC 9162 §2.1.3.1). */
export async function inclusionProof(index: number, size: number, readTile: ReadTile): Promise<Uint8Array[]> {
  assertTreeSize(size);
  if (!Number.isSafeInteger(index) || index < 0 || index >= size) {
    throw new RangeError(`there is no entry ${index} in a tree of ${size} entries`);
  }
  return withTiles(size, readTile, (hashes) => path(hashes, index, 0, size));
}

/** SUBPROOF(m, D[start:end], b) of RFC 6962 §2.1.2. */
function subproof(hashes: Hashes, m: number, start: number, end: number, whole: boolean): Uint8Array[] {
  const n = end - start;
  if (m === n) return whole ? [] : [rangeRoot(hashes, start, end)];
  const k = splitPoint(n);
  if (m <= k) return [...subproof(hashes, m, start, start + k, whole), rangeRoot(hashes, start + k, end)];
  return [...subproof(hashes, m - k, start + k, end, false), rangeRoot(hashes, start, start + k)];
}

/** The proof that the tree of `to` extends the tree of `from` (RFC 6962 §2.1.2); [] for from = 0 or from = to. */
export async function consistencyProof(from: number, to: number, readTile: ReadTile): Promise<Uint8Array[]> {
  assertTreeSize(from, 'the older tree size');
  assertTreeSize(to, 'the newer tree size');
  if (from > to) throw new RangeError(`the older tree size ${from} is above the newer one, ${to}`);
  if (from === 0 || from === to) return [];
  return withTiles(to, readTile, (hashes) => subproof(hashes, from, 0, to, true));
}

const tileKey = (level: number, index: number) => `${level}/${index}`;

function concatHashes(parts: readonly Uint8Array[], length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    bytes.set(part, at);
    at += part.length;
  }
  return bytes;
}

/**
 * Appends `entries` to the tree of `oldSize`: the tiles and bundles that are new or wider, and the new root.
 * Only the old rightmost partial tile of each level and the old partial bundle are read; nothing is written
 * here, so the caller decides how the new tiles become visible.
 */
export async function appendEntries(
  oldSize: number,
  entries: readonly Uint8Array[],
  read: { tile: ReadTile; bundle: ReadEntryBundle },
): Promise<AppendedTree> {
  assertTreeSize(oldSize, 'the tree size before the append');
  const size = oldSize + entries.length;
  assertTreeSize(size, 'the tree size after the append');
  for (const entry of entries) {
    if (!(entry instanceof Uint8Array) || entry.length > LONGEST_ENTRY) {
      throw new RangeError(`an entry must be bytes, at most ${LONGEST_ENTRY} of them`);
    }
  }

  const tiles: Array<{ tile: TileId; bytes: Uint8Array }> = [];
  const bundles: Array<{ index: number; width: number; bytes: Uint8Array }> = [];
  if (entries.length === 0) return { size, root: await treeRoot(size, read.tile), tiles, bundles };

  const { kept: keptEntries, bundles: newBundles } = await appendBundles(oldSize, entries, read.bundle);
  bundles.push(...newBundles);

  // The hashes each level gains, from level 0 up: a level gains one hash per tile of the level below that fills.
  let gained: Uint8Array[] = entries.map(leafHashOf);
  for (let level = 0; gained.length > 0; level++) {
    const oldCount = hashesAtLevel(oldSize, level);
    const newCount = oldCount + gained.length;
    const firstTile = Math.floor(oldCount / TILE_WIDTH);
    const keptWidth = oldCount % TILE_WIDTH;
    const kept =
      keptWidth === 0
        ? []
        : [(await readTileHashes(read.tile, { level, index: firstTile, width: keptWidth })).slice()];
    if (level === 0 && kept.length > 0) assertSameEntries(keptEntries, kept[0]!, firstTile);
    const run = [...kept, ...gained];
    const next: Uint8Array[] = [];
    let taken = 0;
    for (let index = firstTile; index * TILE_WIDTH < newCount; index++) {
      const width = Math.min(TILE_WIDTH, newCount - index * TILE_WIDTH);
      const parts = [];
      let length = 0;
      // The kept prefix is one piece of keptWidth hashes; every gained hash is its own piece.
      while (length < width * HASH_SIZE) {
        const piece = run[taken++]!;
        parts.push(piece);
        length += piece.length;
      }
      const bytes = concatHashes(parts, width * HASH_SIZE);
      tiles.push({ tile: { level, index, width }, bytes });
      if (width === TILE_WIDTH) next.push(rootOfRun(bytes, 0, TILE_WIDTH));
    }
    gained = next;
  }

  const written = new Map(tiles.map(({ tile, bytes }) => [tileKey(tile.level, tile.index), bytes]));
  const readWithNew: ReadTile = (tile) => {
    const bytes = written.get(tileKey(tile.level, tile.index));
    return bytes && bytes.length >= tile.width * HASH_SIZE ? Promise.resolve(bytes) : read.tile(tile);
  };
  return { size, root: await treeRoot(size, readWithNew), tiles, bundles };
}

async function appendBundles(
  oldSize: number,
  entries: readonly Uint8Array[],
  readBundle: ReadEntryBundle,
): Promise<{ kept: Uint8Array[]; bundles: Array<{ index: number; width: number; bytes: Uint8Array }> }> {
  const firstBundle = Math.floor(oldSize / TILE_WIDTH);
  const keptWidth = oldSize % TILE_WIDTH;
  let kept: Uint8Array[] = [];
  if (keptWidth > 0) {
    kept = decodeEntryBundle(await readBundle({ index: firstBundle, width: keptWidth }));
    if (kept.length < keptWidth) {
      throw new Error(
        `entry bundle ${firstBundle} came back with fewer than the ${keptWidth} entries it must hold`,
      );
    }
    kept = kept.slice(0, keptWidth);
  }
  const all = [...kept, ...entries];
  const bundles: Array<{ index: number; width: number; bytes: Uint8Array }> = [];
  for (let at = 0; at < all.length; at += TILE_WIDTH) {
    const slice = all.slice(at, at + TILE_WIDTH);
    bundles.push({
      index: firstBundle + at / TILE_WIDTH,
      width: slice.length,
      bytes: encodeEntryBundle(slice),
    });
  }
  return { kept, bundles };
}

/*
 * The old partial bundle and the old partial level-0 tile are stored apart; if one of them was damaged or
 * written from another history, appending on top would publish a bundle that does not hash to its tile.
 */
function assertSameEntries(entries: readonly Uint8Array[], leafHashes: Uint8Array, index: number): void {
  entries.forEach((entry, at) => {
    const stored = leafHashes.subarray(at * HASH_SIZE, (at + 1) * HASH_SIZE);
    if (!equalBytes(leafHashOf(entry), stored)) {
      throw new Error(
        `entry ${at} of entry bundle ${index} does not hash to its leaf in level-0 tile ${index}`,
      );
    }
  });
}
