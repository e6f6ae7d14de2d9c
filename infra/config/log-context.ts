import { createHash } from 'node:crypto';
import { z } from 'zod';

/** The longest origin the log accepts (`LOG_ORIGIN` is refused beyond it too). */
export const MAX_LOG_ORIGIN_LENGTH = 255;

/**
 * The log's origin as the `logOrigin` context gives it: the first line of every checkpoint and its key's name
 * (C2SP tlog-checkpoint: a schema-less URL). A key name may hold no space and no `+`; a host and a path of
 * printable ASCII keep it unambiguous for every witness and verifier that reads it.
 */
export const logOrigin = z
  .string()
  .trim()
  .max(MAX_LOG_ORIGIN_LENGTH, `at most ${MAX_LOG_ORIGIN_LENGTH} characters`)
  .regex(
    /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*(?:\/[\x21-\x2a\x2c-\x7e]+)*$/,
    'must be a host name and an optional path, without a scheme, spaces or +: e.g. ledger.ngo.example/log',
  );

/**
 * The origin of a stack that was given none. `.invalid` is reserved (RFC 2606): nobody can own it, which
 * is the point — the origin names the log to the world, so a production log should carry a domain its
 * operator holds, set before the first checkpoint: changing it later starts a new log.
 */
export function defaultLogOrigin(stackName: string): string {
  return `${stackName}.detention-ledger.invalid/log`;
}

/** A witness's cosignature key type (C2SP tlog-cosignature, `cosignature/v1`). */
const COSIGNATURE_V1 = 0x04;

/**
 * Why a witness's verifier key (`<name>+<hex key id>+<base64 of type and key>`) cannot be used, or undefined
 * when it can: a cosignature/v1 Ed25519 key whose id is the one its name, type and key give.
 */
export function witnessKeyProblem(verifierKey: string): string | undefined {
  const match = /^([^\s+]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/]+={0,2})$/.exec(verifierKey);
  if (!match) return 'is not a verifier key <name>+<8 hex digits>+<base64>';
  const [, name, keyId, encoded] = match as unknown as [string, string, string, string];
  const bytes = Buffer.from(encoded, 'base64');
  if (bytes.toString('base64') !== encoded || bytes.length !== 33) {
    return 'must hold 33 bytes in base64: the key type and a 32-byte Ed25519 public key';
  }
  if (bytes[0] !== COSIGNATURE_V1) {
    return `must be a witness key of type 0x04 (cosignature/v1), not 0x${bytes[0]!.toString(16).padStart(2, '0')}`;
  }
  const id = createHash('sha256')
    .update(Buffer.concat([Buffer.from(name, 'utf8'), Buffer.from([0x0a]), bytes]))
    .digest()
    .subarray(0, 4)
    .toString('hex');
  if (id !== keyId) return `names key id ${keyId}, but its name and key give ${id}`;
  return undefined;
}

/**
 * The witnesses as the `logWitnesses` context gives them, the same text as `LOG_WITNESSES`: `<verifier key>
 * <url>` pairs separated by `;`. Each is checked whole (the key, an https URL without query or fragment, no
 * witness named twice), so a typo stops the synth instead of quietly leaving checkpoints without cosignatures.
 */
export const logWitnesses = z
  .string()
  .trim()
  .max(8192, 'at most 8192 characters')
  .superRefine((text, ctx) => {
    const names = new Set<string>();
    text.split(';').forEach((entry, index) => {
      const where = `witness ${index + 1}`;
      const parts = entry.trim().split(' ');
      if (parts.length !== 2 || parts.some((part) => part === '')) {
        ctx.addIssue({ code: 'custom', message: `${where}: must be "<verifier key> <url>"` });
        return;
      }
      const [key, url] = parts as [string, string];
      const keyProblem = witnessKeyProblem(key);
      if (keyProblem) ctx.addIssue({ code: 'custom', message: `${where}: the key ${keyProblem}` });
      const name = key.split('+')[0]!;
      if (names.has(name)) ctx.addIssue({ code: 'custom', message: `${where}: ${name} is named twice` });
      names.add(name);
      if (!URL.canParse(url) || new URL(url).protocol !== 'https:' || /[?#]/.test(url)) {
        ctx.addIssue({ code: 'custom', message: `${where}: the URL must be https://, without query or fragment` });
      }
    });
  })
  .transform((text) =>
    text
      .split(';')
      .map((entry) => entry.trim())
      .join(';'),
  );
