import { describe, expect, it } from 'vitest';
import { buildDigest, type DigestLeaf, proveInclusion } from '../../domain/ledger-digest.ts';
import { leafHash as serverLeafHash, verifyInclusion } from '../../domain/merkle.ts';
import { readProofFile } from '../../web/src/ledger/proof-file.ts';
import { digestHashHolds } from '../../web/src/ledger/verify-digest.ts';
import { leafHash, leafText, rootOfProof, verifyProof } from '../../web/src/ledger/verify-proof.ts';

const hex = (seed: number) => seed.toString(16).padStart(2, '0').repeat(32);

/** Case heads as the store reads them; ids unordered, as the server receives them, so its sort is exercised. */
function heads(count: number): DigestLeaf[] {
  return Array.from({ length: count }, (_, i) => ({
    caseId: `case-${String((i * 7) % count).padStart(3, '0')}-${i}`,
    version: 1 + (i % 5),
    hash: hex(i + 1),
  }));
}

/** A digest and the proof of one case in it, made by the server's own domain code. */
function serverProof(count: number, caseId: string) {
  const leaves = heads(count);
  const digest = buildDigest(leaves, { sequence: 1, at: '2026-07-01T00:00:00.000Z' });
  const proof = proveInclusion(leaves, caseId);
  if (!proof) throw new Error(`no ${caseId}`);
  return { digest, proof };
}

describe('checking an inclusion proof in the browser', () => {
  it('hashes a leaf exactly as the server does', async () => {
    const leaf = { caseId: 'case-ü-"quoted"', version: 12, hash: hex(9) };
    expect(await leafHash(leaf)).toBe(serverLeafHash(leafText(leaf)));
  });

  it("holds for every case of every tree size up to 17, against the server's root", async () => {
    for (let size = 1; size <= 17; size++) {
      for (const leaf of heads(size)) {
        const { digest, proof } = serverProof(size, leaf.caseId);
        expect(await verifyProof(proof, digest.root), `${leaf.caseId} of ${size}`).toEqual({
          holds: true,
          root: digest.root,
        });
      }
    }
  });

  it('refuses a tampered leaf: another version, another head hash, another case', async () => {
    const { digest, proof } = serverProof(11, heads(11)[4]!.caseId);
    for (const leaf of [
      { ...proof.leaf, version: proof.leaf.version + 1 },
      { ...proof.leaf, hash: hex(200) },
      { ...proof.leaf, caseId: `${proof.leaf.caseId}x` },
    ]) {
      expect(await verifyProof({ ...proof, leaf }, digest.root)).toMatchObject({
        holds: false,
        reason: 'root_differs',
      });
    }
  });

  it('refuses a tampered step of the audit path', async () => {
    const { digest, proof } = serverProof(11, heads(11)[4]!.caseId);
    for (let step = 0; step < proof.path.length; step++) {
      const path = proof.path.map((hash, i) =>
        i === step ? hash.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')) : hash,
      );
      expect(await verifyProof({ ...proof, path }, digest.root)).toMatchObject({ holds: false });
    }
    const swapped = [proof.path[1]!, proof.path[0]!, ...proof.path.slice(2)];
    expect(await verifyProof({ ...proof, path: swapped }, digest.root)).toMatchObject({ holds: false });
  });

  it("refuses a proof checked against another digest's root", async () => {
    const caseId = heads(8)[3]!.caseId;
    const { proof } = serverProof(8, caseId);
    const other = buildDigest(
      heads(8).map((leaf) => (leaf.caseId === caseId ? leaf : { ...leaf, version: leaf.version + 1 })),
      { sequence: 2, at: '2026-07-02T00:00:00.000Z' },
    );
    expect(await verifyProof(proof, other.root)).toMatchObject({ holds: false, reason: 'root_differs' });
  });

  it('refuses a path that does not fit the tree it claims: a step short or long, another place or size', async () => {
    const { digest, proof } = serverProof(13, heads(13)[6]!.caseId);
    const variants = [
      { ...proof, path: proof.path.slice(0, -1) },
      { ...proof, path: [...proof.path, hex(3)] },
      { ...proof, leafIndex: proof.leafIndex + 1 },
      // A tree of 7 has another shape, so the same steps climb another way.
      { ...proof, treeSize: 7 },
      { ...proof, leafIndex: proof.treeSize },
      { ...proof, leafIndex: -1 },
      { ...proof, leafIndex: 0.5 },
    ];
    for (const [i, variant] of variants.entries()) {
      expect((await verifyProof(variant, digest.root)).holds, `variant ${i}`).toBe(false);
      const { leaf, leafIndex, treeSize, path } = variant;
      expect(verifyInclusion(leafText(leaf), leafIndex, treeSize, path, digest.root), `server ${i}`).toBe(
        false,
      );
    }
  });

  it('calls a proof with a hash that is not SHA-256 hex malformed instead of reading it', async () => {
    const { digest, proof } = serverProof(5, heads(5)[2]!.caseId);
    expect(
      await rootOfProof({ ...proof, path: [...proof.path.slice(0, -1), 'zz'.repeat(32)] }),
    ).toBeUndefined();
    expect(await verifyProof({ ...proof, leaf: { ...proof.leaf, hash: 'ABC' } }, digest.root)).toEqual({
      holds: false,
      reason: 'malformed',
    });
  });
});

describe('a proof file', () => {
  it('reads a saved proof answer and the sequence of its digest', async () => {
    const { digest, proof } = serverProof(6, heads(6)[1]!.caseId);
    const saved = JSON.stringify(
      { digest, ...proof, current: { hash: proof.leaf.hash, chainHolds: true, matches: true } },
      null,
      2,
    );
    const reading = readProofFile(saved);
    expect(reading).toEqual({ ok: true, file: { sequence: 1, proof } });
    if (reading.ok) expect((await verifyProof(reading.file.proof, digest.root)).holds).toBe(true);
  });

  it('says why a file is not a proof: not JSON, another shape, too large', () => {
    expect(readProofFile('{"digest":')).toEqual({ ok: false, reason: 'not_json' });
    expect(readProofFile('{"caseId":"demo-c01"}')).toEqual({ ok: false, reason: 'not_a_proof' });
    expect(readProofFile(JSON.stringify({ path: 'x'.repeat(300_000) }))).toEqual({
      ok: false,
      reason: 'too_large',
    });
  });
});

describe("a digest's own hash, recomputed in the browser", () => {
  const digest = buildDigest(heads(9), {
    sequence: 3,
    at: '2026-07-03T00:00:00.000Z',
    previous: { hash: hex(7) },
  });

  it('holds for a digest as the server built it', async () => {
    expect(await digestHashHolds(digest)).toBe(true);
  });

  it('does not hold once a field was changed after it was taken', async () => {
    for (const changed of [
      { ...digest, root: hex(1) },
      { ...digest, cases: digest.cases + 1 },
      { ...digest, events: digest.events - 1 },
      { ...digest, at: '2026-07-04T00:00:00.000Z' },
      { ...digest, sequence: 4 },
      { ...digest, prevDigestHash: hex(8) },
      { ...digest, hash: hex(2) },
    ]) {
      expect(await digestHashHolds(changed)).toBe(false);
    }
  });
});
