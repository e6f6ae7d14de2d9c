import { createHash } from 'node:crypto';
import { checkKeyName } from './key-name.ts';
import { NoteFormatError } from './note-format-error.ts';
import { decodeBase64, encodeBase64 } from './strict-base64.ts';

/**
 * Signed-note verifier keys (C2SP signed-note, "Verifier keys"): `<name>+<hex key ID>+<base64(type || key)>`.
 * Only the two Ed25519 types the ledger uses: 0x01 for the log's own signature on its checkpoints and 0x04 for
 * witnesses' cosignature/v1 (C2SP tlog-cosignature), so a key of any other type is refused, not ignored.
 */
export const SIGNATURE_TYPE = { ed25519: 0x01, cosignatureV1: 0x04 } as const;

export type SignatureType = (typeof SIGNATURE_TYPE)[keyof typeof SIGNATURE_TYPE];

export interface VerifierKey {
  readonly name: string;
  /** The 4-byte key ID, as it starts every signature by this key. */
  readonly keyId: Uint8Array;
  readonly type: SignatureType;
  /** The 32-byte Ed25519 public key (RFC 8032 encoding). */
  readonly publicKey: Uint8Array;
}

const ED25519_KEY_LENGTH = 32;

function checkPublicKey(publicKey: Uint8Array): void {
  if (publicKey.length !== ED25519_KEY_LENGTH) {
    throw new NoteFormatError(
      `an Ed25519 public key is ${ED25519_KEY_LENGTH} bytes, this one is ${publicKey.length}`,
    );
  }
}

function checkType(type: number): asserts type is SignatureType {
  if (type !== SIGNATURE_TYPE.ed25519 && type !== SIGNATURE_TYPE.cosignatureV1) {
    throw new NoteFormatError(
      `signature type 0x${type.toString(16).padStart(2, '0')} is not one this ledger uses (0x01 Ed25519, 0x04 cosignature/v1)`,
    );
  }
}

/** `SHA-256(name || 0x0A || type || public key)[:4]`, the key ID signed-note recommends and cosignature/v1 requires. */
export function keyIdOf(name: string, type: SignatureType, publicKey: Uint8Array): Uint8Array {
  checkKeyName(name);
  checkType(type);
  checkPublicKey(publicKey);
  const digest = createHash('sha256')
    .update(Buffer.from(name, 'utf8'))
    .update(Uint8Array.of(0x0a, type))
    .update(publicKey)
    .digest();
  return new Uint8Array(digest.subarray(0, 4));
}

/** The verifier key of a public key, as `GET /log/key` serves it and `LOG_WITNESSES` names a witness. */
export function formatVerifierKey(name: string, type: SignatureType, publicKey: Uint8Array): string {
  const keyId = keyIdOf(name, type, publicKey);
  const material = new Uint8Array(1 + publicKey.length);
  material[0] = type;
  material.set(publicKey, 1);
  return `${name}+${Buffer.from(keyId).toString('hex')}+${encodeBase64(material)}`;
}

/**
 * Reads a verifier key, checking that its key ID is the one its name, type and key give: a key whose parts
 * disagree was mistyped or tampered with, and would silently never verify anything.
 *
 * @throws {NoteFormatError} saying what is off.
 */
export function parseVerifierKey(text: string): VerifierKey {
  if (text.length > 1024) throw new NoteFormatError('a verifier key is at most 1024 characters');
  const first = text.indexOf('+');
  const second = first < 0 ? -1 : text.indexOf('+', first + 1);
  if (second < 0) {
    throw new NoteFormatError('a verifier key has three parts separated by "+": name, key ID and key');
  }
  const name = text.slice(0, first);
  const idHex = text.slice(first + 1, second);
  const encoded = text.slice(second + 1);
  checkKeyName(name);
  if (!/^[0-9a-f]{8}$/.test(idHex)) {
    throw new NoteFormatError(
      `the key ID of a verifier key is 8 lowercase hex digits, not ${JSON.stringify(idHex)}`,
    );
  }
  const material = decodeBase64(encoded);
  if (material === undefined || material.length === 0) {
    throw new NoteFormatError('the key part of a verifier key is not standard base64 with padding');
  }
  const type = material[0]!;
  checkType(type);
  const publicKey = material.slice(1);
  checkPublicKey(publicKey);
  const keyId = keyIdOf(name, type, publicKey);
  if (Buffer.from(keyId).toString('hex') !== idHex) {
    throw new NoteFormatError(
      `the verifier key's ID ${idHex} is not the one its name and key give (${Buffer.from(keyId).toString('hex')})`,
    );
  }
  return { name, keyId, type, publicKey };
}
