import { describe, expect, it } from 'vitest';
import { verifyConsistency, verifyInclusion } from '../../domain/log/proof-checks.ts';
import { consistencyProof, inclusionProof, treeRoot } from '../../domain/log/tile-tree.ts';
import { EMPTY_ROOT } from '../../domain/log/tree-hashing.ts';
import { memoryTiles, testEntry } from './support/memory-tiles.ts';
import { referenceTree } from './support/rfc6962-reference.ts';

/*
 * Proofs and roots computed from tiles against the RFC's own recursive definitions. One log is built to the
 * largest size and every smaller tree is read from its tiles: the store keeps only the widest version of each
 * tile, which the reader contract allows, so this also checks that only the first `width` hashes are used.
 */
async function logOf(size: number) {
  const entries = Array.from({ length: size }, (_, i) => testEntry(i));
  const log = memoryTiles();
  await log.append(entries);
  return { log, reference: referenceTree(entries) };
}

/** The sizes where a tile fills or a level begins, and either side of them, below `to`. */
function edgesBelow(to: number): number[] {
  const picks = [0, 1, 2, 3, 7, 8, 9, 127, 128, 129, 255, 256, 257, 511, 512, 513, 65_535, 65_536, 65_537];
  const near = [Math.floor(to / 2), to - 257, to - 256, to - 255, to - 2, to - 1, to];
  return [...new Set([...picks, ...near])].filter((size) => size >= 0 && size <= to).sort((a, b) => a - b);
}

async function expectSameAsRfc(
  log: Awaited<ReturnType<typeof logOf>>['log'],
  reference: ReturnType<typeof referenceTree>,
  to: number,
  froms: readonly number[],
  indexes: readonly number[],
) {
  const root = await treeRoot(to, log.readTile);
  expect(root).toEqual(reference.root(to));
  for (const index of indexes) {
    const proof = await inclusionProof(index, to, log.readTile);
    expect(proof).toEqual(reference.inclusion(index, to));
    expect(verifyInclusion(reference.leafHash(index), index, to, proof, root)).toBe(true);
  }
  for (const from of froms) {
    const proof = await consistencyProof(from, to, log.readTile);
    expect(proof).toEqual(reference.consistency(from, to));
    expect(verifyConsistency(from, to, proof, reference.root(from), root)).toBe(from > 0);
  }
}

describe('proofs from tiles', () => {
  it('are those of RFC 6962 for every pair of sizes up to 64, and near every tile edge up to 300', async () => {
    const { log, reference } = await logOf(300);
    expect(await treeRoot(0, log.readTile)).toEqual(EMPTY_ROOT);
    for (let to = 1; to <= 300; to++) {
      const every = Array.from({ length: to + 1 }, (_, i) => i);
      const sizes = to <= 64 ? every : edgesBelow(to);
      await expectSameAsRfc(
        log,
        reference,
        to,
        sizes,
        sizes.filter((index) => index < to),
      );
    }
  });

  it('are those of RFC 6962 across levels, around 256² and 256² + 1', async () => {
    const { log, reference } = await logOf(70_000);
    for (const to of [65_535, 65_536, 65_537, 65_536 + 256, 65_536 + 257, 70_000]) {
      const sizes = edgesBelow(to);
      await expectSameAsRfc(
        log,
        reference,
        to,
        sizes,
        [...sizes, 4_097, 40_000, 65_534].filter((index) => index < to),
      );
    }
    // The spec's example tree reads its partial tiles at each level: level 0 width 112, 1 width 17, 2 width 1.
    log.asked.length = 0;
    await treeRoot(70_000, log.readTile);
    expect(log.asked).toEqual(
      expect.arrayContaining([
        { level: 0, index: 273, width: 112 },
        { level: 1, index: 1, width: 17 },
        { level: 2, index: 0, width: 1 },
      ]),
    );
  });

  it('refuse sizes and indexes that are not in the tree, in plain words', async () => {
    const { log } = await logOf(10);
    await expect(inclusionProof(10, 10, log.readTile)).rejects.toThrow(/no entry 10 in a tree of 10/);
    await expect(inclusionProof(-1, 10, log.readTile)).rejects.toThrow(RangeError);
    await expect(inclusionProof(1.5, 10, log.readTile)).rejects.toThrow(RangeError);
    await expect(inclusionProof(0, 0, log.readTile)).rejects.toThrow(RangeError);
    await expect(treeRoot(2 ** 53, log.readTile)).rejects.toThrow(/whole number from 0 up to 2\^53 - 1/);
    await expect(treeRoot(Number.NaN, log.readTile)).rejects.toThrow(RangeError);
    await expect(consistencyProof(5, 4, log.readTile)).rejects.toThrow(/above the newer one/);
    await expect(consistencyProof(-1, 4, log.readTile)).rejects.toThrow(RangeError);
    expect(await consistencyProof(0, 10, log.readTile)).toEqual([]);
    expect(await consistencyProof(10, 10, log.readTile)).toEqual([]);
  });

  it('fail, not guess, when a tile is missing or too short', async () => {
    const { log } = await logOf(300);
    await expect(treeRoot(301, log.readTile)).rejects.toThrow(/no tile 0\/1/);
    const short = async () => new Uint8Array(31);
    await expect(treeRoot(5, short)).rejects.toThrow(/fewer than the 5 hashes/);
  });
});

describe('proof checks', () => {
  it('refuse a proof changed in any way, and hostile arguments, without throwing', async () => {
    const { log, reference } = await logOf(300);
    const root = reference.root(300);
    const proof = await inclusionProof(137, 300, log.readTile);
    const leaf = reference.leafHash(137);
    expect(verifyInclusion(leaf, 137, 300, proof, root)).toBe(true);
    expect(verifyInclusion(leaf, 136, 300, proof, root)).toBe(false);
    // A proof fixes the tree's shape, not its size: 300 and 301 share this leaf's shape, 256 and 1000 do not.
    expect(verifyInclusion(leaf, 137, 256, proof, root)).toBe(false);
    expect(verifyInclusion(leaf, 137, 1000, proof, root)).toBe(false);
    expect(verifyInclusion(leaf, 137, 300, proof.slice(1), root)).toBe(false);
    expect(verifyInclusion(leaf, 137, 300, [...proof, root], root)).toBe(false);
    expect(verifyInclusion(leaf, 137, 300, [...proof].reverse(), root)).toBe(false);
    for (let at = 0; at < proof.length; at++) {
      const changed = proof.map((hash) => hash.slice());
      changed[at]![7]! ^= 1;
      expect(verifyInclusion(leaf, 137, 300, changed, root)).toBe(false);
    }
    const hostile: unknown[] = [
      null,
      undefined,
      'x',
      {},
      [null],
      [new Uint8Array(31)],
      Number.NaN,
      -1,
      2 ** 60,
    ];
    for (const value of hostile) {
      expect(verifyInclusion(value as Uint8Array, 137, 300, proof, root)).toBe(false);
      expect(verifyInclusion(leaf, value as number, 300, proof, root)).toBe(false);
      expect(verifyInclusion(leaf, 137, 300, value as Uint8Array[], root)).toBe(false);
      expect(verifyConsistency(value as number, 300, proof, root, root)).toBe(false);
      expect(verifyConsistency(1, 300, value as Uint8Array[], leaf, root)).toBe(false);
    }

    const consistency = await consistencyProof(100, 300, log.readTile);
    const from = reference.root(100);
    expect(verifyConsistency(100, 300, consistency, from, root)).toBe(true);
    expect(verifyConsistency(300, 100, consistency, root, from)).toBe(false);
    expect(verifyConsistency(100, 300, consistency, root, root)).toBe(false);
    expect(verifyConsistency(101, 300, consistency, from, root)).toBe(false);
    expect(verifyConsistency(100, 300, [], from, root)).toBe(false);
    expect(verifyConsistency(300, 300, [], root, root)).toBe(true);
    expect(verifyConsistency(300, 300, [], root, from)).toBe(false);
    expect(verifyConsistency(300, 300, [root], root, root)).toBe(false);
    expect(verifyConsistency(0, 300, [], EMPTY_ROOT, root)).toBe(false);
  });
});
