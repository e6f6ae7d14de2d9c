import { entryBundlePath, TILE_WIDTH, type TileId, tilePath } from '../../domain/log/tile-paths.ts';
import type { ReadEntryBundle, ReadTile } from '../../domain/log/tile-tree.ts';
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
 * Reads tiles and bundles for any tree up to `tilesSize` (how far they are written), each at its width in the
 * `tilesSize` layout: the full tile where the tree of `tilesSize` fills it, else that size's partial, which
 * holds at least as many hashes as any smaller tree's. Every partial ever written is kept, and all are prefixes
 * of the same hashes, so the answer is right whichever writer wrote it; and nothing beyond `tilesSize` is read,
 * so a tile that is there for another reason (an older log's, a writer's that lost its race) is never used.
 */
export function tileReader(store: TileStore, tilesSize: number): { tile: ReadTile; bundle: ReadEntryBundle } {
  const read = async (path: string | undefined, what: string) => {
    const bytes = path === undefined ? undefined : await store.read(path);
    if (bytes === undefined) throw new MissingTileError(path ?? what);
    return bytes;
  };
  return {
    tile: (tile: TileId) => {
      const width = widthInTree(tile.level, tile.index, tilesSize);
      const what = tilePath(tile);
      return read(width < tile.width ? undefined : tilePath({ ...tile, width }), what);
    },
    bundle: (bundle) => {
      const width = widthInTree(0, bundle.index, tilesSize);
      const what = entryBundlePath(bundle);
      return read(width < bundle.width ? undefined : entryBundlePath({ index: bundle.index, width }), what);
    },
  };
}
