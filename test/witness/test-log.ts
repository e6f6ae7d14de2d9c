import { createHash, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';

/**
 * A log made in the test, written from RFC 6962 §2.1 and C2SP signed-note / tlog-checkpoint alone (it imports
 * nothing of the project): leaves, roots, consistency proofs, and checkpoints signed with an Ed25519 key of its
 * own. It plays the other organisation's ledger that a witness watches, and can also lie: sign a second
 * history under the same key (a fork).
 */

const sha256 = (...parts: Uint8Array[]) => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return new Uint8Array(hash.digest());
};

const leafHash = (entry: Uint8Array) => sha256(Uint8Array.of(0), entry);
const nodeHash = (left: Uint8Array, right: Uint8Array) => sha256(Uint8Array.of(1), left, right);

/** The largest power of two smaller than n (n > 1). */
const split = (n: number) => 2 ** Math.floor(Math.log2(n - 1));

/** MTH of RFC 6962 §2.1 over leaf hashes. */
function treeHash(leaves: readonly Uint8Array[]): Uint8Array {
  if (leaves.length === 0) return sha256();
  if (leaves.length === 1) return leaves[0]!;
  const k = split(leaves.length);
  return nodeHash(treeHash(leaves.slice(0, k)), treeHash(leaves.slice(k)));
}

/** SUBPROOF of RFC 6962 §2.1.2. */
function subproof(m: number, leaves: readonly Uint8Array[], complete: boolean): Uint8Array[] {
  const n = leaves.length;
  if (m === n) return complete ? [] : [treeHash(leaves)];
  const k = split(n);
  if (m <= k) return [...subproof(m, leaves.slice(0, k), complete), treeHash(leaves.slice(k))];
  return [...subproof(m - k, leaves.slice(k), false), treeHash(leaves.slice(0, k))];
}

export interface TestLogKey {
  readonly origin: string;
  readonly publicKey: Uint8Array;
  readonly privateKey: KeyObject;
  /** Its verifier key: `<origin>+<hex key id>+<base64(0x01 || key)>`. */
  readonly vkey: string;
  readonly keyId: Uint8Array;
}

export function makeLogKey(origin: string): TestLogKey {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const raw = new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }).subarray(-32));
  const keyId = sha256(Buffer.from(`${origin}\n`), Uint8Array.of(0x01), raw).subarray(0, 4);
  const vkey = `${origin}+${Buffer.from(keyId).toString('hex')}+${Buffer.concat([Uint8Array.of(0x01), raw]).toString('base64')}`;
  return { origin, publicKey: raw, privateKey, vkey, keyId };
}

export class TestLog {
  readonly leaves: Uint8Array[] = [];
  constructor(readonly key: TestLogKey) {}

  /** Appends `count` entries, each 32 bytes derived from `seed` and its index (a fork differs by seed). */
  append(count: number, seed = 'main'): this {
    for (let i = 0; i < count; i++) {
      this.leaves.push(leafHash(sha256(Buffer.from(`${seed}:${this.leaves.length}`))));
    }
    return this;
  }

  get size(): number {
    return this.leaves.length;
  }

  root(size = this.size): Uint8Array {
    return treeHash(this.leaves.slice(0, size));
  }

  consistency(from: number, to = this.size): Uint8Array[] {
    if (from === 0 || from === to) return [];
    return subproof(from, this.leaves.slice(0, to), true);
  }

  /** The checkpoint note of a size, signed by the log's key (and by whatever else `extraLines` adds). */
  checkpoint(size = this.size, options: { root?: Uint8Array; key?: TestLogKey } = {}): string {
    const key = options.key ?? this.key;
    const text = `${this.key.origin}\n${size}\n${Buffer.from(options.root ?? this.root(size)).toString('base64')}\n`;
    return signedNote(text, key);
  }

  /** The add-checkpoint body: `old N`, the proof lines, a blank line, the signed checkpoint. */
  addCheckpointBody(oldSize: number, checkpoint: string, proof = this.consistency(oldSize)): string {
    return `old ${oldSize}\n${proof.map((hash) => `${Buffer.from(hash).toString('base64')}\n`).join('')}\n${checkpoint}`;
  }
}

/** A note text signed with a log key: `text`, a blank line, `— <name> base64(key id || signature)`. */
export function signedNote(text: string, key: TestLogKey): string {
  const signature = sign(null, Buffer.from(text, 'utf8'), key.privateKey);
  return `${text}\n— ${key.origin} ${Buffer.concat([key.keyId, signature]).toString('base64')}\n`;
}
