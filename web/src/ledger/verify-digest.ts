import canonicalize from 'canonicalize';
import type { LedgerDigest } from '../../../domain/ledger-digest.ts';

/** The fields of a digest its own hash is computed over, as the domain defines them. */
export type DigestFields = LedgerDigest;

/**
 * Whether a digest's hash is the SHA-256 of the RFC 8785 canonical JSON of its other fields, recomputed here:
 * a stored digest whose root or counts were changed afterwards no longer agrees with its own hash.
 */
export async function digestHashHolds(digest: DigestFields): Promise<boolean> {
  const { hash, ...fields } = digest;
  const unhashed = {
    sequence: fields.sequence,
    at: fields.at,
    cases: fields.cases,
    events: fields.events,
    root: fields.root,
    prevDigestHash: fields.prevDigestHash,
  };
  const text = canonicalize(unhashed);
  if (text === undefined) return false;
  const bytes = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  const hex = Array.from(new Uint8Array(bytes), (byte) => byte.toString(16).padStart(2, '0')).join('');
  return hex === hash;
}
