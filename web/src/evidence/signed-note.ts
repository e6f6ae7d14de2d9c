import {
  type Bytes,
  bytesOfBase64,
  bytesOfHex,
  concatBytes,
  hexOfBytes,
  sameBytes,
  sha256,
  utf8,
} from './bytes.ts';

/**
 * C2SP signed-note, tlog-checkpoint and tlog-cosignature, as far as checking an evidence packet needs: read a
 * note and its signature lines, read verifier keys, and verify Ed25519 (type 0x01) and cosignature/v1 (type
 * 0x04) signatures with Web Crypto.
 */

export const ED25519 = 0x01;
export const COSIGNATURE_V1 = 0x04;

export interface VerifierKey {
  /** The key's name: for a log, its origin. */
  readonly name: string;
  readonly keyId: Bytes;
  readonly type: number;
  readonly publicKey: Bytes;
  /** The key as given, for the reader to compare with the one its owner publishes. */
  readonly text: string;
}

export interface NoteSignature {
  readonly name: string;
  readonly keyId: Bytes;
  /** The bytes after the key id. */
  readonly signature: Bytes;
}

export interface Note {
  /** The signed text, with its final newline. */
  readonly text: string;
  readonly signatures: readonly NoteSignature[];
}

export interface Checkpoint {
  readonly origin: string;
  readonly size: number;
  readonly root: Bytes;
}

/** Why a note, a checkpoint or a key cannot be read (the words are the page's, under `evidence:note.*`). */
export type NoteProblem =
  | 'control_character'
  | 'no_signatures'
  | 'bad_signature_line'
  | 'bad_checkpoint'
  | 'bad_key'
  | 'key_id_mismatch';

export class NoteError extends Error {
  constructor(readonly problem: NoteProblem) {
    super(problem);
    this.name = 'NoteError';
  }
}

// A key name is not empty and holds no Unicode space and no plus.
const KEY_NAME = /^[^\s+]+$/u;
const SIGNATURE_LINE = /^— ([^\s+]+) ([A-Za-z0-9+/=]+)$/u;
const DECIMAL = /^(?:0|[1-9][0-9]*)$/;

/** Below U+0020 (the spec's ASCII control characters) other than the newline. */
function holdsControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 && code !== 0x0a) return true;
  }
  return false;
}

/** Reads a signed note: the text up to its last blank line, then one signature line per line after it. */
export function parseNote(note: string): Note {
  // Lone surrogates cannot be UTF-8, and no control character but the newline may appear.
  if (holdsControlCharacter(note) || /\p{Cs}/u.test(note)) throw new NoteError('control_character');
  const split = note.lastIndexOf('\n\n');
  if (split < 0 || !note.endsWith('\n')) throw new NoteError('no_signatures');
  const text = note.slice(0, split + 1);
  const lines = note.slice(split + 2, -1).split('\n');
  const signatures = lines.map((line) => {
    const match = SIGNATURE_LINE.exec(line);
    const bytes = match?.[2] === undefined ? undefined : bytesOfBase64(match[2]);
    if (match?.[1] === undefined || bytes === undefined || bytes.length < 5)
      throw new NoteError('bad_signature_line');
    return { name: match[1], keyId: bytes.slice(0, 4), signature: bytes.slice(4) };
  });
  if (signatures.length === 0) throw new NoteError('no_signatures');
  return { text, signatures };
}

/** The note text of a checkpoint: origin, decimal size, base64 root; extension lines may follow. */
export function parseCheckpoint(text: string): Checkpoint {
  const [origin, size, root, ...rest] = text.split('\n');
  const rootBytes = root === undefined ? undefined : bytesOfBase64(root);
  const treeSize = size !== undefined && DECIMAL.test(size) ? Number(size) : Number.NaN;
  if (
    origin === undefined ||
    origin === '' ||
    !Number.isSafeInteger(treeSize) ||
    rootBytes?.length !== 32 ||
    // What follows the root: non-empty extension lines, then the final newline's empty remainder.
    rest.at(-1) !== '' ||
    rest.slice(0, -1).some((line) => line === '')
  )
    throw new NoteError('bad_checkpoint');
  return { origin, size: treeSize, root: rootBytes };
}

async function keyIdOf(name: string, type: number, publicKey: Uint8Array): Promise<Bytes> {
  return (await sha256(utf8(`${name}\n`), Uint8Array.of(type), publicKey)).slice(0, 4);
}

/** `<name>+<hex key id>+<base64(type || public key)>`, its key id recomputed and held to what it says. */
export async function parseVerifierKey(text: string, type: number): Promise<VerifierKey> {
  // The base64 part may itself hold plus signs; the name and the hex id hold none.
  const match = /^([^+]*)\+([^+]*)\+(.*)$/su.exec(text);
  const [, name, hexId, material] = match ?? [];
  const keyId = hexId?.length === 8 ? bytesOfHex(hexId) : undefined;
  const bytes = material === undefined ? undefined : bytesOfBase64(material);
  if (name === undefined || !KEY_NAME.test(name) || keyId === undefined || bytes === undefined)
    throw new NoteError('bad_key');
  if (bytes[0] !== type || bytes.length !== 33) throw new NoteError('bad_key');
  const publicKey = bytes.slice(1);
  if (!sameBytes(await keyIdOf(name, type, publicKey), keyId)) throw new NoteError('key_id_mismatch');
  return { name, keyId, type, publicKey, text };
}

async function ed25519Verifies(publicKey: Bytes, signature: Bytes, message: Bytes): Promise<boolean> {
  if (signature.length !== 64) return false;
  try {
    const key = await crypto.subtle.importKey('raw', publicKey, { name: 'Ed25519' }, false, ['verify']);
    return await crypto.subtle.verify({ name: 'Ed25519' }, key, signature, message);
  } catch (error) {
    // A browser without Ed25519 cannot check at all, which is not the same as a signature that fails.
    if (error instanceof DOMException && error.name === 'NotSupportedError') throw error;
    // A public key that is not a point of the curve verifies nothing.
    return false;
  }
}

/** The signatures of a note made by this key: same name and key id (others are ignored, as the spec says). */
export function signaturesBy(note: Note, key: VerifierKey): NoteSignature[] {
  return note.signatures.filter(
    (signature) => signature.name === key.name && sameBytes(signature.keyId, key.keyId),
  );
}

/** Whether an Ed25519 (type 0x01) signature of the note's text by this key holds. */
export function logSignatureHolds(note: Note, key: VerifierKey, signature: NoteSignature): Promise<boolean> {
  return ed25519Verifies(key.publicKey, signature.signature, utf8(note.text));
}

/**
 * A cosignature/v1 (type 0x04): an 8-byte big-endian timestamp, then the Ed25519 signature of
 * `cosignature/v1\ntime <timestamp>\n` followed by the note text. Resolves with the timestamp when it holds.
 */
export async function cosignatureTime(
  note: Note,
  key: VerifierKey,
  signature: NoteSignature,
): Promise<number | undefined> {
  if (signature.signature.length !== 8 + 64) return undefined;
  const time = new DataView(signature.signature.buffer, signature.signature.byteOffset, 8).getBigUint64(0);
  if (time > BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
  const message = concatBytes(utf8(`cosignature/v1\ntime ${time}\n`), utf8(note.text));
  const holds = await ed25519Verifies(key.publicKey, signature.signature.slice(8), message);
  return holds ? Number(time) : undefined;
}

export const hexKeyId = (key: VerifierKey): string => hexOfBytes(key.keyId);
