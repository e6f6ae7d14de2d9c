import {
  createCipheriv,
  createHash,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  randomUUID,
  sign,
} from 'node:crypto';
import canonicalize from 'canonicalize';

/**
 * Evidence packets as docs/log.md describes them, built from invented events with node:crypto and
 * `canonicalize` alone: its own RFC 8785 event hashes, its own RFC 6962 tree and proofs, its own Ed25519
 * signed notes and cosignatures. It imports nothing of the project, so a packet it makes grades the project's
 * checkers rather than agreeing with them by construction.
 */

const sha256 = (...parts: Uint8Array[]) => createHash('sha256').update(Buffer.concat(parts)).digest();
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const GENESIS = '0'.repeat(64);

export interface MadeKey {
  readonly name: string;
  readonly publicKey: Buffer;
  readonly privateKey: KeyObject;
  /** `<name>+<hex key id>+<base64(type || public key)>` */
  readonly verifierKey: string;
}

function rawPublicKey(key: KeyObject): Buffer {
  // The SPKI of an Ed25519 key is a fixed 12-byte header followed by the 32 raw bytes (RFC 8410).
  return key.export({ format: 'der', type: 'spki' }).subarray(12);
}

/** An Ed25519 key named `name`, of signed-note type 0x01 (a log) or 0x04 (a witness's cosignature/v1). */
export function makeKey(name: string, type: 0x01 | 0x04): MadeKey {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const raw = rawPublicKey(publicKey);
  const keyId = sha256(Buffer.from(`${name}\n`), Buffer.from([type]), raw).subarray(0, 4);
  const verifierKey = `${name}+${keyId.toString('hex')}+${b64(Buffer.concat([Buffer.from([type]), raw]))}`;
  return { name, publicKey: raw, privateKey, verifierKey };
}

function keyIdOf(key: MadeKey, type: 0x01 | 0x04): Buffer {
  return sha256(Buffer.from(`${key.name}\n`), Buffer.from([type]), key.publicKey).subarray(0, 4);
}

/** `— <name> base64(key id || Ed25519 signature of the note text)` */
export function logSignatureLine(text: string, key: MadeKey): string {
  const signature = sign(null, Buffer.from(text, 'utf8'), key.privateKey);
  return `— ${key.name} ${b64(Buffer.concat([keyIdOf(key, 0x01), signature]))}\n`;
}

/** `— <name> base64(key id || u64 BE timestamp || signature of "cosignature/v1\ntime <t>\n" + text)` */
export function cosignatureLine(text: string, key: MadeKey, timestamp: number): string {
  const message = Buffer.from(`cosignature/v1\ntime ${timestamp}\n${text}`, 'utf8');
  const time = Buffer.alloc(8);
  time.writeBigUInt64BE(BigInt(timestamp));
  const signature = sign(null, message, key.privateKey);
  return `— ${key.name} ${b64(Buffer.concat([keyIdOf(key, 0x04), time, signature]))}\n`;
}

// RFC 6962 §2.1, the plain recursive way: the split is the largest power of two below n.
const leafHash = (entry: Uint8Array) => sha256(Buffer.from([0]), entry);
const nodeHash = (left: Uint8Array, right: Uint8Array) => sha256(Buffer.from([1]), left, right);

function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

export function treeHash(leaves: readonly Buffer[]): Buffer {
  if (leaves.length === 0) return sha256();
  if (leaves.length === 1) return leaves[0]!;
  const k = split(leaves.length);
  return nodeHash(treeHash(leaves.slice(0, k)), treeHash(leaves.slice(k)));
}

/** RFC 6962 §2.1.1 PATH(m, D[n]): the audit path of leaf m, lowest sibling first. */
export function auditPath(m: number, leaves: readonly Buffer[]): Buffer[] {
  if (leaves.length <= 1) return [];
  const k = split(leaves.length);
  return m < k
    ? [...auditPath(m, leaves.slice(0, k)), treeHash(leaves.slice(k))]
    : [...auditPath(m - k, leaves.slice(k)), treeHash(leaves.slice(0, k))];
}

type Json = Record<string, unknown>;

/** A box of sealed text as the ledger stores it: AES-256-GCM under a key that is then thrown away. */
function sealedBox(plain: string): { alg: 'A256GCM'; iv: string; ciphertext: string } {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', randomBytes(32), iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return { alg: 'A256GCM', iv: iv.toString('base64url'), ciphertext: body.toString('base64url') };
}

const source = () => [{ title: sealedBox('Invented test report'), publisher: 'Example Monitor' }];

/** The content of an invented case's events: an opening (its subject sealed), then detention and visits. */
function storyContents(count: number, erased: boolean): Json[] {
  const contents: Json[] = [
    {
      type: 'CaseOpened',
      occurredAt: '2025-07-01T09:00:00Z',
      sources: source(),
      note: sealedBox('Opened after a call from an invented relative'),
      data: {
        subject: { nationality: 'Utopia', sealed: sealedBox('{"name":"Ada Example","birthYear":1990}') },
        group: 'demo-riverside',
      },
    },
    {
      type: 'Detained',
      occurredAt: '2025-06-30',
      sources: source(),
      data: { place: 'Capital', facility: 'Central Remand Prison' },
    },
  ];
  const visits = count - contents.length - (erased ? 1 : 0);
  for (let visit = 0; visit < visits; visit++) {
    const day = new Date(Date.UTC(2025, 6, 2 + visit)).toISOString().slice(0, 10);
    contents.push({
      type: 'ConsularVisit',
      occurredAt: day,
      sources: source(),
      data: { by: 'Embassy of Utopia' },
    });
  }
  if (erased)
    contents.push({
      type: 'Erased',
      occurredAt: '2025-09-01T12:00:00Z',
      sources: [{ title: 'Erasure request of the invented person', publisher: 'Example Monitor' }],
      data: { reason: 'The person asked to be forgotten' },
    });
  return contents.slice(0, count);
}

/** Chains contents into stored events: each hash is SHA-256 of the RFC 8785 JSON of every other field. */
export function chainEvents(caseId: string, contents: readonly Json[]): Json[] {
  let prevHash = GENESIS;
  return contents.map((content, at) => {
    const stored: Json = {
      streamId: caseId,
      version: at + 1,
      eventId: randomUUID(),
      ...content,
      recordedAt: new Date(Date.UTC(2025, 8, 1, 10, at)).toISOString(),
      recordedBy: 'invented-recorder',
      prevHash,
    };
    const hash = sha256(Buffer.from(canonicalize(stored)!, 'utf8')).toString('hex');
    prevHash = hash;
    return { ...stored, hash };
  });
}

export interface MakePacketOptions {
  readonly caseId?: string;
  /** How many events the case has (at least 2). */
  readonly events?: number;
  /** The log's size: the case's events among other (random) entries. */
  readonly treeSize?: number;
  readonly witnesses?: number;
  /** The case's subject erased: its sealed texts stay as stored and an `Erased` event ends the case. */
  readonly erased?: boolean;
  readonly origin?: string;
}

export interface MadePacket {
  /** The packet as a JSON object, to alter in a test. */
  readonly packet: Json & {
    checkpoint: string;
    events: Json[];
    proofs: Array<{ eventId: string; index: number; hashes: string[] }>;
    witnessKeys: string[];
    logKey: string;
  };
  /** The packet as the file a reader would be given. */
  readonly text: string;
  readonly logKey: MadeKey;
  readonly witnessKeys: readonly MadeKey[];
  readonly treeSize: number;
  readonly root: Buffer;
  /** The note text of the checkpoint (without its signatures). */
  readonly checkpointText: string;
}

/**
 * A valid packet: a case of invented events, whose hashes are entries at spread-out indexes of a log of
 * `treeSize` entries, signed by a fresh log key and cosigned by `witnesses` fresh witness keys.
 */
export function makeEvidencePacket(options: MakePacketOptions = {}): MadePacket {
  const caseId = options.caseId ?? 'c-evidence-0001';
  const count = options.events ?? 5;
  const treeSize = options.treeSize ?? 1042;
  const origin = options.origin ?? 'localhost/detention-ledger';
  const events = chainEvents(caseId, storyContents(count, options.erased ?? false));
  if (treeSize < events.length) throw new RangeError('the log must hold at least the case’s events');

  // Spread the case's entries through the log, in order, the rest being other cases' hashes.
  const entries: Buffer[] = Array.from({ length: treeSize }, () => randomBytes(32));
  const step = Math.floor(treeSize / events.length);
  const indexes = events.map((_, at) => at * step + Math.min(3, step - 1));
  events.forEach((event, at) => {
    entries[indexes[at]!] = Buffer.from(event.hash as string, 'hex');
  });
  const leaves = entries.map(leafHash);
  const root = treeHash(leaves);

  const logKey = makeKey(origin, 0x01);
  const witnessKeys = Array.from({ length: options.witnesses ?? 2 }, (_, at) =>
    makeKey(`witness${at + 1}.example.org/w`, 0x04),
  );
  const checkpointText = `${origin}\n${treeSize}\n${b64(root)}\n`;
  const timestamp = 1_764_669_600;
  const checkpoint = `${checkpointText}\n${logSignatureLine(checkpointText, logKey)}${witnessKeys
    .map((key, at) => cosignatureLine(checkpointText, key, timestamp + at))
    .join('')}`;

  const packet = {
    format: 'detention-ledger-evidence/v1',
    caseId,
    createdAt: '2026-12-02T10:00:00.000Z',
    checkpoint,
    logKey: logKey.verifierKey,
    witnessKeys: witnessKeys.map((key) => key.verifierKey),
    events,
    proofs: events.map((event, at) => ({
      eventId: event.eventId as string,
      index: indexes[at]!,
      hashes: auditPath(indexes[at]!, leaves).map(b64),
    })),
    howToCheck: 'Check each event hash, the chain, each inclusion proof and the checkpoint signatures.',
  };
  return {
    packet,
    text: `${JSON.stringify(packet, null, 2)}\n`,
    logKey,
    witnessKeys,
    treeSize,
    root,
    checkpointText,
  };
}

/** The packet's text after `alter` has changed its object (a copy: the made packet is left as it was). */
export function alteredPacketText(made: MadePacket, alter: (packet: MadePacket['packet']) => void): string {
  const copy = structuredClone(made.packet);
  alter(copy);
  return `${JSON.stringify(copy, null, 2)}\n`;
}

/** The string with the character at `at` changed to another of the same alphabet (hex or base64). */
export function flipCharacter(text: string, at: number): string {
  const old = text[at];
  if (old === undefined) throw new RangeError(`no character at ${at}`);
  const replacement = /[0-9a-f]/.test(old) ? (old === '0' ? '1' : '0') : old === 'A' ? 'B' : 'A';
  return `${text.slice(0, at)}${replacement}${text.slice(at + 1)}`;
}
