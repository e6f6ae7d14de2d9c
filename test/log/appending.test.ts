import { describe, expect, it } from 'vitest';
import { decodeEntryBundle } from '../../domain/log/entry-bundles.ts';
import { entryBundlesOfTree, tilesOfTree } from '../../domain/log/tile-paths.ts';
import { appendEntries, treeRoot } from '../../domain/log/tile-tree.ts';
import { EMPTY_ROOT } from '../../domain/log/tree-hashing.ts';
import { memoryTiles, testEntry } from './support/memory-tiles.ts';
import { referenceTree } from './support/rfc6962-reference.ts';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const hexes = (stored: Map<unknown, Uint8Array>) =>
  new Map([...stored].map(([key, bytes]) => [key, hex(bytes)]));
const entriesFrom = (start: number, count: number) =>
  Array.from({ length: count }, (_, i) => testEntry(start + i));

/** Appends `total` entries in batches of the sizes given, cycling through them. */
async function appendInBatches(total: number, batchSizes: readonly number[]) {
  const log = memoryTiles();
  const roots: Uint8Array[] = [];
  for (let at = 0, turn = 0; at < total; turn++) {
    const count = Math.min(batchSizes[turn % batchSizes.length]!, total - at);
    const appended = await log.append(entriesFrom(at, count));
    at += count;
    expect(appended.size).toBe(at);
    roots.push(appended.root);
  }
  return { log, roots };
}

describe('appending entries', () => {
  it('in many small batches gives the same tiles, bundles and roots as one batch, and as RFC 6962', async () => {
    const largest = 66_000;
    const reference = referenceTree(entriesFrom(0, largest));
    for (const { total, batches } of [
      { total: 1_000, batches: [1] },
      { total: 3_000, batches: [7, 250, 1, 300] },
      { total: 3_000, batches: [256] },
      { total: 3_000, batches: [255, 2] },
      { total: largest, batches: [1_000, 65_535] },
    ]) {
      const once = memoryTiles();
      const appended = await once.append(entriesFrom(0, total));
      expect(appended.root).toEqual(reference.root(total));
      // One batch from empty writes exactly the tree's tiles and bundles.
      expect(appended.tiles.map(({ tile }) => tile)).toEqual(tilesOfTree(total));
      expect(appended.bundles.map(({ index, width }) => ({ index, width }))).toEqual(
        entryBundlesOfTree(total),
      );

      const { log, roots } = await appendInBatches(total, batches);
      let at = 0;
      for (let turn = 0; turn < roots.length; turn++) {
        at += Math.min(batches[turn % batches.length]!, total - at);
        expect(hex(roots[turn]!), `root after ${at} entries in batches of ${batches}`).toBe(
          hex(reference.root(at)),
        );
      }
      expect(hexes(log.tiles)).toEqual(hexes(once.tiles));
      expect(hexes(log.bundles)).toEqual(hexes(once.bundles));
    }
  });

  it('writes only the tiles and bundles that are new or wider', async () => {
    const log = memoryTiles();
    await log.append(entriesFrom(0, 300));
    const appended = await log.append(entriesFrom(300, 2));
    expect(appended.tiles.map(({ tile }) => tile)).toEqual([{ level: 0, index: 1, width: 46 }]);
    expect(appended.bundles.map(({ index, width }) => ({ index, width }))).toEqual([{ index: 1, width: 46 }]);
    expect(decodeEntryBundle(appended.bundles[0]!.bytes)).toEqual(entriesFrom(256, 46));

    const filling = await log.append(entriesFrom(302, 210));
    expect(filling.tiles.map(({ tile }) => tile)).toEqual([
      { level: 0, index: 1, width: 256 },
      { level: 1, index: 0, width: 2 },
    ]);
    expect(filling.root).toEqual(referenceTree(entriesFrom(0, 512)).root(512));
  });

  it('of nothing changes nothing', async () => {
    const log = memoryTiles();
    const empty = await log.append([]);
    expect(empty).toEqual({ size: 0, root: EMPTY_ROOT, tiles: [], bundles: [] });
    await log.append(entriesFrom(0, 5));
    const same = await log.append([]);
    expect(same.tiles).toEqual([]);
    expect(same.bundles).toEqual([]);
    expect(same.root).toEqual(await treeRoot(5, log.readTile));
  });

  it('refuses an entry a bundle cannot carry and sizes past 2^53 - 1, before reading anything', async () => {
    const log = memoryTiles();
    const read = { tile: log.readTile, bundle: log.readBundle };
    await expect(appendEntries(0, [new Uint8Array(65_536)], read)).rejects.toThrow(/at most 65535/);
    await expect(appendEntries(0, ['ab' as unknown as Uint8Array], read)).rejects.toThrow(RangeError);
    await expect(appendEntries(2 ** 53 - 1, [testEntry(0)], read)).rejects.toThrow(/after the append/);
    await expect(appendEntries(-1, [testEntry(0)], read)).rejects.toThrow(/before the append/);
    expect(log.asked).toEqual([]);
  });

  it('fails when the old partial tile or bundle it builds on is missing or short', async () => {
    const log = memoryTiles();
    await log.append(entriesFrom(0, 10));
    const missingBundle = { tile: log.readTile, bundle: async () => Promise.reject(new Error('gone')) };
    await expect(appendEntries(10, [testEntry(10)], missingBundle)).rejects.toThrow('gone');
    const shortBundle = { tile: log.readTile, bundle: log.readBundle };
    await expect(appendEntries(11, [testEntry(11)], shortBundle)).rejects.toThrow(
      /fewer than the 11 entries/,
    );
    const otherHistory = memoryTiles();
    await otherHistory.append(entriesFrom(1, 10));
    const mixed = { tile: log.readTile, bundle: otherHistory.readBundle };
    await expect(appendEntries(10, [testEntry(10)], mixed)).rejects.toThrow(/does not hash to its leaf/);
    const shortTile = { tile: async () => new Uint8Array(32), bundle: log.readBundle };
    await expect(appendEntries(10, [testEntry(10)], shortTile)).rejects.toThrow(/fewer than the 10 hashes/);
  });
});
