import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { components } from '../api/ledger-api.d.ts';
import { dataOf, ProblemError } from '../api/problem.ts';
import { useSession } from '../session/SessionContext.tsx';
import { MAX_PROOF_FILE_BYTES, readProofFile } from './proof-file.ts';
import { digestHashHolds } from './verify-digest.ts';
import { type InclusionProofClaim, type ProofVerdict, verifyProof } from './verify-proof.ts';

export type LedgerDigest = components['schemas']['LedgerDigest'];
export type CaseProof = components['schemas']['InclusionProof'];

const LATEST = ['ledger', 'digest', 'latest'] as const;

/** A digest as the server gave it, and whether its hash still agrees with its fields, recomputed here. */
export interface CheckedDigest {
  readonly digest: LedgerDigest;
  readonly hashHolds: boolean;
}

async function checked(digest: LedgerDigest): Promise<CheckedDigest> {
  return { digest, hashHolds: await digestHashHolds(digest) };
}

/** "No digest has been taken yet" is a state of the ledger, not a failure: it reads as `null`. */
function noDigest(error: unknown): boolean {
  return error instanceof ProblemError && error.problem.type.endsWith(':digest-not-found');
}

/** The newest digest, or `null` when none has been taken. */
export function useLatestDigest() {
  const { api } = useSession();
  return useQuery({
    queryKey: LATEST,
    queryFn: async (): Promise<CheckedDigest | null> => {
      try {
        return await checked(await dataOf(api.GET('/ledger/digest')));
      } catch (error) {
        if (noDigest(error)) return null;
        throw error;
      }
    },
  });
}

/** Takes a digest now; the one taken becomes the newest on screen. */
export function useTakeDigest() {
  const { api } = useSession();
  const queries = useQueryClient();
  return useMutation({
    mutationFn: async () => checked(await dataOf(api.POST('/ledger/digest'))),
    onSuccess: (taken) => {
      queries.setQueryData(LATEST, taken);
      queries.setQueryData(['ledger', 'digest', taken.digest.sequence], taken.digest);
    },
  });
}

export interface CheckedProof {
  readonly proof: InclusionProofClaim;
  /** What the server says of today's ledger against the proven head (only when the server made the proof now). */
  readonly current?: CaseProof['current'];
  /** The digest the proof was checked against, as the server holds it. */
  readonly digest: LedgerDigest;
  readonly verdict: ProofVerdict;
}

/**
 * The case's proof in digest `sequence`, checked here: the root is recomputed in the browser and compared with
 * the root of the digest on screen, not with the one inside the answer.
 */
export function useCaseProofCheck(caseId: string | undefined, digest: LedgerDigest | null | undefined) {
  const { api } = useSession();
  return useQuery({
    queryKey: ['ledger', 'proof', caseId, digest?.sequence],
    enabled: caseId !== undefined && !!digest,
    queryFn: async (): Promise<CheckedProof> => {
      if (caseId === undefined || !digest) throw new Error('no case or digest to check');
      const proof = await dataOf(
        api.GET('/cases/{caseId}/proof', {
          params: { path: { caseId }, query: { digest: digest.sequence } },
        }),
      );
      return { proof, current: proof.current, digest, verdict: await verifyProof(proof, digest.root) };
    },
  });
}

/** Why a chosen file could not be checked at all, in a word the screen says in the reader's language. */
export class ProofFileError extends Error {
  constructor(readonly code: 'too_large' | 'not_json' | 'not_a_proof') {
    super(`not a proof file: ${code}`);
    this.name = 'ProofFileError';
  }
}

/**
 * Checks a saved proof file against the digest the server holds under the file's sequence: the file's own
 * copy of the digest is never trusted, so rewriting its root along with its leaf changes nothing.
 */
export function useProofFileCheck() {
  const { api } = useSession();
  const queries = useQueryClient();
  return useMutation({
    mutationFn: async (file: File): Promise<CheckedProof> => {
      if (file.size > MAX_PROOF_FILE_BYTES) throw new ProofFileError('too_large');
      const reading = readProofFile(await file.text());
      if (!reading.ok) throw new ProofFileError(reading.reason);
      const { sequence, proof } = reading.file;
      const digest = await queries.fetchQuery({
        queryKey: ['ledger', 'digest', sequence],
        queryFn: () => dataOf(api.GET('/ledger/digest', { params: { query: { sequence } } })),
      });
      return { proof, digest, verdict: await verifyProof(proof, digest.root) };
    },
  });
}
