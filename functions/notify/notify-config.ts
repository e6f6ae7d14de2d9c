import * as z from 'zod';
import { ConfigurationError, parseEnv } from '../config.ts';
import type { WebhookTargetPolicy } from './ports.ts';
import { sendsAs } from './ses-identity.ts';

/**
 * Where the notifier runs decides what it may be told: on AWS email goes through SES and webhooks through a
 * queue, and no receiver on loopback is ever allowed (a Lambda function's loopback is nobody's receiver, and a
 * setting that opens it is a mistake carried over from a laptop); locally email goes to an SMTP server or to
 * files, and webhooks are sent at once.
 */
export type NotifierPlace = 'aws' | 'local';

const onOff = (what: string) =>
  z
    .enum(['1', '0', 'true', 'false'], { error: `1 to ${what}, 0 (or unset) not to` })
    .transform((value) => value === '1' || value === 'true');

/** The shortest key that may sign the links in emails, as for the cursor key. */
export const MIN_LINK_SECRET_LENGTH = 32;

/** The environment variables of the notifier (docs/operations.md, "Notifications"). */
export const notifyEnvSchema = z.object({
  NOTIFY_FROM: z
    .email({ error: 'the sender address of notification emails, e.g. ledger@ngo.example' })
    .max(254)
    .optional(),
  APP_BASE_URL: z
    .url({
      protocol: /^https?$/,
      error: 'where the web application is served, e.g. https://ledger.ngo.example/app/',
    })
    .optional(),
  NOTIFY_LINK_SECRET: z
    .string()
    .min(MIN_LINK_SECRET_LENGTH, `at least ${MIN_LINK_SECRET_LENGTH} characters`)
    .optional(),
  NOTIFY_LINK_SECRET_ARN: z
    .string()
    .regex(
      /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[\w/+=.@-]+$/,
      'the ARN of a Secrets Manager secret (arn:aws:secretsmanager:<region>:<account>:secret:<name>)',
    )
    .optional(),
  SMTP_URL: z
    .url({
      protocol: /^smtps?$/,
      error: 'an SMTP server URL, e.g. smtp://127.0.0.1:1025 or smtps://user:password@mail.example:465',
    })
    .optional(),
  SES_IDENTITY: z
    .string()
    .regex(
      /^(?:[^@\s]+@)?[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/i,
      'a verified SES identity: a domain (ngo.example) or an address (ledger@ngo.example)',
    )
    .optional(),
  WEBHOOK_QUEUE_URL: z
    .url({ protocol: /^https$/, error: 'the https URL of the SQS queue webhooks are handed to' })
    .optional(),
  WEBHOOKS_ALLOW_LOOPBACK: onOff(
    'let webhook endpoints on this machine (127.0.0.1, localhost) be called',
  ).optional(),
  WEBHOOKS_ALLOW_HTTP: onOff('let webhook endpoints be plain http (https otherwise)').optional(),
  NOTIFY_INTERVAL_SECONDS: z
    .string()
    // At most six digits: a longer one is out of range anyway, and would not even be a finite number.
    .regex(/^\d{1,6}$/, 'a whole number of seconds, 5 to 86400')
    .transform(Number)
    .pipe(
      z
        .number()
        .int()
        .min(5, 'a whole number of seconds, 5 to 86400')
        .max(86_400, 'a whole number of seconds, 5 to 86400'),
    )
    .default(60),
});

/** How notification emails leave: SES on AWS; an SMTP server, or `.eml` files in a folder, locally. */
export type NotifyEmailOptions =
  | { readonly kind: 'ses'; readonly identity: string }
  | { readonly kind: 'smtp'; readonly url: string }
  | { readonly kind: 'files' };

/** The key that signs the links in emails: given, held in Secrets Manager (AWS), or left to the runtime. */
export type LinkSecretSource =
  | { readonly kind: 'value'; readonly secret: string }
  | { readonly kind: 'secrets-manager'; readonly arn: string }
  | { readonly kind: 'unset' };

export interface NotifyConfig {
  readonly from: string;
  /** Where `/app/` is served, ending in `/`; locally unset until the runtime knows its port. */
  readonly appBaseUrl?: string;
  readonly linkSecret: LinkSecretSource;
  readonly email: NotifyEmailOptions;
  readonly webhooks: { readonly mode: 'queue'; readonly queueUrl: string } | { readonly mode: 'direct' };
  readonly webhookPolicy: WebhookTargetPolicy;
  /** How often the local runtime runs the notifier. */
  readonly intervalSeconds: number;
}

/** The sender locally, when none is set: no mail leaves the machine unless SMTP_URL says where. */
export const LOCAL_NOTIFY_FROM = 'detention-ledger@localhost';

/**
 * Reads the notifier's configuration for where it runs.
 *
 * @throws {ConfigurationError} naming every variable that is wrong or missing, in plain words.
 *
 * @example
 * ```ts
 * loadNotifyConfig({ NOTIFY_INTERVAL_SECONDS: '30' }, 'local').email; // { kind: 'files' }
 * ```
 */
export function loadNotifyConfig(
  env: Record<string, string | undefined>,
  place: NotifierPlace,
): NotifyConfig {
  const parsed = parseEnv(notifyEnvSchema, env);
  const problems: string[] = [];
  if (parsed.NOTIFY_LINK_SECRET !== undefined && parsed.NOTIFY_LINK_SECRET_ARN !== undefined) {
    problems.push(
      'NOTIFY_LINK_SECRET_ARN: give the link key either in NOTIFY_LINK_SECRET or as a secret in NOTIFY_LINK_SECRET_ARN, not both',
    );
  }
  if (place === 'aws') {
    if (parsed.NOTIFY_FROM === undefined)
      problems.push('NOTIFY_FROM: required on AWS: the sender address of notification emails');
    if (parsed.APP_BASE_URL === undefined)
      problems.push('APP_BASE_URL: required on AWS: where the web application is served (links in emails)');
    if (parsed.SES_IDENTITY === undefined)
      problems.push(
        'SES_IDENTITY: required on AWS: the verified SES identity (domain or address) to send as',
      );
    if (parsed.NOTIFY_LINK_SECRET === undefined && parsed.NOTIFY_LINK_SECRET_ARN === undefined)
      problems.push(
        'NOTIFY_LINK_SECRET_ARN: required on AWS: the Secrets Manager secret that signs email links',
      );
    if (parsed.WEBHOOKS_ALLOW_LOOPBACK === true)
      problems.push(
        'WEBHOOKS_ALLOW_LOOPBACK: refused on AWS: a webhook to loopback would reach the function itself; it is for the local runtime and tests',
      );
    if (parsed.SMTP_URL !== undefined)
      problems.push('SMTP_URL: not used on AWS, where email goes through SES (SES_IDENTITY)');
    if (
      parsed.SES_IDENTITY !== undefined &&
      parsed.NOTIFY_FROM !== undefined &&
      !sendsAs(parsed.SES_IDENTITY, parsed.NOTIFY_FROM)
    )
      problems.push(
        `NOTIFY_FROM: ${parsed.NOTIFY_FROM} is not an address of the SES identity ${parsed.SES_IDENTITY}: SES would refuse every email`,
      );
    if (parsed.APP_BASE_URL !== undefined && !parsed.APP_BASE_URL.startsWith('https:'))
      problems.push('APP_BASE_URL: https on AWS: the links in emails sign people in');
  } else {
    if (parsed.SES_IDENTITY !== undefined)
      problems.push(
        'SES_IDENTITY: only on AWS; locally email goes to SMTP_URL, or to files when it is unset',
      );
    if (parsed.WEBHOOK_QUEUE_URL !== undefined)
      problems.push('WEBHOOK_QUEUE_URL: only on AWS; locally webhooks are sent at once');
  }
  if (problems.length > 0) throw new ConfigurationError(problems);

  const email: NotifyEmailOptions =
    place === 'aws'
      ? { kind: 'ses', identity: parsed.SES_IDENTITY! }
      : parsed.SMTP_URL !== undefined
        ? { kind: 'smtp', url: parsed.SMTP_URL }
        : { kind: 'files' };
  const appBaseUrl = parsed.APP_BASE_URL && withTrailingSlash(parsed.APP_BASE_URL);
  return {
    from: parsed.NOTIFY_FROM ?? LOCAL_NOTIFY_FROM,
    ...(appBaseUrl && { appBaseUrl }),
    linkSecret:
      parsed.NOTIFY_LINK_SECRET !== undefined
        ? { kind: 'value', secret: parsed.NOTIFY_LINK_SECRET }
        : parsed.NOTIFY_LINK_SECRET_ARN !== undefined
          ? { kind: 'secrets-manager', arn: parsed.NOTIFY_LINK_SECRET_ARN }
          : { kind: 'unset' },
    email,
    webhooks:
      parsed.WEBHOOK_QUEUE_URL !== undefined
        ? { mode: 'queue', queueUrl: parsed.WEBHOOK_QUEUE_URL }
        : { mode: 'direct' },
    webhookPolicy: {
      allowHttp: parsed.WEBHOOKS_ALLOW_HTTP ?? false,
      allowLoopback: parsed.WEBHOOKS_ALLOW_LOOPBACK ?? false,
    },
    intervalSeconds: parsed.NOTIFY_INTERVAL_SECONDS,
  };
}

function withTrailingSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}
