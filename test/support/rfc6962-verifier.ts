import { createHash } from 'node:crypto';

/**
 * An outsider's check of an inclusion proof, written from RFC 9162 §2.1.3.2 and docs/api.md alone — it imports
 * nothing from the project, so a test that uses it does not grade the project's Merkle code by itself.
 */
const sha256 = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest();

export function leafOf(head: { caseId: string; version: number; hash: string }): Buffer {
  // RFC 8785 for this object: keys in code-point order, no spaces; the values are plain strings and an integer.
  const canonical = `{"caseId":${JSON.stringify(head.caseId)},"hash":${JSON.stringify(head.hash)},"version":${head.version}}`;
  return sha256(Buffer.from([0]), Buffer.from(canonical, 'utf8'));
}

export function checkInclusion(proof: {
  leaf: { caseId: string; version: number; hash: string };
  leafIndex: number;
  treeSize: number;
  path: string[];
  root: string;
}): boolean {
  let index = proof.leafIndex;
  let last = proof.treeSize - 1;
  let node = leafOf(proof.leaf);
  for (const hex of proof.path) {
    const sibling = Buffer.from(hex, 'hex');
    if (last === 0) return false;
    if (index % 2 === 1 || index === last) {
      node = sha256(Buffer.from([1]), sibling, node);
      if (index % 2 === 0) {
        while (index % 2 === 0 && index !== 0) {
          index = Math.floor(index / 2);
          last = Math.floor(last / 2);
        }
      }
    } else {
      node = sha256(Buffer.from([1]), node, sibling);
    }
    index = Math.floor(index / 2);
    last = Math.floor(last / 2);
  }
  return last === 0 && node.toString('hex') === proof.root;
}

/** The root over all leaves, the plain recursive way of RFC 6962 §2.1, for a second opinion. */
export function rootOf(heads: ReadonlyArray<{ caseId: string; version: number; hash: string }>): string {
  const hash = (leaves: Buffer[]): Buffer => {
    if (leaves.length === 0) return sha256();
    if (leaves.length === 1) return leaves[0]!;
    let k = 1;
    while (k * 2 < leaves.length) k *= 2;
    return sha256(Buffer.from([1]), hash(leaves.slice(0, k)), hash(leaves.slice(k)));
  };
  const sorted = [...heads].sort((a, b) => (a.caseId < b.caseId ? -1 : 1));
  return hash(sorted.map(leafOf)).toString('hex');
}
