import { createPublicKey, verify } from 'node:crypto';
import { checkKeyName, checkNoteCharacters, isKeyName } from './key-name.ts';
import { NoteFormatError } from './note-format-error.ts';
import { decodeBase64, encodeBase64 } from './strict-base64.ts';
import { keyIdOf, SIGNATURE_TYPE, type VerifierKey } from './verifier-key.ts';

/**
 * Signed notes (C2SP signed-note): a text ending in a newline, a blank line, and one or more lines
 * `— <key name> <base64(key ID || signature)>`. Parsing is strict so that what the ledger accepts from a witness
 * or an evidence packet is exactly what every other C2SP implementation would.
 */
export { NoteFormatError } from './note-format-error.ts';

export interface NoteSignature {
  readonly name: string;
  /** The 4-byte key ID the signature starts with. */
  readonly keyId: Uint8Array;
  /** The bytes after the key ID: 64 for Ed25519, 8 + 64 for cosignature/v1. */
  readonly signature: Uint8Array;
}

export interface Note {
  /** The note text, including its final newline, not the blank line after it. */
  readonly text: string;
  readonly signatures: readonly NoteSignature[];
}

/** The most signature lines a note may carry: the spec asks for at least 16; a checkpoint has one per witness. */
export const MAX_NOTE_SIGNATURES = 100;
/** The longest note accepted, in UTF-8 bytes: far above any checkpoint, low enough to refuse a flood. */
export const MAX_NOTE_BYTES = 1024 * 1024;

const DASH = '\u2014 ';

/** Signs a message with Ed25519 (pure, not prehashed): 64 bytes. Key files and KMS both answer this. */
export type SignMessage = (message: Uint8Array) => Promise<Uint8Array>;

/** @throws {NoteFormatError} when `text` cannot be the text of a signed note. */
export function checkNoteText(text: string): void {
  if (text.length === 0 || !text.endsWith('\n'))
    throw new NoteFormatError('a note text must end in a newline');
  checkNoteCharacters(text, 'the note text');
  if (Buffer.byteLength(text, 'utf8') > MAX_NOTE_BYTES) {
    throw new NoteFormatError(`a note is at most ${MAX_NOTE_BYTES} bytes`);
  }
}

function parseSignatureLine(line: string, number: number): NoteSignature {
  if (!line.startsWith(DASH)) {
    throw new NoteFormatError(`signature line ${number} does not start with an em dash and a space`);
  }
  const rest = line.slice(DASH.length);
  const space = rest.indexOf(' ');
  if (space < 0)
    throw new NoteFormatError(`signature line ${number} has no space between key name and signature`);
  const name = rest.slice(0, space);
  if (!isKeyName(name)) {
    throw new NoteFormatError(`signature line ${number} has a key name that is empty or holds spaces or "+"`);
  }
  const bytes = decodeBase64(rest.slice(space + 1));
  if (bytes === undefined) {
    throw new NoteFormatError(`signature line ${number}'s signature is not standard base64 with padding`);
  }
  if (bytes.length < 5) {
    throw new NoteFormatError(
      `signature line ${number}'s signature is too short to hold a key ID and a signature`,
    );
  }
  return { name, keyId: bytes.slice(0, 4), signature: bytes.slice(4) };
}

/**
 * Reads a signed note. The text ends at the last blank line; everything after it must be signature lines.
 *
 * @throws {NoteFormatError} saying what is off: control characters, a lone surrogate, no signature, a bad
 * line, more than {@link MAX_NOTE_SIGNATURES} signatures or {@link MAX_NOTE_BYTES} bytes.
 */
export function parseNote(note: string): Note {
  // Checked on the string's length first, so a huge input is refused before any scanning of it.
  if (note.length > MAX_NOTE_BYTES || Buffer.byteLength(note, 'utf8') > MAX_NOTE_BYTES) {
    throw new NoteFormatError(`a note is at most ${MAX_NOTE_BYTES} bytes`);
  }
  checkNoteCharacters(note, 'the note');
  if (!note.endsWith('\n')) throw new NoteFormatError('a signed note must end in a newline');
  const split = note.lastIndexOf('\n\n');
  if (split < 0)
    throw new NoteFormatError('a signed note needs a blank line between its text and its signatures');
  const text = note.slice(0, split + 1);
  const block = note.slice(split + 2);
  if (block.length === 0) throw new NoteFormatError('a signed note needs at least one signature line');
  const lines = block.slice(0, -1).split('\n');
  if (lines.length > MAX_NOTE_SIGNATURES) {
    throw new NoteFormatError(
      `a note may carry at most ${MAX_NOTE_SIGNATURES} signatures, this one has ${lines.length}`,
    );
  }
  return { text, signatures: lines.map((line, index) => parseSignatureLine(line, index + 1)) };
}

/**
 * Reads signature lines alone, as a witness answers `add-checkpoint` with them (tlog-witness): one or more
 * `— <name> <base64>` lines, each ending in a newline. Whether they verify is for {@link verifyNote} to say,
 * over the checkpoint's text.
 *
 * @throws {NoteFormatError} for anything else, or more than {@link MAX_NOTE_SIGNATURES} lines.
 */
export function parseSignatureLines(lines: string): NoteSignature[] {
  if (lines.length > MAX_NOTE_BYTES)
    throw new NoteFormatError(`signature lines are at most ${MAX_NOTE_BYTES} bytes`);
  checkNoteCharacters(lines, 'the signature lines');
  if (!lines.endsWith('\n')) throw new NoteFormatError('every signature line ends in a newline');
  const each = lines.slice(0, -1).split('\n');
  if (each.length > MAX_NOTE_SIGNATURES) {
    throw new NoteFormatError(`at most ${MAX_NOTE_SIGNATURES} signatures, not ${each.length}`);
  }
  return each.map((line, index) => parseSignatureLine(line, index + 1));
}

/** A signature line, `— <name> <base64(key ID || signature)>\n`. */
export function signatureLine(signature: NoteSignature): string {
  checkKeyName(signature.name);
  if (signature.keyId.length !== 4) throw new NoteFormatError('a key ID is 4 bytes');
  if (signature.signature.length === 0) throw new NoteFormatError('a signature cannot be empty');
  const bytes = new Uint8Array(4 + signature.signature.length);
  bytes.set(signature.keyId, 0);
  bytes.set(signature.signature, 4);
  return `${DASH}${signature.name} ${encodeBase64(bytes)}\n`;
}

/**
 * Writes a note: its text, a blank line and its signature lines in order.
 *
 * @throws {NoteFormatError} when the text or a signature could not be read back by {@link parseNote}.
 */
export function formatNote(note: Note): string {
  checkNoteText(note.text);
  if (note.signatures.length === 0) throw new NoteFormatError('a signed note needs at least one signature');
  if (note.signatures.length > MAX_NOTE_SIGNATURES) {
    throw new NoteFormatError(`a note may carry at most ${MAX_NOTE_SIGNATURES} signatures`);
  }
  return `${note.text}\n${note.signatures.map(signatureLine).join('')}`;
}

const ED25519_SIGNATURE_LENGTH = 64;

/** Calls `sign` and checks it answered an Ed25519 signature, so a broken signer fails here, not at a verifier. */
export async function ed25519Signature(sign: SignMessage, message: Uint8Array): Promise<Uint8Array> {
  const signature = await sign(message);
  if (!(signature instanceof Uint8Array) || signature.length !== ED25519_SIGNATURE_LENGTH) {
    throw new Error(
      `the signer answered ${signature?.length ?? 'no'} bytes, not a 64-byte Ed25519 signature`,
    );
  }
  return signature;
}

/** The log's signature (type 0x01, Ed25519 over the note text) of `text` by `key`. */
export async function signNote(
  text: string,
  key: { name: string; publicKey: Uint8Array; sign: SignMessage },
): Promise<NoteSignature> {
  checkNoteText(text);
  const keyId = keyIdOf(key.name, SIGNATURE_TYPE.ed25519, key.publicKey);
  const signature = await ed25519Signature(key.sign, Buffer.from(text, 'utf8'));
  return { name: key.name, keyId, signature };
}

export interface NoteVerification {
  /** The keys that signed the note, every one of their signature lines verifying. */
  readonly verified: readonly VerifierKey[];
  /** The keys with a signature line (name and key ID theirs) that does not verify: the note is not to be trusted. */
  readonly failed: readonly VerifierKey[];
}

/** The raw Ed25519 public key as a node:crypto key, through its JWK form (RFC 8037). */
function ed25519PublicKey(publicKey: Uint8Array) {
  return createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(publicKey).toString('base64url') },
    format: 'jwk',
  });
}

/** Ed25519 verification that answers false, never throws, for a key or signature of the wrong shape. */
export function ed25519Verifies(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (signature.length !== ED25519_SIGNATURE_LENGTH || publicKey.length !== 32) return false;
  try {
    return verify(null, message, ed25519PublicKey(publicKey), signature);
  } catch {
    return false;
  }
}

const MAX_TIMESTAMP = (1n << 63n) - 1n;

function signedMessage(key: VerifierKey, text: string, signature: Uint8Array) {
  if (key.type === SIGNATURE_TYPE.ed25519) return { message: Buffer.from(text, 'utf8'), signature };
  // cosignature/v1: u64 big-endian timestamp, then Ed25519 over the header, the time line and the text.
  if (signature.length !== 8 + ED25519_SIGNATURE_LENGTH) return undefined;
  const timestamp = Buffer.from(signature.subarray(0, 8)).readBigUInt64BE();
  if (timestamp > MAX_TIMESTAMP) return undefined;
  return {
    message: Buffer.from(`cosignature/v1\ntime ${timestamp}\n${text}`, 'utf8'),
    signature: signature.subarray(8),
  };
}

const sameBytes = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

/**
 * Checks a note's signatures against the keys trusted for it (type 0x01 Ed25519 and 0x04 cosignature/v1).
 * A signature line counts for a key when both its name and key ID are the key's; others are ignored, as the
 * spec requires. The caller decides what to trust: a note with anything in `failed` should be rejected, one
 * with nothing in `verified` must be.
 */
export function verifyNote(note: Note, keys: readonly VerifierKey[]): NoteVerification {
  const verified: VerifierKey[] = [];
  const failed: VerifierKey[] = [];
  for (const key of keys) {
    const lines = note.signatures.filter((s) => s.name === key.name && sameBytes(s.keyId, key.keyId));
    if (lines.length === 0) continue;
    const allVerify = lines.every((line) => {
      const signed = signedMessage(key, note.text, line.signature);
      return signed !== undefined && ed25519Verifies(key.publicKey, signed.message, signed.signature);
    });
    (allVerify ? verified : failed).push(key);
  }
  return { verified, failed };
}
