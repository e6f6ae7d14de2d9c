import type { EvidencePacket } from '../../../domain/log/evidence-packet.ts';
import { base64OfBytes, bytesOfBase64, bytesOfHex } from './bytes.ts';
import { eventHashOf } from './event-hash.ts';
import { leafHash, verifyInclusion } from './inclusion.ts';
import {
  type Checkpoint,
  COSIGNATURE_V1,
  cosignatureTime,
  ED25519,
  hexKeyId,
  logSignatureHolds,
  type Note,
  NoteError,
  type NoteProblem,
  parseCheckpoint,
  parseNote,
  parseVerifierKey,
  signaturesBy,
  type VerifierKey,
} from './signed-note.ts';

/**
 * The browser's own check of an evidence packet (docs/log.md, "Evidence packets"), with Web Crypto alone and
 * nothing sent anywhere: each event's hash, the chain, each inclusion proof against the checkpoint, the log's
 * signature of the checkpoint, and which witnesses cosigned it. Every check runs, so the verdict says all that
 * failed and where, not only the first.
 */

const GENESIS_HASH = '0'.repeat(64);

/** One check that did not hold, and where. */
export type EvidenceFailure =
  /** The event's stored hash is not the hash of what it holds: the event was changed. */
  | { readonly check: 'event_hash'; readonly version: number }
  /** The event belongs to another case than the packet's. */
  | { readonly check: 'other_case'; readonly version: number; readonly streamId: string }
  /** The event at this place in the packet does not carry the version that comes next. */
  | { readonly check: 'chain_order'; readonly position: number; readonly version: number }
  /** The event does not name the previous event's hash: one was removed, added or swapped before it. */
  | { readonly check: 'chain_link'; readonly version: number }
  /** The event's inclusion proof does not lead to the checkpoint's root at its size. */
  | { readonly check: 'inclusion'; readonly version: number; readonly index: number }
  | { readonly check: 'checkpoint'; readonly problem: NoteProblem }
  | { readonly check: 'log_key'; readonly problem: NoteProblem }
  /** The checkpoint is of another log than the key's. */
  | { readonly check: 'origin'; readonly origin: string; readonly keyName: string }
  /** No signature of the log key verifies: missing, or present and wrong. */
  | { readonly check: 'log_signature'; readonly found: 'none' | 'invalid' }
  | { readonly check: 'witness_key'; readonly key: string; readonly problem: NoteProblem }
  /** A cosignature by a listed witness key is in the checkpoint and does not verify. */
  | { readonly check: 'cosignature'; readonly witness: string };

export interface WitnessFinding {
  readonly key: string;
  readonly name?: string;
  /** When it cosigned (POSIX seconds), if its cosignature verified. */
  readonly cosignedAt?: number;
}

export interface EvidenceVerdict {
  readonly ok: boolean;
  readonly caseId: string;
  readonly events: number;
  /** What the checkpoint says, when it could be read. */
  readonly checkpoint?: { readonly origin: string; readonly size: number; readonly root: string };
  readonly logKey: { readonly text: string; readonly name?: string; readonly keyId?: string };
  readonly witnesses: readonly WitnessFinding[];
  readonly cosigned: number;
  readonly failures: readonly EvidenceFailure[];
}

const problemOf = (error: unknown): NoteProblem => {
  if (error instanceof NoteError) return error.problem;
  throw error;
};

async function chainFailures(packet: EvidencePacket): Promise<EvidenceFailure[]> {
  const failures: EvidenceFailure[] = [];
  let previous = GENESIS_HASH;
  for (const [position, event] of packet.events.entries()) {
    if (event.streamId !== packet.caseId)
      failures.push({ check: 'other_case', version: event.version, streamId: event.streamId });
    if (event.version !== position + 1)
      failures.push({ check: 'chain_order', position: position + 1, version: event.version });
    else if (event.prevHash !== previous) failures.push({ check: 'chain_link', version: event.version });
    if ((await eventHashOf(event)) !== event.hash)
      failures.push({ check: 'event_hash', version: event.version });
    previous = event.hash;
  }
  return failures;
}

async function inclusionFailures(packet: EvidencePacket, checkpoint: Checkpoint): Promise<EvidenceFailure[]> {
  const held = await Promise.all(
    packet.events.map(async (event, at) => {
      const proof = packet.proofs[at];
      const entry = bytesOfHex(event.hash);
      const path = proof?.hashes.map(bytesOfBase64);
      if (proof === undefined || entry === undefined || path === undefined) return false;
      if (path.some((step) => step === undefined)) return false;
      return verifyInclusion(
        await leafHash(entry),
        proof.index,
        checkpoint.size,
        path as Uint8Array[],
        checkpoint.root,
      );
    }),
  );
  return packet.events.flatMap((event, at) =>
    held[at]
      ? []
      : [{ check: 'inclusion', version: event.version, index: packet.proofs[at]?.index ?? -1 } as const],
  );
}

/** Whether the log's key signed the note: undefined when it did, else how it did not. */
export async function logSignatureFailure(
  note: Note,
  key: VerifierKey,
): Promise<EvidenceFailure | undefined> {
  const signatures = signaturesBy(note, key);
  if (signatures.length === 0) return { check: 'log_signature', found: 'none' };
  const holds = await Promise.all(signatures.map((signature) => logSignatureHolds(note, key, signature)));
  // The spec: a signature by a known key that fails rejects the note, even beside one that holds.
  return holds.every(Boolean) ? undefined : { check: 'log_signature', found: 'invalid' };
}

/** Which of the witness keys cosigned the note (cosignature/v1), when, and which cosignatures fail. */
export async function witnessFindings(
  note: Note | undefined,
  keys: readonly string[],
): Promise<{ findings: WitnessFinding[]; failures: EvidenceFailure[] }> {
  const findings: WitnessFinding[] = [];
  const failures: EvidenceFailure[] = [];
  for (const text of keys) {
    let key: VerifierKey;
    try {
      key = await parseVerifierKey(text, COSIGNATURE_V1);
    } catch (error) {
      failures.push({ check: 'witness_key', key: text, problem: problemOf(error) });
      findings.push({ key: text });
      continue;
    }
    const signatures = note === undefined ? [] : signaturesBy(note, key);
    const times = await Promise.all(signatures.map((signature) => cosignatureTime(note!, key, signature)));
    if (times.some((time) => time === undefined)) failures.push({ check: 'cosignature', witness: key.name });
    const cosignedAt = times.length > 0 && times.every((time) => time !== undefined) ? times[0] : undefined;
    findings.push({ key: text, name: key.name, ...(cosignedAt !== undefined && { cosignedAt }) });
  }
  return { findings, failures };
}

/** Checks a packet the parser has read (domain/log/evidence-packet.ts). */
export async function checkEvidence(packet: EvidencePacket): Promise<EvidenceVerdict> {
  const failures: EvidenceFailure[] = [...(await chainFailures(packet))];

  let logKey: VerifierKey | undefined;
  try {
    logKey = await parseVerifierKey(packet.logKey, ED25519);
  } catch (error) {
    failures.push({ check: 'log_key', problem: problemOf(error) });
  }

  let note: Note | undefined;
  let checkpoint: Checkpoint | undefined;
  try {
    note = parseNote(packet.checkpoint);
    checkpoint = parseCheckpoint(note.text);
  } catch (error) {
    failures.push({ check: 'checkpoint', problem: problemOf(error) });
  }

  if (checkpoint !== undefined) failures.push(...(await inclusionFailures(packet, checkpoint)));
  if (note !== undefined && checkpoint !== undefined && logKey !== undefined) {
    if (checkpoint.origin !== logKey.name)
      failures.push({ check: 'origin', origin: checkpoint.origin, keyName: logKey.name });
    const signature = await logSignatureFailure(note, logKey);
    if (signature !== undefined) failures.push(signature);
  }
  const witnesses = await witnessFindings(note, packet.witnessKeys);
  failures.push(...witnesses.failures);

  return {
    ok: failures.length === 0,
    caseId: packet.caseId,
    events: packet.events.length,
    ...(checkpoint && {
      checkpoint: { origin: checkpoint.origin, size: checkpoint.size, root: base64OfBytes(checkpoint.root) },
    }),
    logKey: {
      text: packet.logKey,
      ...(logKey && { name: logKey.name, keyId: hexKeyId(logKey) }),
    },
    witnesses: witnesses.findings,
    cosigned: witnesses.findings.filter((finding) => finding.cosignedAt !== undefined).length,
    failures,
  };
}
