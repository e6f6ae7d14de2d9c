import { randomBytes } from 'node:crypto';
import { gcmOpen, gcmSeal } from './aes-gcm.ts';
import type { KeyRotation, KeyWrapper } from './key-wrapper.ts';
import { fixedKeyRing, isRotating, type MasterKey, type MasterKeyRing } from './master-key-ring.ts';
import { PersonalDataError } from './personal-data-error.ts';

/** Reads `LEDGER_MASTER_KEY`: 32 bytes, base64 or base64url. */
export function masterKeyFrom(text: string): Buffer {
  const key = Buffer.from(text, 'base64');
  if (key.length !== 32) throw new Error('a master key is 32 bytes, base64-encoded (44 characters)');
  return key;
}

/** A case key wrapped by a master key this process no longer holds (destroyed by a rotation, or another's). */
export class MasterKeyNotHeldError extends PersonalDataError {
  readonly code = 'master_key_not_held';
  constructor(readonly masterKeyId: string) {
    super(`The case key is wrapped by master key ${masterKeyId}, which this process does not hold`);
    this.name = 'MasterKeyNotHeldError';
  }
}

const aadOf = (caseId: string) => `case-key:${caseId}`;

/**
 * Wraps case keys with a master key held by this process (the local runtime, tests). The wrapped form is
 * `v2.<master key id>.<iv>.<ciphertext+tag>`, the case id the additional authenticated data; keys wrapped
 * before master keys had ids (`v1.<iv>.<ciphertext+tag>`) still unwrap. Over a rotating ring it offers
 * `rotation`; over one fixed key (`LEDGER_MASTER_KEY`, or a bare key) it does not.
 */
export class LocalKeyWrapper implements KeyWrapper {
  readonly #ring: MasterKeyRing;
  readonly rotation?: KeyRotation;

  constructor(master: Buffer | MasterKeyRing) {
    if (Buffer.isBuffer(master) && master.length !== 32) throw new Error('the master key must be 32 bytes');
    this.#ring = Buffer.isBuffer(master) ? fixedKeyRing(master) : master;
    const ring = this.#ring;
    if (isRotating(ring)) {
      this.rotation = {
        get pending() {
          return ring.keys().length > 1;
        },
        isCurrent: (wrapped) => wrapped.startsWith(`v2.${this.#newest().id}.`),
        rewrap: async (caseId, wrapped) => this.#wrap(caseId, await this.unwrap(caseId, wrapped)),
        advance: () => ring.add(),
        retireOlder: () => ring.retireOlder(),
      };
    }
  }

  get wrappedBy(): string {
    return `local:${this.#newest().id}`;
  }

  #newest(): MasterKey {
    return this.#ring.keys().at(-1)!;
  }

  #wrap(caseId: string, key: Buffer): string {
    const master = this.#newest();
    const box = gcmSeal(master.key, key, aadOf(caseId));
    return `v2.${master.id}.${box.iv}.${box.ciphertext}`;
  }

  async generate(caseId: string) {
    const key = randomBytes(32);
    return { key, wrapped: this.#wrap(caseId, key) };
  }

  async unwrap(caseId: string, wrapped: string): Promise<Buffer> {
    const parts = wrapped.split('.');
    if (parts[0] === 'v2' && parts.length === 4) {
      const [, id, iv, ciphertext] = parts as [string, string, string, string];
      const master = this.#ring.keys().find((candidate) => candidate.id === id);
      if (!master) throw new MasterKeyNotHeldError(id);
      return gcmOpen(master.key, { iv, ciphertext }, aadOf(caseId));
    }
    if (parts[0] === 'v1' && parts.length === 3) {
      // Wrapped before master keys had ids: by one of the keys held, if any.
      const [, iv, ciphertext] = parts as [string, string, string];
      for (const master of this.#ring.keys()) {
        try {
          return gcmOpen(master.key, { iv, ciphertext }, aadOf(caseId));
        } catch {
          // Not this one.
        }
      }
      throw new Error('no master key held opens this case key');
    }
    throw new Error('not a key wrapped by a local master key');
  }
}
