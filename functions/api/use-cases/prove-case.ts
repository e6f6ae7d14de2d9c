import { CaseNotFoundError } from '../../../domain/errors.ts';
import { type ChainVerification, verifyChain } from '../../../domain/hash-chain.ts';
import { type InclusionProof, type LedgerDigest, proveInclusion } from '../../../domain/ledger-digest.ts';
import { DIGEST_SETTLE_MS } from '../../store/digest-store.ts';
import { CaseNotInDigestError, DigestNotFoundError } from '../api-error.ts';
import type { ApiDependencies } from '../app-env.ts';

/** The case's hash chain recomputed from every stored event. */
export async function verifyCase(
  deps: Pick<ApiDependencies, 'ledger'>,
  caseId: string,
): Promise<ChainVerification> {
  const events = await deps.ledger.readStream(caseId);
  if (events.length === 0) throw new CaseNotFoundError(caseId);
  return verifyChain(events);
}

/** The stored digest `sequence`, or the newest one when none is named. */
export async function storedDigest(
  deps: Pick<ApiDependencies, 'digests'>,
  sequence: number | undefined,
): Promise<LedgerDigest> {
  const digest = sequence === undefined ? await deps.digests.latest() : await deps.digests.get(sequence);
  if (!digest) {
    throw new DigestNotFoundError(
      sequence === undefined ? 'No digest has been taken yet' : `No digest ${sequence}`,
    );
  }
  return digest;
}

/** Takes a digest of the heads as they stood a settling moment ago, so that no append still in flight is missed. */
export function takeDigest(deps: Pick<ApiDependencies, 'digests' | 'clock'>): Promise<LedgerDigest> {
  return deps.digests.take({ at: new Date(deps.clock().getTime() - DIGEST_SETTLE_MS) });
}

export type CaseProof = InclusionProof & {
  readonly digest: LedgerDigest;
  /** Whether today's ledger still agrees with what the digest proves. */
  readonly current: { readonly hash: string | null; readonly chainHolds: boolean; readonly matches: boolean };
};

/** The inclusion proof of the case's head in digest `sequence`, and whether the ledger still agrees with it. */
export async function proveCase(
  deps: Pick<ApiDependencies, 'digests' | 'ledger'>,
  caseId: string,
  sequence: number,
): Promise<CaseProof> {
  const digest = await storedDigest(deps, sequence);
  const proof = proveInclusion(await deps.digests.leaves(sequence), caseId);
  if (!proof) throw new CaseNotInDigestError(caseId, sequence);
  // Today's history up to the proven version: it must still chain, and end in the hash the digest holds.
  const today = await deps.ledger.readRange(caseId, 1, proof.leaf.version);
  const chainHolds = verifyChain(today).ok && today.length === proof.leaf.version;
  const currentHash = today.find((event) => event.version === proof.leaf.version)?.hash ?? null;
  const matches = chainHolds && currentHash === proof.leaf.hash;
  return { digest, ...proof, current: { hash: currentHash, chainHolds, matches } };
}
