import { z } from 'zod';
import { logOriginSchema, logWitnessesSchema } from '../../functions/log/log-config.ts';

/**
 * A host name and an optional path, without a scheme: what C2SP tlog-checkpoint asks an origin to be (a
 * schema-less URL). `https://ledger.ngo.example/log` is the likeliest slip, and would name the log for ever.
 */
const HOST_AND_PATH = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*(?:\/\S*)?$/;

/**
 * The log's origin as the `logOrigin` context gives it (`LOG_ORIGIN`): checked by the functions' own rule (a
 * key name: no spaces, no `+`, at most 255 characters), and on AWS also a host and a path, since others will
 * know the log by it.
 */
export const logOrigin = z
  .string()
  .trim()
  .superRefine((origin, context) => {
    const parsed = logOriginSchema.safeParse(origin);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) context.addIssue({ code: 'custom', message: issue.message });
    } else if (!HOST_AND_PATH.test(origin)) {
      context.addIssue({
        code: 'custom',
        message: 'must be a host name and an optional path, without a scheme: e.g. ledger.ngo.example/log',
      });
    }
  });

/**
 * The origin of a stack that was given none. `.invalid` is reserved (RFC 2606): nobody can own it, which is
 * the point. The origin names the log to its witnesses and in every evidence packet, so a log others rely on
 * should carry a domain its operator holds, set before the first checkpoint: a new origin is a new log.
 */
export function defaultLogOrigin(stackName: string): string {
  return `${stackName}.detention-ledger.invalid/log`;
}

/**
 * The witnesses as the `logWitnesses` context gives them, the very text the functions get as `LOG_WITNESSES`
 * (`<verifier key> <url>` pairs separated by `;`), checked by the functions' own rule so that a typo stops the
 * synth instead of every instance at its start. On AWS a witness is reached over https only: a loopback
 * witness is one of this machine's.
 */
export const logWitnesses = z
  .string()
  .trim()
  .superRefine((text, context) => {
    const parsed = logWitnessesSchema.safeParse(text);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) context.addIssue({ code: 'custom', message: issue.message });
      return;
    }
    if (parsed.data.length === 0) context.addIssue({ code: 'custom', message: 'names no witness' });
    for (const witness of parsed.data) {
      if (!witness.url.startsWith('https://')) {
        context.addIssue({ code: 'custom', message: `${witness.url}: a witness is reached over https` });
      }
    }
  });
