import { base64OfBytes } from '../evidence/bytes.ts';
import {
  type EvidenceFailure,
  logSignatureFailure,
  type WitnessFinding,
  witnessFindings,
} from '../evidence/check-evidence.ts';
import {
  type Checkpoint,
  ED25519,
  type Note,
  NoteError,
  parseCheckpoint,
  parseNote,
  parseVerifierKey,
  type VerifierKey,
} from '../evidence/signed-note.ts';

/**
 * The log's newest checkpoint as `GET /log/checkpoint` serves it, checked in this browser against the keys of
 * `GET /log/key` with the same checks as an evidence packet's (web/src/evidence): the log's signature, then the
 * cosignature/v1 of each witness key. Failures carry the evidence page's kinds, so they read in the same words.
 */
export interface CheckpointVerdict {
  /** What the checkpoint says, when it could be read. */
  readonly checkpoint?: { readonly origin: string; readonly size: number; readonly root: string };
  /** Every witness key the ledger publishes, and whether and when it cosigned. */
  readonly witnesses: readonly WitnessFinding[];
  readonly cosigned: number;
  /** Empty when the log's signature holds and every cosignature present verifies. */
  readonly failures: readonly EvidenceFailure[];
}

const problemOf = (error: unknown) => {
  if (error instanceof NoteError) return error.problem;
  throw error;
};

/** `keys` is the text of `GET /log/key`: the log's verifier key on its first line, then the witnesses'. */
export async function checkLogCheckpoint(text: string, keys: string): Promise<CheckpointVerdict> {
  const failures: EvidenceFailure[] = [];
  const [logKeyText = '', ...witnessKeys] = keys.split('\n').filter((line) => line !== '');

  let logKey: VerifierKey | undefined;
  try {
    logKey = await parseVerifierKey(logKeyText, ED25519);
  } catch (error) {
    failures.push({ check: 'log_key', problem: problemOf(error) });
  }
  let note: Note | undefined;
  let checkpoint: Checkpoint | undefined;
  try {
    note = parseNote(text);
    checkpoint = parseCheckpoint(note.text);
  } catch (error) {
    failures.push({ check: 'checkpoint', problem: problemOf(error) });
  }
  if (note !== undefined && checkpoint !== undefined && logKey !== undefined) {
    if (checkpoint.origin !== logKey.name)
      failures.push({ check: 'origin', origin: checkpoint.origin, keyName: logKey.name });
    const signature = await logSignatureFailure(note, logKey);
    if (signature !== undefined) failures.push(signature);
  }
  const witnesses = await witnessFindings(note, witnessKeys);
  failures.push(...witnesses.failures);
  return {
    ...(checkpoint && {
      checkpoint: { origin: checkpoint.origin, size: checkpoint.size, root: base64OfBytes(checkpoint.root) },
    }),
    witnesses: witnesses.findings,
    cosigned: witnesses.findings.filter((finding) => finding.cosignedAt !== undefined).length,
    failures,
  };
}
