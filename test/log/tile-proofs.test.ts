import { describe, expect, it } from 'vitest';
import { verifyConsistency, verifyInclusion } from '../../domain/log/proof-checks.js';
import { consistencyProof, inclusionProof, treeRoot } from '../../domain/log/tile-tree.js';
import { EMPTY_ROOT } from '../../domain/log/tree-hashing.js';
import { memoryTiles, testEntry } from './support/memory-tiles.js';
import { referenceTree } from './support/rfc6962-reference.js';

/*
 * Proofs and roots computed from tiles against the RFC's own recursive definitions. One log is built to the
 * largest size and every smaller tree is read from its tiles: the store keeps only the widest version of each
 * tile, which the reader contract allows, so this also checks that only the first `width` hashes are used.
 */
const SMALL = 300;

async function logOf(size: number) {
  const entries = Array.from({ length: size }, (_, i) => testEntry(i));
  const log = memoryTiles();
  await log.append(entries);
  return { log, reference: referenceTree(entries) };
}

describe('proofs from tiles', () => {
  it('give every root, inclusion and consistency proof of every pair of sizes up to 300 as RFC 6962 does', async () => {
    const { log, reference } = await logOf(SMALL);
    expect(await treeRoot(0, log.readTile)).toEqual(EMPTY_ROOT);
    for (let to = 1; to <= SMALL; to++) {
      const root = await treeRoot(to, log.readTile);
      expect(root).toEqual(reference.root(to));
      for (let index = 0; index < to; index++) {
        const proof = await inclusionProof(index, to, log.readTile);
        expect(proof).toEqual(reference.inclusion(index, to));
        expect(verifyInclusion(reference.leafHash(index), index, to, proof, root)).toBe(true);
      }
      for (let from = 0; from <= to; from++) {
        const proof = await consistencyProof(from, to, log.readTile);
        expect(proof).toEqual(reference.consistency(from, to));
        if (from > 0) expect(verifyConsistency(from, to, proof, reference.root(from), root)).toBe(true);
      }
    }
  });
});
