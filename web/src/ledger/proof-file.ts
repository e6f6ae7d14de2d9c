import * as z from 'zod/mini';
import type { InclusionProofClaim } from './verify-proof.ts';

/** A proof for a tree of a billion cases is a few kilobytes: anything much larger is not a proof. */
export const MAX_PROOF_FILE_BYTES = 256 * 1024;

/**
 * The parts of a saved `GET /cases/{caseId}/proof` answer that the check reads. The file's own digest is read
 * only for its sequence: the root it is checked against is the one the server holds for that sequence, so a
 * file that rewrote its digest's root along with its leaf is still caught.
 */
const proofFileSchema = z.object({
  digest: z.object({ sequence: z.int().check(z.minimum(1)), root: z.string() }),
  leaf: z.object({ caseId: z.string(), version: z.int(), hash: z.string() }),
  leafIndex: z.int(),
  treeSize: z.int(),
  path: z.array(z.string()),
});

export interface ProofFile {
  readonly sequence: number;
  readonly proof: InclusionProofClaim;
}

export type ProofFileReading =
  | { readonly ok: true; readonly file: ProofFile }
  | { readonly ok: false; readonly reason: 'too_large' | 'not_json' | 'not_a_proof' };

/** Reads the text of a proof file, or says why it is not one. */
export function readProofFile(text: string): ProofFileReading {
  if (text.length > MAX_PROOF_FILE_BYTES) return { ok: false, reason: 'too_large' };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'not_json' };
  }
  const parsed = proofFileSchema.safeParse(json);
  if (!parsed.success) return { ok: false, reason: 'not_a_proof' };
  const { digest, ...proof } = parsed.data;
  return { ok: true, file: { sequence: digest.sequence, proof } };
}
