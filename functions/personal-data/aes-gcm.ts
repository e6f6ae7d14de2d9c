import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const IV_BYTES = 12;
const TAG_BYTES = 16;

/** AES-256-GCM output: the random 96-bit IV, and the ciphertext followed by its 128-bit tag, both base64url. */
export interface GcmBox {
  readonly iv: string;
  readonly ciphertext: string;
}

/**
 * Encrypts with AES-256-GCM under a fresh random IV. `aad` is authenticated but not encrypted: it binds the
 * box to its context (a case id), so a box moved elsewhere fails to open instead of opening as someone else.
 */
export function gcmSeal(key: Buffer, plaintext: Buffer, aad: string): GcmBox {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  return { iv: iv.toString('base64url'), ciphertext: body.toString('base64url') };
}

/** Opens a box made by `gcmSeal` with the same key and `aad`; throws when either differs or a byte changed. */
export function gcmOpen(key: Buffer, box: GcmBox, aad: string): Buffer {
  const iv = Buffer.from(box.iv, 'base64url');
  const body = Buffer.from(box.ciphertext, 'base64url');
  if (iv.length !== IV_BYTES || body.length < TAG_BYTES) throw new Error('not an AES-256-GCM box');
  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
  return Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]);
}
