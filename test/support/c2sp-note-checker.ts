import { createHash, createPublicKey, verify } from 'node:crypto';

/*
 * An independent reading of C2SP signed-note, tlog-checkpoint and tlog-cosignature (cosignature/v1), written from
 * the specifications alone with node:crypto, importing nothing of the project: the project's checkpoints are
 * graded against this, so a misreading of the specs shared by the code and its own verifier still shows.
 */

export interface CheckedKey {
  readonly name: string;
  readonly idHex: string;
  readonly type: number;
  readonly key: Buffer;
}

export interface CheckedNote {
  /** The note text: everything up to and including the newline before the last blank line. */
  readonly text: string;
  /** Each signature line's key name and decoded bytes (key ID and signature). */
  readonly lines: ReadonlyArray<{ readonly name: string; readonly bytes: Buffer }>;
}

function base64(text: string): Buffer {
  const bytes = Buffer.from(text, 'base64');
  if (bytes.toString('base64') !== text) throw new Error(`not canonical padded base64: ${text}`);
  return bytes;
}

/** `<name>+<hex id>+<base64(type || key)>`, its ID checked against SHA-256(name || 0x0A || type || key)[:4]. */
export function readVkey(vkey: string): CheckedKey {
  const match = /^([^+\s]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/=]+)$/.exec(vkey);
  if (!match) throw new Error(`not a verifier key: ${vkey}`);
  const [, name, idHex, material] = match as unknown as [string, string, string, string];
  const bytes = base64(material);
  const type = bytes[0]!;
  const key = bytes.subarray(1);
  if (key.length !== 32) throw new Error('an Ed25519 key is 32 bytes');
  const id = createHash('sha256')
    .update(`${name}\n`)
    .update(Buffer.from([type]))
    .update(key)
    .digest()
    .subarray(0, 4)
    .toString('hex');
  if (id !== idHex) throw new Error(`key ID ${idHex} does not match ${id}`);
  return { name, idHex, type, key };
}

/** Splits a signed note at its last blank line; each line after it is `— <name> <base64>`. */
export function readNote(note: string): CheckedNote {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the spec forbids exactly these characters.
  if (/[\x00-\x09\x0b-\x1f]/.test(note)) throw new Error('a note holds no control characters but newlines');
  if (Buffer.from(note, 'utf8').toString('utf8') !== note) throw new Error('not valid UTF-8');
  const blank = note.lastIndexOf('\n\n');
  if (blank < 0 || !note.endsWith('\n')) throw new Error('no blank line before signatures');
  const text = note.substring(0, blank + 1);
  const signatureBlock = note.substring(blank + 2);
  const lines = signatureBlock
    .split('\n')
    .slice(0, -1)
    .map((line) => {
      const parts = /^\u2014 ([^\s+]+) ([A-Za-z0-9+/=]+)$/.exec(line);
      if (!parts) throw new Error(`not a signature line: ${line}`);
      return { name: parts[1]!, bytes: base64(parts[2]!) };
    });
  if (lines.length === 0) throw new Error('a signed note has at least one signature');
  return { text, lines };
}

function ed25519(key: Buffer, message: Buffer, signature: Buffer): boolean {
  // RFC 8410 SubjectPublicKeyInfo: the fixed 12-byte header of an Ed25519 key, then the 32 bytes.
  const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), key]);
  return verify(null, message, createPublicKey({ key: spki, format: 'der', type: 'spki' }), signature);
}

/**
 * Whether each line of `note` by `vkey` verifies (undefined when it has none): type 0x01 is Ed25519 over the
 * text; type 0x04 is cosignature/v1, a big-endian u64 time then Ed25519 over
 * `cosignature/v1\ntime <time>\n<text>`.
 */
export function signedBy(note: string, vkey: string): boolean | undefined {
  const { text, lines } = readNote(note);
  const key = readVkey(vkey);
  const own = lines.filter(
    (l) => l.name === key.name && l.bytes.subarray(0, 4).toString('hex') === key.idHex,
  );
  if (own.length === 0) return undefined;
  return own.every(({ bytes }) => {
    const signature = bytes.subarray(4);
    if (key.type === 0x01) return signature.length === 64 && ed25519(key.key, Buffer.from(text), signature);
    if (key.type !== 0x04 || signature.length !== 72) return false;
    const time = signature.readBigUInt64BE(0);
    const message = Buffer.from(`cosignature/v1\ntime ${time.toString(10)}\n${text}`);
    return ed25519(key.key, message, signature.subarray(8));
  });
}

/** The time of `vkey`'s cosignature/v1 line in `note`, in POSIX seconds. */
export function cosignedAt(note: string, vkey: string): bigint | undefined {
  const key = readVkey(vkey);
  const line = readNote(note).lines.find(
    (l) => l.name === key.name && l.bytes.subarray(0, 4).toString('hex') === key.idHex,
  );
  return line?.bytes.readBigUInt64BE(4);
}

/** A checkpoint's text: origin, size without leading zeros, a 32-byte base64 root, then non-empty extensions. */
export function readCheckpointText(text: string): { origin: string; size: bigint; root: Buffer } {
  const lines = text.split('\n');
  if (lines.pop() !== '' || lines.length < 3) throw new Error('a checkpoint has three newline-ended lines');
  const [origin, size, root] = lines as [string, string, string];
  if (origin === '' || !/^(0|[1-9][0-9]*)$/.test(size)) throw new Error('bad origin or size');
  const rootBytes = base64(root);
  if (rootBytes.length !== 32) throw new Error('a root hash is 32 bytes');
  if (lines.slice(3).includes('')) throw new Error('extension lines are not empty');
  return { origin, size: BigInt(size), root: rootBytes };
}
