import type { ReadEntryBundle, ReadTile } from '../../domain/log/tile-tree.ts';
import { entryBundlePath, TILE_WIDTH, type TileId, tilePath } from '../../domain/log/tile-paths.ts';
import type { TileStore } from './ports.ts';

/** A tile or bundle the tree needs is not in the store: the store was damaged or written by someone else. */
export class MissingTileError extends Error {
  constructor(readonly path: string) {
    super(`the log's tile store has nothing at ${path}`);
    this.name = 'MissingTileError';
  }
}

/** How many hashes the tile at `level`/`index` holds in a tree of `size` leaves: 0 to 256. */
export function widthInTree(level: number, index: number, size: number): number {
  const hashesAtLevel = Math.floor(size / TILE_WIDTH ** level);
  return Math.max(0, Math.min(TILE_WIDTH, hashesAtLevel - index * TILE_WIDTH));
}

/**
 * Reads tiles and bundles for any tree up to `tilesSize` (how far they are written): the full tile when one is
 * kept, else the partial tile of the `tilesSize` layout, which holds at least as many hashes as any smaller
 * tree's partial. Every partial ever written is kept, and all are prefixes of the same hashes, so the answer is
 * right whichever writer wrote it.
 */
export function tileReader(store: TileStore, tilesSize: number): { tile: ReadTile; bundle: ReadEntryBundle } {
  const read = async (full: string, partial: () => string | undefined) => {
    const bytes = await store.read(full);
    if (bytes !== undefined) return bytes;
    const path = partial();
    const kept = path === undefined ? undefined : await store.read(path);
    if (kept === undefined) throw new MissingTileError(path ?? full);
    return kept;
  };
  return {
    tile: (tile: TileId) =>
      read(tilePath({ ...tile, width: TILE_WIDTH }), () => {
        const width = widthInTree(tile.level, tile.index, tilesSize);
        return width === 0 || width === TILE_WIDTH || width < tile.width
          ? undefined
          : tilePath({ ...tile, width });
      }),
    bundle: (bundle) =>
      read(entryBundlePath({ index: bundle.index, width: TILE_WIDTH }), () => {
        const width = widthInTree(0, bundle.index, tilesSize);
        return width === 0 || width === TILE_WIDTH || width < bundle.width
          ? undefined
          : entryBundlePath({ index: bundle.index, width });
      }),
  };
}
