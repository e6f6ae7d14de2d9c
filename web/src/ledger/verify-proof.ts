import canonicalize from 'canonicalize';

/**
 * The browser's own check of an inclusion proof, so an auditor need not take the server's word for it: the
 * root is recomputed from the case's head and its audit path with Web Crypto alone, in the tree the server
 * builds (domain/merkle.ts, RFC 6962 §2.1: SHA-256, leaves prefixed 0x00, inner nodes 0x01; the path checked
 * as RFC 9162 §2.1.3.2 says), over the leaf text the server hashes (domain/ledger-digest.ts: the RFC 8785
 * canonical JSON of `{ caseId, version, hash }`).
 */

/** A case's head as a digest commits to it. */
export interface ProvenLeaf {
  readonly caseId: string;
  readonly version: number;
  readonly hash: string;
}

/** What an inclusion proof says: the leaf, its place among the digest's leaves and the sibling hashes up. */
export interface InclusionProofClaim {
  readonly leaf: ProvenLeaf;
  readonly leafIndex: number;
  readonly treeSize: number;
  readonly path: readonly string[];
}

export type ProofVerdict =
  /** The recomputed root is the digest's root: the leaf is in that digest. */
  | { readonly holds: true; readonly root: string }
  /** The path climbs to another root: the leaf, a step or the digest is not what the proof claims. */
  | { readonly holds: false; readonly reason: 'root_differs'; readonly root: string }
  /** The proof cannot be followed at all: a hash that is not SHA-256 hex, or a path that does not fit the tree. */
  | { readonly holds: false; readonly reason: 'malformed' };

const HEX_HASH = /^[0-9a-f]{64}$/;

function bytesOfHex(hex: string): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

function hexOfBytes(buffer: ArrayBuffer): string {
  return Array.from(new Uint8Array(buffer), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

async function sha256(prefix: number, ...parts: Uint8Array[]): Promise<string> {
  const length = 1 + parts.reduce((sum, part) => sum + part.length, 0);
  const input = new Uint8Array(length);
  input[0] = prefix;
  let at = 1;
  for (const part of parts) {
    input.set(part, at);
    at += part.length;
  }
  return hexOfBytes(await crypto.subtle.digest('SHA-256', input));
}

/** The text a leaf is hashed over, as the server writes it. */
export function leafText(leaf: ProvenLeaf): string {
  const text = canonicalize({ caseId: leaf.caseId, version: leaf.version, hash: leaf.hash });
  if (text === undefined) throw new TypeError('a leaf has no canonical JSON form');
  return text;
}

export function leafHash(leaf: ProvenLeaf): Promise<string> {
  return sha256(0x00, new TextEncoder().encode(leafText(leaf)));
}

export function nodeHash(left: string, right: string): Promise<string> {
  return sha256(0x01, bytesOfHex(left), bytesOfHex(right));
}

/**
 * The root the proof climbs to, or `undefined` when it cannot be followed: RFC 9162 §2.1.3.2, where the path
 * must be exactly as long as the leaf's depth in a tree of `treeSize` leaves.
 */
export async function rootOfProof(proof: InclusionProofClaim): Promise<string | undefined> {
  const { leafIndex, treeSize, path } = proof;
  if (!Number.isSafeInteger(leafIndex) || !Number.isSafeInteger(treeSize)) return undefined;
  if (leafIndex < 0 || leafIndex >= treeSize) return undefined;
  if (!HEX_HASH.test(proof.leaf.hash) || !path.every((step) => HEX_HASH.test(step))) return undefined;
  let fn = leafIndex;
  let sn = treeSize - 1;
  let hash = await leafHash(proof.leaf);
  for (const sibling of path) {
    if (sn === 0) return undefined;
    if (fn % 2 === 1 || fn === sn) {
      hash = await nodeHash(sibling, hash);
      // A right-most node with no sibling at this level climbs without hashing until it has one.
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      hash = await nodeHash(hash, sibling);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? hash : undefined;
}

/** Whether the proof puts its leaf under `root` (the root of the digest it claims to be in). */
export async function verifyProof(proof: InclusionProofClaim, root: string): Promise<ProofVerdict> {
  const recomputed = await rootOfProof(proof);
  if (recomputed === undefined) return { holds: false, reason: 'malformed' };
  return recomputed === root.toLowerCase()
    ? { holds: true, root: recomputed }
    : { holds: false, reason: 'root_differs', root: recomputed };
}
