import { NoteFormatError } from './note-format-error.ts';
import { checkNoteText, ed25519Signature, type NoteSignature, type SignMessage } from './signed-note.ts';
import { keyIdOf, SIGNATURE_TYPE } from './verifier-key.ts';

/**
 * Ed25519 cosignatures (C2SP tlog-cosignature, `cosignature/v1`, signature type 0x04): a witness's statement
 * that, at a time, this checkpoint is the largest consistent one it has seen of the log.
 */

function checkTimestamp(timestamp: number): void {
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new NoteFormatError(`a cosignature's timestamp is whole seconds since the epoch, not ${timestamp}`);
  }
}

/** What a cosigner signs: `cosignature/v1\ntime <timestamp>\n` followed by the checkpoint's note text. */
export function cosignatureMessage(noteText: string, timestamp: number): Uint8Array {
  checkNoteText(noteText);
  checkTimestamp(timestamp);
  return Buffer.from(`cosignature/v1\ntime ${timestamp}\n${noteText}`, 'utf8');
}

/**
 * A cosignature of `noteText` at `timestamp` (POSIX seconds after the epoch, given by the caller: domain reads no
 * clock):
 * the key ID of type 0x04, and as signature the 8-byte big-endian timestamp then the Ed25519 signature.
 */
export async function cosign(
  noteText: string,
  timestamp: number,
  key: { name: string; publicKey: Uint8Array; sign: SignMessage },
): Promise<NoteSignature> {
  const message = cosignatureMessage(noteText, timestamp);
  // tlog-witness: a witness's cosignature must not omit the time; a zero here is a clock that was never read.
  if (timestamp === 0) throw new NoteFormatError("a cosignature's timestamp must be after the epoch, not 0");
  const keyId = keyIdOf(key.name, SIGNATURE_TYPE.cosignatureV1, key.publicKey);
  const signature = await ed25519Signature(key.sign, message);
  const bytes = Buffer.alloc(8 + signature.length);
  bytes.writeBigUInt64BE(BigInt(timestamp), 0);
  bytes.set(signature, 8);
  return { name: key.name, keyId, signature: new Uint8Array(bytes) };
}

/**
 * The time a cosignature/v1 signature says it was made, in POSIX seconds.
 *
 * @throws {NoteFormatError} when the signature is not 8 + 64 bytes or its time is past 2^53 - 1.
 */
export function cosignatureTime(signature: NoteSignature): number {
  if (signature.signature.length !== 72) {
    throw new NoteFormatError(
      'a cosignature/v1 signature is 72 bytes: an 8-byte time and a 64-byte signature',
    );
  }
  const time = Buffer.from(signature.signature.subarray(0, 8)).readBigUInt64BE();
  if (time > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new NoteFormatError(`the cosignature's time ${time} is beyond any date this ledger can hold`);
  }
  return Number(time);
}
