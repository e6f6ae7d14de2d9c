import { describe, expect, it } from 'vitest';
import {
  entryBundlePath,
  entryBundlesOfTree,
  parseTilePath,
  tilePath,
  tilesOfTree,
} from '../../domain/log/tile-paths.ts';

describe('tile paths', () => {
  it('write indexes in three-digit elements, x before all but the last, and .p/W for partial tiles', () => {
    expect(tilePath({ level: 1, index: 1_234_067, width: 5 })).toBe('tile/1/x001/x234/067.p/5');
    expect(tilePath({ level: 0, index: 0, width: 256 })).toBe('tile/0/000');
    expect(tilePath({ level: 2, index: 1000, width: 256 })).toBe('tile/2/x001/000');
    expect(tilePath({ level: 0, index: 999, width: 255 })).toBe('tile/0/999.p/255');
    expect(entryBundlePath({ index: 1_234_067, width: 5 })).toBe('tile/entries/x001/x234/067.p/5');
    expect(entryBundlePath({ index: 12, width: 256 })).toBe('tile/entries/012');
  });

  it('refuse to write a tile that cannot exist', () => {
    expect(() => tilePath({ level: 0, index: 0, width: 0 })).toThrow(RangeError);
    expect(() => tilePath({ level: 0, index: 0, width: 257 })).toThrow(RangeError);
    expect(() => tilePath({ level: 64, index: 0, width: 1 })).toThrow(RangeError);
    expect(() => tilePath({ level: 0, index: -1, width: 1 })).toThrow(RangeError);
    expect(() => tilePath({ level: 0, index: 1.5, width: 1 })).toThrow(RangeError);
    expect(() => entryBundlePath({ index: 2 ** 53, width: 1 })).toThrow(RangeError);
  });

  it('parse back exactly what they write', () => {
    for (const tile of [
      { level: 0, index: 0, width: 256 },
      { level: 1, index: 1_234_067, width: 5 },
      { level: 63, index: 2 ** 53 - 1, width: 255 },
      { level: 6, index: 999_999, width: 1 },
    ]) {
      expect(parseTilePath(tilePath(tile))).toEqual({ kind: 'hashes', tile });
    }
    expect(parseTilePath('tile/entries/x001/x234/067.p/5')).toEqual({
      kind: 'entries',
      index: 1_234_067,
      width: 5,
    });
    expect(parseTilePath('tile/entries/000')).toEqual({ kind: 'entries', index: 0, width: 256 });
  });

  it('refuse every other spelling and hostile paths', () => {
    const refused = [
      '',
      'tile',
      'tile/',
      'tile/0',
      'tile/0/',
      '/tile/0/000',
      'tile/0/000/',
      'tile//0/000',
      'tile/00/000',
      'tile/01/000',
      'tile/64/000',
      'tile/100/000',
      'tile/-1/000',
      'tile/0/00',
      'tile/0/0000',
      'tile/0/1',
      'tile/0/001/002',
      'tile/0/x001',
      'tile/0/x000/001',
      'tile/0/X001/000',
      'tile/0/x001/x000',
      'tile/0/000.p/0',
      'tile/0/000.p/05',
      'tile/0/000.p/256',
      'tile/0/000.p/300',
      'tile/0/000.p/',
      'tile/0/000.p',
      'tile/0/000.p/5/',
      'tile/0/000.P/5',
      'tile/0/000.p/+5',
      'tile/0/000.p/5.0',
      'tile/0/../000',
      'tile/0/x001/../000',
      'tile/entries/..',
      'tile/entries/000/../../etc',
      'tile/0/%30%30%30',
      'tile/0/000%2F',
      'tile/0/000\n',
      ' tile/0/000',
      'tile\\0\\000',
      'tile/entries/000.p/0',
      'tile/entries/x000/000',
      'tile/entry/000',
      'tile/entries',
      'tile/1e1/000',
      'tile/0x1/000',
      'tile/٠/٠٠٠',
      `tile/0/${'x999/'.repeat(6)}999`,
      `tile/0/${'x001/'.repeat(1000)}000`,
    ];
    for (const path of refused) expect(parseTilePath(path), JSON.stringify(path)).toBeUndefined();
    expect(parseTilePath(42 as unknown as string)).toBeUndefined();
  });
});

describe('the tiles a tree is kept as', () => {
  it('are none for the empty tree', () => {
    expect(tilesOfTree(0)).toEqual([]);
    expect(entryBundlesOfTree(0)).toEqual([]);
  });

  it('are, for 256 entries, one full level-0 tile and a level-1 tile of width 1', () => {
    expect(tilesOfTree(256)).toEqual([
      { level: 0, index: 0, width: 256 },
      { level: 1, index: 0, width: 1 },
    ]);
    expect(entryBundlesOfTree(256)).toEqual([{ index: 0, width: 256 }]);
  });

  it('match the spec for 70,000 entries', () => {
    const tiles = tilesOfTree(70_000);
    const level = (l: number) => tiles.filter((tile) => tile.level === l);
    expect(level(0).filter((tile) => tile.width === 256)).toHaveLength(273);
    expect(level(0).filter((tile) => tile.width !== 256)).toEqual([{ level: 0, index: 273, width: 112 }]);
    expect(level(1)).toEqual([
      { level: 1, index: 0, width: 256 },
      { level: 1, index: 1, width: 17 },
    ]);
    expect(level(2)).toEqual([{ level: 2, index: 0, width: 1 }]);
    expect(tiles).toHaveLength(273 + 1 + 2 + 1);
    expect(level(0).map((tile) => tile.index)).toEqual(Array.from({ length: 274 }, (_, i) => i));
    const bundles = entryBundlesOfTree(70_000);
    expect(bundles).toHaveLength(274);
    expect(bundles.at(-1)).toEqual({ index: 273, width: 112 });
  });

  it('refuse sizes that are not whole numbers a number can hold', () => {
    for (const size of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53]) {
      expect(() => tilesOfTree(size)).toThrow(RangeError);
      expect(() => entryBundlesOfTree(size)).toThrow(RangeError);
    }
  });
});
