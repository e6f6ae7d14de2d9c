import { createHash, createPublicKey, verify } from 'node:crypto';

/**
 * Grades cosignature/v1 lines as C2SP tlog-cosignature and signed-note define them, independently of the
 * project's code (node:crypto only): the line's name and key ID must be the witness's (SHA-256 of name, a
 * newline, 0x04 and the key, first 4 bytes), then a big-endian u64 timestamp and an Ed25519 signature over
 * `cosignature/v1\ntime <ts>\n` and the note text.
 */

export interface WitnessVkey {
  readonly name: string;
  readonly keyId: Buffer;
  readonly publicKey: Buffer;
}

/** Reads a type 0x04 verifier key `<name>+<hex id>+<base64(0x04 || key)>`, checking its key ID. */
export function readWitnessVkey(vkey: string): WitnessVkey {
  // The name and the hex ID hold no `+`; base64 may.
  const [, name, hexId, material] = /^([^+]*)\+([^+]*)\+(.*)$/.exec(vkey) ?? [];
  const bytes = Buffer.from(material ?? '', 'base64');
  if (name === undefined || hexId === undefined || bytes.length !== 33 || bytes[0] !== 0x04) {
    throw new Error(`not a cosignature/v1 verifier key: ${vkey}`);
  }
  const publicKey = bytes.subarray(1);
  const keyId = createHash('sha256').update(`${name}\n`).update(bytes).digest().subarray(0, 4);
  if (keyId.toString('hex') !== hexId) throw new Error(`the key ID of ${vkey} does not match its key`);
  return { name, keyId, publicKey };
}

/** The timestamp of a valid cosignature line of this witness on this note text, or undefined when not valid. */
export function cosignatureTimestamp(
  noteText: string,
  line: string,
  witness: WitnessVkey,
): number | undefined {
  const match = /^— (\S+) ([A-Za-z0-9+/=]+)\n?$/.exec(line);
  if (match === null || match[1] !== witness.name) return undefined;
  const bytes = Buffer.from(match[2]!, 'base64');
  if (bytes.length !== 4 + 8 + 64 || !bytes.subarray(0, 4).equals(witness.keyId)) return undefined;
  const timestamp = bytes.readBigUInt64BE(4);
  const message = Buffer.from(`cosignature/v1\ntime ${timestamp}\n${noteText}`, 'utf8');
  const key = createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: witness.publicKey.toString('base64url') },
    format: 'jwk',
  });
  return verify(null, message, key, bytes.subarray(12)) ? Number(timestamp) : undefined;
}

/** The note text of a signed note (everything up to and including the line before the blank line). */
export function noteTextOf(note: string): string {
  const at = note.lastIndexOf('\n\n');
  return note.slice(0, at + 1);
}

/** The signature lines of a signed note, each with its newline. */
export function signatureLinesOf(note: string): string[] {
  const at = note.lastIndexOf('\n\n');
  return note
    .slice(at + 2)
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => `${line}\n`);
}
