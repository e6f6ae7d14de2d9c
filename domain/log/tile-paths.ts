/**
 * Where the log's tiles and entry bundles live, as C2SP tlog-tiles lays them out: `tile/<L>/<N>[.p/<W>]` and
 * `tile/entries/<N>[.p/<W>]`. Paths are relative (no leading slash, no prefix) so the same names serve as
 * object keys in a bucket, file names on a disk and URL paths under /log/.
 */

export const TILE_WIDTH = 256;
export const TILE_HEIGHT = 8;
export const HASH_SIZE = 32;

/** Level 0 holds leaf hashes; a hash at level l is the root of a full tile at level l - 1. */
export interface TileId {
  readonly level: number;
  readonly index: number;
  /** 1..256; 256 is a full tile, anything less a partial one (`.p/<W>`). */
  readonly width: number;
}

export type TileRequest =
  | { kind: 'hashes'; tile: TileId }
  | { kind: 'entries'; index: number; width: number };

/** The spec allows levels 0..63; a tree of at most 2^53 entries only ever reaches level 6. */
const MAX_LEVEL = 63;

function assertIndex(index: number, what: string): void {
  if (!Number.isSafeInteger(index) || index < 0) {
    throw new RangeError(`${what} must be a whole number from 0 up to 2^53 - 1, not ${index}`);
  }
}

function assertWidth(width: number): void {
  if (!Number.isInteger(width) || width < 1 || width > TILE_WIDTH) {
    throw new RangeError(`a tile's width must be a whole number from 1 to ${TILE_WIDTH}, not ${width}`);
  }
}

/** A tree size the log can hold: a whole number that a JavaScript number keeps exactly. */
export function assertTreeSize(size: number, what = 'a tree size'): void {
  if (!Number.isSafeInteger(size) || size < 0) {
    throw new RangeError(`${what} must be a whole number from 0 up to 2^53 - 1, not ${size}`);
  }
}

/** 1234067 → 'x001/x234/067': three digits per element, every element but the last prefixed with x. */
function encodeIndex(index: number): string {
  const digits = String(index);
  const padded = digits.padStart(Math.ceil(digits.length / 3) * 3, '0');
  const groups: string[] = [];
  for (let at = 0; at < padded.length; at += 3) groups.push(padded.slice(at, at + 3));
  return groups.map((group, at) => (at < groups.length - 1 ? `x${group}` : group)).join('/');
}

const partialSuffix = (width: number) => (width === TILE_WIDTH ? '' : `.p/${width}`);

export function tilePath(tile: TileId): string {
  if (!Number.isInteger(tile.level) || tile.level < 0 || tile.level > MAX_LEVEL) {
    throw new RangeError(`a tile's level must be a whole number from 0 to ${MAX_LEVEL}, not ${tile.level}`);
  }
  assertIndex(tile.index, "a tile's index");
  assertWidth(tile.width);
  return `tile/${tile.level}/${encodeIndex(tile.index)}${partialSuffix(tile.width)}`;
}

export function entryBundlePath(bundle: { index: number; width: number }): string {
  assertIndex(bundle.index, "an entry bundle's index");
  assertWidth(bundle.width);
  return `tile/entries/${encodeIndex(bundle.index)}${partialSuffix(bundle.width)}`;
}

/*
 * Only the one canonical spelling of each tile is accepted: a path parses when it is exactly what tilePath or
 * entryBundlePath writes for what it names. That refuses leading zeros, 'x000/067' for '067', '.p/256', dot
 * segments, slashes, encodings and anything else, without listing them.
 */
const TILE_PATH =
  /^tile\/(entries|0|[1-9][0-9]?)\/((?:x[0-9]{3}\/){0,5}[0-9]{3})(?:\.p\/([1-9][0-9]{0,2}))?$/;
const LONGEST_PATH = 64;

export function parseTilePath(path: string): TileRequest | undefined {
  if (typeof path !== 'string' || path.length > LONGEST_PATH) return undefined;
  const match = TILE_PATH.exec(path);
  if (!match) return undefined;
  const [, level, encoded, partial] = match;
  const index = Number(encoded!.replaceAll('x', '').replaceAll('/', ''));
  const width = partial === undefined ? TILE_WIDTH : Number(partial);
  if (!Number.isSafeInteger(index) || (partial !== undefined && width >= TILE_WIDTH)) return undefined;
  if (level === 'entries') {
    return entryBundlePath({ index, width }) === path ? { kind: 'entries', index, width } : undefined;
  }
  const tile: TileId = { level: Number(level), index, width };
  if (tile.level > MAX_LEVEL) return undefined;
  return tilePath(tile) === path ? { kind: 'hashes', tile } : undefined;
}

/** How many hashes level `level` holds in a tree of `size`: floor(size / 256^level). */
export function hashesAtLevel(size: number, level: number): number {
  return Math.floor(size / TILE_WIDTH ** level);
}

/** The tiles one level of `count` hashes is kept as: full ones, then a partial one if any hashes are left. */
function tilesOfLevel(count: number): Array<{ index: number; width: number }> {
  const full = Math.floor(count / TILE_WIDTH);
  const tiles: Array<{ index: number; width: number }> = [];
  for (let index = 0; index < full; index++) tiles.push({ index, width: TILE_WIDTH });
  const rest = count % TILE_WIDTH;
  if (rest > 0) tiles.push({ index: full, width: rest });
  return tiles;
}

/** Every hash tile of a tree of `size`, level by level, full tiles first; an empty tree has none. */
export function tilesOfTree(size: number): TileId[] {
  assertTreeSize(size);
  const tiles: TileId[] = [];
  for (let level = 0; hashesAtLevel(size, level) > 0; level++) {
    for (const tile of tilesOfLevel(hashesAtLevel(size, level))) tiles.push({ level, ...tile });
  }
  return tiles;
}

/** Every entry bundle of a tree of `size`: they line up with the level-0 tiles. */
export function entryBundlesOfTree(size: number): Array<{ index: number; width: number }> {
  assertTreeSize(size);
  return tilesOfLevel(size);
}

/** The width tile `index` of level `level` has in a tree of `size` (0 when the tree does not reach it). */
export function tileWidthIn(size: number, level: number, index: number): number {
  return Math.max(0, Math.min(TILE_WIDTH, hashesAtLevel(size, level) - index * TILE_WIDTH));
}
