import { createHash, createPublicKey, verify } from 'node:crypto';
import canonicalize from 'canonicalize';

/**
 * An outsider's check of an evidence packet, written in the test from docs/log.md, RFC 8785, RFC 9162 §2.1.3.2
 * and C2SP signed-note / tlog-cosignature with node:crypto and `canonicalize` only: nothing of the project, so
 * the packet the route makes is never graded by the project's own checker alone. Resolves to the problems
 * found, in plain words; none means the packet checks.
 */

const sha256 = (...parts: Uint8Array[]) => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
};

function ed25519Verifies(publicKey: Buffer, message: Buffer, signature: Buffer): boolean {
  const key = createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: publicKey.toString('base64url') },
    format: 'jwk',
  });
  return verify(null, message, key, signature);
}

/** RFC 9162 §2.1.3.2. */
function inclusionHolds(
  leaf: Buffer,
  index: number,
  size: number,
  proof: readonly Buffer[],
  root: Buffer,
): boolean {
  if (index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = sha256(Buffer.from([1]), p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = sha256(Buffer.from([1]), r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && r.equals(root);
}

interface Vkey {
  name: string;
  keyId: Buffer;
  type: number;
  publicKey: Buffer;
}

function readVkey(text: string): Vkey {
  const [, name, hexId, material] = /^([^+]+)\+([0-9a-f]{8})\+(.+)$/.exec(text) ?? [];
  const bytes = Buffer.from(material ?? '', 'base64');
  if (name === undefined || bytes.length !== 33) throw new Error(`not a verifier key: ${text}`);
  const keyId = sha256(Buffer.from(`${name}\n`), bytes).subarray(0, 4);
  if (keyId.toString('hex') !== hexId) throw new Error(`the key ID of ${text} does not match`);
  return { name, keyId, type: bytes[0]!, publicKey: bytes.subarray(1) };
}

/** The signature lines of a note by this key that verify (type 0x01 plain, 0x04 cosignature/v1). */
function verifiedLines(note: string, key: Vkey): number {
  const split = note.lastIndexOf('\n\n');
  const text = note.slice(0, split + 1);
  let count = 0;
  for (const line of note
    .slice(split + 2)
    .split('\n')
    .filter(Boolean)) {
    const [dash, name, b64] = line.split(' ');
    if (dash !== '—' || name !== key.name || b64 === undefined) continue;
    const bytes = Buffer.from(b64, 'base64');
    if (!bytes.subarray(0, 4).equals(key.keyId)) continue;
    if (key.type === 0x01) {
      if (ed25519Verifies(key.publicKey, Buffer.from(text), bytes.subarray(4))) count++;
    } else if (key.type === 0x04 && bytes.length === 76) {
      const message = Buffer.from(`cosignature/v1\ntime ${bytes.readBigUInt64BE(4)}\n${text}`);
      if (ed25519Verifies(key.publicKey, message, bytes.subarray(12))) count++;
    }
  }
  return count;
}

export interface PacketLike {
  format: string;
  caseId: string;
  checkpoint: string;
  logKey: string;
  witnessKeys: string[];
  events: Array<
    Record<string, unknown> & { version: number; hash: string; prevHash: string; eventId: string }
  >;
  proofs: Array<{ eventId: string; index: number; hashes: string[] }>;
}

export function packetProblems(packet: PacketLike): { problems: string[]; size: number; cosigned: number } {
  const problems: string[] = [];
  if (packet.format !== 'detention-ledger-evidence/v1') problems.push(`format ${packet.format}`);
  const [, sizeLine, rootLine] = packet.checkpoint.split('\n');
  const size = Number(sizeLine);
  const root = Buffer.from(rootLine ?? '', 'base64');
  let previous = '0'.repeat(64);
  packet.events.forEach((event, at) => {
    const { hash, ...rest } = event;
    const recomputed = createHash('sha256').update(canonicalize(rest)!, 'utf8').digest('hex');
    if (recomputed !== hash) problems.push(`version ${event.version}: its hash does not match its content`);
    if (event.version !== at + 1) problems.push(`version ${event.version} at place ${at + 1}`);
    if (event.prevHash !== previous)
      problems.push(`version ${event.version}: prevHash is not the previous hash`);
    previous = hash;
    const proof = packet.proofs[at];
    if (proof?.eventId !== event.eventId) {
      problems.push(`version ${event.version}: no proof of its own`);
      return;
    }
    const leaf = sha256(Buffer.from([0]), Buffer.from(hash, 'hex'));
    const path = proof.hashes.map((b64) => Buffer.from(b64, 'base64'));
    if (!inclusionHolds(leaf, proof.index, size, path, root)) {
      problems.push(`version ${event.version}: its inclusion proof does not lead to the checkpoint's root`);
    }
  });
  if (packet.proofs.length !== packet.events.length) problems.push('not one proof per event');
  const logKey = readVkey(packet.logKey);
  if (logKey.type !== 0x01 || verifiedLines(packet.checkpoint, logKey) !== 1) {
    problems.push('the checkpoint has no valid signature by logKey');
  }
  const cosigned = packet.witnessKeys.filter(
    (text) => verifiedLines(packet.checkpoint, readVkey(text)) > 0,
  ).length;
  return { problems, size, cosigned };
}
