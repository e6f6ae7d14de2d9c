import { randomBytes } from 'node:crypto';
import { gcmOpen, gcmSeal } from './aes-gcm.ts';
import type { KeyWrapper } from './key-wrapper.ts';

/** Reads `LEDGER_MASTER_KEY`: 32 bytes, base64 or base64url. */
export function masterKeyFrom(text: string): Buffer {
  const key = Buffer.from(text, 'base64');
  if (key.length !== 32) throw new Error('a master key is 32 bytes, base64-encoded (44 characters)');
  return key;
}

/**
 * Wraps case keys with a master key held by this process (the local runtime, tests). The wrapped form is
 * `v1.<iv>.<ciphertext+tag>`; the case id is the additional authenticated data.
 */
export class LocalKeyWrapper implements KeyWrapper {
  readonly wrappedBy = 'local';
  readonly #master: Buffer;

  constructor(masterKey: Buffer) {
    if (masterKey.length !== 32) throw new Error('the master key must be 32 bytes');
    this.#master = masterKey;
  }

  async generate(caseId: string) {
    const key = randomBytes(32);
    const box = gcmSeal(this.#master, key, `case-key:${caseId}`);
    return { key, wrapped: `v1.${box.iv}.${box.ciphertext}` };
  }

  async unwrap(caseId: string, wrapped: string): Promise<Buffer> {
    const [version, iv, ciphertext] = wrapped.split('.');
    if (version !== 'v1' || iv === undefined || ciphertext === undefined) {
      throw new Error('not a key wrapped by a local master key');
    }
    return gcmOpen(this.#master, { iv, ciphertext }, `case-key:${caseId}`);
  }
}
