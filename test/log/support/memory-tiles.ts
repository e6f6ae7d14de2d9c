import type { TileId } from '../../../domain/log/tile-paths.ts';
import { type AppendedTree, appendEntries, type ReadTile } from '../../../domain/log/tile-tree.ts';

/**
 * The tiles and bundles of one log kept in memory, the widest version of each, as a store that overwrites a
 * partial tile with its wider successor would keep them. What it was asked for is recorded so tests can see
 * which tiles a computation read.
 */
export function memoryTiles() {
  const tiles = new Map<string, Uint8Array>();
  const bundles = new Map<number, Uint8Array>();
  const asked: TileId[] = [];
  let size = 0;

  const readTile: ReadTile = async (tile) => {
    asked.push(tile);
    const bytes = tiles.get(`${tile.level}/${tile.index}`);
    if (!bytes || bytes.length < tile.width * 32) throw new Error(`no tile ${tile.level}/${tile.index}`);
    return bytes;
  };
  const readBundle = async (bundle: { index: number; width: number }) => {
    const bytes = bundles.get(bundle.index);
    if (!bytes) throw new Error(`no entry bundle ${bundle.index}`);
    return bytes;
  };

  return {
    readTile,
    readBundle,
    asked,
    tiles,
    bundles,
    get size() {
      return size;
    },
    async append(entries: readonly Uint8Array[]): Promise<AppendedTree> {
      const appended = await appendEntries(size, entries, { tile: readTile, bundle: readBundle });
      for (const { tile, bytes } of appended.tiles) tiles.set(`${tile.level}/${tile.index}`, bytes);
      for (const { index, bytes } of appended.bundles) bundles.set(index, bytes);
      size = appended.size;
      return appended;
    },
  };
}

/** Entry i of a test log: 32 bytes that differ for every i (a stand-in for an event's hash). */
export function testEntry(i: number): Uint8Array {
  const entry = new Uint8Array(32);
  new DataView(entry.buffer).setFloat64(0, i);
  entry[31] = 0x5a;
  return entry;
}
