import * as z from 'zod';
import { parseVerifierKey, SIGNATURE_TYPE } from '../../domain/log/verifier-key.ts';
import type { WitnessConfig } from './ports.ts';

/** Where the log is named when LOG_ORIGIN is not set: fine on one machine, never for a log others rely on. */
export const DEFAULT_LOG_ORIGIN = 'localhost/detention-ledger';

const ORIGIN_RULE = 'a log origin: 1 to 255 characters, no spaces, no +, no control characters';

/**
 * `LOG_ORIGIN`: the first line of every checkpoint and the name of the log's key (docs/log.md). A key name in a
 * signed note may not hold spaces or `+` (C2SP signed-note); the log is known by it for ever, so it is checked
 * at start rather than in the first checkpoint.
 */
export const logOriginSchema = z
  .string()
  .min(1, ORIGIN_RULE)
  .max(255, ORIGIN_RULE)
  .regex(/^[^\s+\p{Cc}]+$/u, ORIGIN_RULE);

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** One `<verifier key> <url>` pair of LOG_WITNESSES, or the reason it is not one. */
function witnessOf(pair: string): WitnessConfig | string {
  const parts = pair.trim().split(' ');
  if (parts.length !== 2) return `"${pair.trim().slice(0, 80)}" is not "<verifier key> <url>"`;
  const [verifierKey, url] = parts as [string, string];
  try {
    const key = parseVerifierKey(verifierKey);
    if (key.type !== SIGNATURE_TYPE.cosignatureV1) {
      return `${key.name}: a witness's verifier key is of type cosignature/v1 (0x04)`;
    }
  } catch (error) {
    return `not a verifier key (${error instanceof Error ? error.message : String(error)})`;
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `${url.slice(0, 80)} is not a URL`;
  }
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && LOOPBACK.has(parsed.hostname))) {
    return `${url.slice(0, 80)}: https (plain http only for a witness on this machine)`;
  }
  if (parsed.search !== '' || parsed.hash !== '' || parsed.username !== '' || parsed.password !== '') {
    return `${url.slice(0, 80)}: a witness URL has no query, fragment or credentials`;
  }
  return { verifierKey, url: url.replace(/\/+$/, '') };
}

/** Most witnesses a checkpoint is sent to: each costs a request per checkpoint. */
const MAX_WITNESSES = 20;

/**
 * `LOG_WITNESSES`: `<verifier key> <url>` pairs separated by `;` (docs/log.md), read strictly: a pair that is
 * off is refused at start, not skipped, since a witness quietly left out is a check quietly not made.
 */
export const logWitnessesSchema = z.string().transform((text, context): WitnessConfig[] => {
  const pairs = text.split(';').filter((pair) => pair.trim() !== '');
  if (pairs.length > MAX_WITNESSES) {
    context.addIssue({ code: 'custom', message: `at most ${MAX_WITNESSES} witnesses` });
    return z.NEVER;
  }
  const witnesses: WitnessConfig[] = [];
  for (const pair of pairs) {
    const witness = witnessOf(pair);
    if (typeof witness === 'string') context.addIssue({ code: 'custom', message: witness });
    else witnesses.push(witness);
  }
  const names = witnesses.map((witness) => witness.verifierKey.split('+')[0]);
  if (new Set(names).size !== names.length) {
    context.addIssue({ code: 'custom', message: 'a witness is named twice' });
  }
  return witnesses;
});

/** The log's configuration shared by the Lambda functions and the local runtime. */
export interface LogConfig {
  readonly origin: string;
  readonly witnesses: readonly WitnessConfig[];
}
