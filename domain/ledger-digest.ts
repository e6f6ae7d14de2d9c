import canonicalize from 'canonicalize';
import { GENESIS_HASH, sha256OfCanonical } from './hash-chain.ts';
import { inclusionPath, merkleRoot } from './merkle.ts';

/** A case's head at a moment: what a digest commits to for that case. */
export interface DigestLeaf {
  readonly caseId: string;
  readonly version: number;
  readonly hash: string;
}

/**
 * A ledger digest: the RFC 6962 Merkle root over the heads of every case stream as the ledger
 * stood at `at`, with counts, chained to the previous digest so digests cannot be dropped or reordered unseen.
 */
export interface LedgerDigest {
  /** 1, 2, 3 … in the order digests were taken. */
  readonly sequence: number;
  /** The moment the heads were read as of: every event recorded by then, and none after. */
  readonly at: string;
  readonly cases: number;
  readonly events: number;
  readonly root: string;
  /** The `hash` of the previous digest; `GENESIS_HASH` for the first. */
  readonly prevDigestHash: string;
  /** SHA-256 of the RFC 8785 canonical JSON of every field above. */
  readonly hash: string;
}

const SURROGATE = /[\uD800-\uDFFF]/;

/**
 * The bytes a leaf is hashed over: the canonical JSON (RFC 8785) of `{ caseId, version, hash }`. Written out
 * rather than canonicalized, since a digest makes one per case: RFC 8785 sorts the keys (`caseId`, `hash`,
 * `version`) and writes strings and integers as `JSON.stringify` does, so this is the same text, three times
 * faster (a test holds it to `canonicalize` over any strings and versions).
 */
export function leafText(leaf: DigestLeaf): string {
  // Anything else — a version that is no integer, a surrogate (which `canonicalize` refuses alone) — as before.
  if (!Number.isSafeInteger(leaf.version) || SURROGATE.test(leaf.caseId) || SURROGATE.test(leaf.hash)) {
    return canonicalize({ caseId: leaf.caseId, version: leaf.version, hash: leaf.hash }) as string;
  }
  return `{"caseId":${JSON.stringify(leaf.caseId)},"hash":${JSON.stringify(leaf.hash)},"version":${leaf.version}}`;
}

const byCaseId = (a: DigestLeaf, b: DigestLeaf) => (a.caseId < b.caseId ? -1 : a.caseId > b.caseId ? 1 : 0);

/** Leaves in the tree's order: by case id, compared as UTF-16 code units, as JavaScript sorts strings. */
export function orderLeaves(leaves: readonly DigestLeaf[]): DigestLeaf[] {
  return [...leaves].sort(byCaseId);
}

/**
 * The leaves of an incremental digest: `previous` (in the tree's order, one per case) with each leaf of
 * `changed` in its case's place — replacing that case's earlier head, or inserted for a case new since. One
 * pass over both, so a digest after a few appends costs a merge, not a sort of every case. When `changed`
 * names a case twice, the later leaf counts.
 */
export function mergeLeaves(previous: readonly DigestLeaf[], changed: readonly DigestLeaf[]): DigestLeaf[] {
  const fresh = [...new Map(changed.map((leaf) => [leaf.caseId, leaf])).values()].sort(byCaseId);
  const merged: DigestLeaf[] = [];
  let p = 0;
  let f = 0;
  while (p < previous.length || f < fresh.length) {
    const old = previous[p];
    const now = fresh[f];
    if (now === undefined || (old !== undefined && old.caseId < now.caseId)) {
      merged.push(old!);
      p++;
    } else {
      merged.push(now);
      f++;
      if (old?.caseId === now.caseId) p++;
    }
  }
  return merged;
}

export function buildDigest(
  leaves: readonly DigestLeaf[],
  context: { sequence: number; at: string; previous?: Pick<LedgerDigest, 'hash'> },
): LedgerDigest {
  const ordered = orderLeaves(leaves);
  const unhashed = {
    sequence: context.sequence,
    at: context.at,
    cases: ordered.length,
    events: ordered.reduce((sum, leaf) => sum + leaf.version, 0),
    root: merkleRoot(ordered.map(leafText)),
    prevDigestHash: context.previous?.hash ?? GENESIS_HASH,
  };
  return { ...unhashed, hash: sha256OfCanonical(unhashed) };
}

/** The proof that a case's head is a leaf of a digest: its place, the tree's size and the audit path. */
export interface InclusionProof {
  readonly leaf: DigestLeaf;
  readonly leafIndex: number;
  readonly treeSize: number;
  readonly path: string[];
}

/** The inclusion proof of `caseId` among a digest's leaves; `undefined` when the case is not one of them. */
export function proveInclusion(leaves: readonly DigestLeaf[], caseId: string): InclusionProof | undefined {
  const ordered = orderLeaves(leaves);
  const leafIndex = ordered.findIndex((leaf) => leaf.caseId === caseId);
  if (leafIndex < 0) return undefined;
  return {
    leaf: ordered[leafIndex]!,
    leafIndex,
    treeSize: ordered.length,
    path: inclusionPath(ordered.map(leafText), leafIndex),
  };
}
