import { createHash, randomBytes } from 'node:crypto';

/** One master key and the id that the keys it wraps carry, so each case key says which master key wrapped it. */
export interface MasterKey {
  readonly id: string;
  readonly key: Buffer;
}

/**
 * The master keys a local key wrapper holds, oldest first. The newest wraps every new case key; older ones are
 * held only while a rotation has not yet re-wrapped every case key away from them.
 */
export interface MasterKeyRing {
  /** Never empty. */
  keys(): readonly MasterKey[];
}

/** A ring whose master key can be replaced: what lets an erasure make the remnants of wrapped keys useless. */
export interface RotatingKeyRing extends MasterKeyRing {
  /** Makes a fresh master key the newest; it is kept (durably, for a ring on disk) before this resolves. */
  add(): Promise<void>;
  /** Destroys every master key but the newest. */
  retireOlder(): Promise<void>;
}

/** The id of a master key: a short one-way digest, safe to store beside what the key wraps. */
export function masterKeyIdOf(key: Buffer): string {
  return createHash('sha256')
    .update('detention-ledger master key id\0')
    .update(key)
    .digest('hex')
    .slice(0, 16);
}

export const masterKeyOf = (key: Buffer): MasterKey => {
  if (key.length !== 32) throw new Error('a master key is 32 bytes');
  return { id: masterKeyIdOf(key), key };
};

/** One master key that never changes: `LEDGER_MASTER_KEY`, given by the operator, or a test's. */
export function fixedKeyRing(key: Buffer): MasterKeyRing {
  const keys = [masterKeyOf(key)];
  return { keys: () => keys };
}

/** Master keys in this process's memory only (a runtime whose data is in memory too): rotated like a ring on disk. */
export function memoryKeyRing(first: Buffer = randomBytes(32)): RotatingKeyRing {
  let keys = [masterKeyOf(first)];
  return {
    keys: () => keys,
    async add() {
      keys = [...keys, masterKeyOf(randomBytes(32))];
    },
    async retireOlder() {
      keys = keys.slice(-1);
    },
  };
}

export function isRotating(ring: MasterKeyRing): ring is RotatingKeyRing {
  return 'add' in ring && 'retireOlder' in ring;
}
