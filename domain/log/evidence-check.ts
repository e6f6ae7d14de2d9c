import { hashEvent, verifyChain } from '../hash-chain.ts';
import type { StoredEvent } from '../stored-event.ts';
import { type Checkpoint, parseCheckpoint } from './checkpoint.ts';
import { cosignatureTime } from './cosignature.ts';
import { entryOfEventHash } from './entry-bundles.ts';
import type { EvidencePacket } from './evidence-packet.ts';
import { NoteFormatError } from './note-format-error.ts';
import { verifyInclusion } from './proof-checks.ts';
import { type Note, parseNote, verifyNote } from './signed-note.ts';
import { decodeBase64, encodeBase64 } from './strict-base64.ts';
import { leafHashOf } from './tree-hashing.ts';
import { parseVerifierKey, SIGNATURE_TYPE, type VerifierKey } from './verifier-key.ts';

/**
 * The check of an evidence packet with the ledger's own domain code (docs/log.md, "Evidence packets"): the
 * hash chain as `verify` recomputes it, each event's inclusion proof against the checkpoint's root and size,
 * the log's signature of the checkpoint, and the witnesses' cosignatures. It needs no ledger and no network:
 * everything it checks against is in the packet, and the reader compares the keys with the published ones.
 */

/** One check that did not hold, and where. */
export type EvidenceFailure =
  /** The chain breaks at this version: the event's hash, its link to the one before, or its place. */
  | { readonly check: 'chain'; readonly version: number; readonly reason: 'event_hash' | 'link' | 'order' }
  | { readonly check: 'other_case'; readonly version: number; readonly streamId: string }
  /** The event's inclusion proof does not lead from its entry to the checkpoint's root at its size. */
  | { readonly check: 'inclusion'; readonly version: number; readonly index: number }
  | { readonly check: 'checkpoint'; readonly detail: string }
  | { readonly check: 'log_key'; readonly detail: string }
  /** The checkpoint is of another log than the one the key is named for. */
  | { readonly check: 'origin'; readonly origin: string; readonly keyName: string }
  /** No signature by the log's key, or one that does not verify. */
  | { readonly check: 'log_signature'; readonly found: 'none' | 'invalid' }
  | { readonly check: 'witness_key'; readonly key: string; readonly detail: string }
  /** A cosignature by a listed witness is on the checkpoint and does not verify. */
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
  readonly checkpoint?: { readonly origin: string; readonly size: number; readonly root: string };
  readonly logKey: { readonly text: string; readonly name?: string; readonly keyId?: string };
  readonly witnesses: readonly WitnessFinding[];
  readonly cosigned: number;
  /** In the order the checks run: the chain, the proofs, the checkpoint, the witnesses. */
  readonly failures: readonly EvidenceFailure[];
}

const detailOf = (error: unknown): string => {
  if (error instanceof NoteFormatError) return error.message;
  throw error;
};

function chainFailures(packet: EvidencePacket): EvidenceFailure[] {
  const failures: EvidenceFailure[] = [];
  for (const event of packet.events) {
    if (event.streamId !== packet.caseId)
      failures.push({ check: 'other_case', version: event.version, streamId: event.streamId });
  }
  // The parser let no field through that the hash does not cover, so this is the ledger's stored event.
  const events = packet.events as unknown as readonly StoredEvent[];
  const chain = verifyChain(events);
  if (chain.brokenAt !== undefined) {
    const event = events[chain.brokenAt - 1];
    const reason =
      event === undefined || event.version !== chain.brokenAt
        ? 'order'
        : hashEvent(event) !== event.hash
          ? 'event_hash'
          : 'link';
    failures.push({ check: 'chain', version: chain.brokenAt, reason });
  }
  return failures;
}

function inclusionFailures(packet: EvidencePacket, checkpoint: Checkpoint): EvidenceFailure[] {
  return packet.events.flatMap((event, at): EvidenceFailure[] => {
    const proof = packet.proofs[at];
    if (proof === undefined) return [{ check: 'inclusion', version: event.version, index: -1 }];
    const path = proof.hashes.map(decodeBase64);
    const holds =
      path.every((step) => step?.length === 32) &&
      proof.index < checkpoint.size &&
      verifyInclusion(
        leafHashOf(entryOfEventHash(event.hash)),
        proof.index,
        checkpoint.size,
        path as Uint8Array[],
        checkpoint.root,
      );
    return holds ? [] : [{ check: 'inclusion', version: event.version, index: proof.index }];
  });
}

function witnessFindings(
  note: Note | undefined,
  keys: readonly string[],
): { findings: WitnessFinding[]; failures: EvidenceFailure[] } {
  const findings: WitnessFinding[] = [];
  const failures: EvidenceFailure[] = [];
  for (const text of keys) {
    let key: VerifierKey;
    try {
      key = parseVerifierKey(text);
      if (key.type !== SIGNATURE_TYPE.cosignatureV1)
        throw new NoteFormatError('a witness key is of type 0x04 (cosignature/v1)');
    } catch (error) {
      failures.push({ check: 'witness_key', key: text, detail: detailOf(error) });
      findings.push({ key: text });
      continue;
    }
    const verification = note === undefined ? undefined : verifyNote(note, [key]);
    if (verification?.failed.length) failures.push({ check: 'cosignature', witness: key.name });
    const line = note?.signatures.find(
      (signature) => signature.name === key.name && Buffer.from(signature.keyId).equals(key.keyId),
    );
    const cosignedAt = verification?.verified.length && line ? cosignatureTime(line) : undefined;
    findings.push({ key: text, name: key.name, ...(cosignedAt !== undefined && { cosignedAt }) });
  }
  return { findings, failures };
}

/** Checks a packet `readEvidencePacket` has read; every check runs, so all that fails is said. */
export function checkEvidence(packet: EvidencePacket): EvidenceVerdict {
  const failures: EvidenceFailure[] = chainFailures(packet);

  let logKey: VerifierKey | undefined;
  try {
    logKey = parseVerifierKey(packet.logKey);
    if (logKey.type !== SIGNATURE_TYPE.ed25519) {
      logKey = undefined;
      throw new NoteFormatError("the log's key is of type 0x01 (Ed25519)");
    }
  } catch (error) {
    failures.push({ check: 'log_key', detail: detailOf(error) });
  }

  let note: Note | undefined;
  let checkpoint: Checkpoint | undefined;
  try {
    note = parseNote(packet.checkpoint);
    checkpoint = parseCheckpoint(note.text);
  } catch (error) {
    note = undefined;
    failures.push({ check: 'checkpoint', detail: detailOf(error) });
  }

  if (checkpoint !== undefined) failures.push(...inclusionFailures(packet, checkpoint));
  if (note !== undefined && checkpoint !== undefined && logKey !== undefined) {
    if (checkpoint.origin !== logKey.name)
      failures.push({ check: 'origin', origin: checkpoint.origin, keyName: logKey.name });
    const { verified, failed } = verifyNote(note, [logKey]);
    // The spec: a signature by a known key that fails rejects the note, even beside one that holds.
    if (failed.length > 0) failures.push({ check: 'log_signature', found: 'invalid' });
    else if (verified.length === 0) failures.push({ check: 'log_signature', found: 'none' });
  }
  const witnesses = witnessFindings(note, packet.witnessKeys);
  failures.push(...witnesses.failures);

  return {
    ok: failures.length === 0,
    caseId: packet.caseId,
    events: packet.events.length,
    ...(checkpoint && {
      checkpoint: { origin: checkpoint.origin, size: checkpoint.size, root: encodeBase64(checkpoint.root) },
    }),
    logKey: {
      text: packet.logKey,
      ...(logKey && { name: logKey.name, keyId: Buffer.from(logKey.keyId).toString('hex') }),
    },
    witnesses: witnesses.findings,
    cosigned: witnesses.findings.filter((finding) => finding.cosignedAt !== undefined).length,
    failures,
  };
}
