import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildDigest,
  type DigestLeaf,
  leafText,
  mergeLeaves,
  orderLeaves,
  proveInclusion,
} from '../../domain/ledger-digest.ts';
import { merkleRoot, verifyInclusion } from '../../domain/merkle.ts';

const leaf = fc.record({
  caseId: fc.stringMatching(/^[a-z0-9-]{1,6}$/),
  version: fc.integer({ min: 1, max: 500 }),
  hash: fc.stringMatching(/^[0-9a-f]{64}$/),
});

/** One leaf per case, the last of each: what a ledger's heads are. */
const heads = (leaves: readonly DigestLeaf[]) => [...new Map(leaves.map((l) => [l.caseId, l])).values()];

describe('mergeLeaves', () => {
  it('gives the leaves of every case, each at its newest head, in the tree order, as a sort of the union would', () => {
    fc.assert(
      fc.property(fc.array(leaf, { maxLength: 60 }), fc.array(leaf, { maxLength: 30 }), (before, changed) => {
        const previous = orderLeaves(heads(before));
        const merged = mergeLeaves(previous, changed);
        expect(merged).toEqual(orderLeaves(heads([...previous, ...changed])));
        const at = '2026-01-01T00:00:00.000Z';
        expect(buildDigest(merged, { sequence: 2, at }).root).toBe(
          buildDigest(heads([...before, ...changed]), { sequence: 2, at }).root,
        );
      }),
    );
  });

  it('keeps the previous leaves as they were when nothing changed, and takes every leaf when there were none', () => {
    const previous = orderLeaves([
      { caseId: 'b', version: 2, hash: 'b'.repeat(64) },
      { caseId: 'a', version: 1, hash: 'a'.repeat(64) },
    ]);
    expect(mergeLeaves(previous, [])).toEqual(previous);
    expect(mergeLeaves([], [...previous].reverse())).toEqual(previous);
  });
});

describe('leafText', () => {
  it('is the RFC 8785 canonical JSON of the leaf, for any strings (lone surrogates too) and versions', () => {
    const anyText = fc.string({
      unit: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)),
    });
    fc.assert(
      fc.property(
        anyText,
        anyText,
        fc.oneof(fc.nat(), fc.integer(), fc.double()),
        (caseId, hash, version) => {
          const canonical = (() => {
            try {
              return canonicalize({ caseId, version, hash });
            } catch (error) {
              return error;
            }
          })();
          if (canonical instanceof Error)
            expect(() => leafText({ caseId, version, hash })).toThrow(canonical.message);
          else expect(leafText({ caseId, version, hash })).toBe(canonical);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('the Merkle tree over a range of one array', () => {
  it('proves every leaf of trees of every size up to 70 against their root', () => {
    for (let size = 1; size <= 70; size++) {
      const leaves = Array.from({ length: size }, (_, i) => ({
        caseId: `case-${String(i).padStart(3, '0')}`,
        version: i + 1,
        hash: String(i % 10).repeat(64),
      }));
      const root = merkleRoot(leaves.map(leafText));
      for (const { caseId } of leaves) {
        const proof = proveInclusion(leaves, caseId)!;
        expect(verifyInclusion(leafText(proof.leaf), proof.leafIndex, proof.treeSize, proof.path, root)).toBe(
          true,
        );
      }
    }
  });
});
