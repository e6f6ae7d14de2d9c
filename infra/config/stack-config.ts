import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { z } from 'zod';
import { sendsAs } from '../../functions/notify/ses-identity.ts';
import { logOrigin, logWitnesses } from './log-context.ts';
import { isScheduleExpression } from './schedule-expression.ts';

/** Log retention periods CloudWatch Logs accepts, in days; "never expire" is left out on purpose. */
const RETENTION_DAYS = Object.values(RetentionDays).filter(
  (days): days is number => typeof days === 'number' && days !== RetentionDays.INFINITE,
);

/** `-c key=value` gives strings and `cdk.json` gives JSON values: numbers accept both. */
const wholeNumber = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/** `true`/`false` from `cdk.json`, or the same words from `-c key=value`; anything else is refused, not guessed. */
const flag = z
  .union([z.boolean(), z.enum(['true', 'false'])], { error: 'must be true or false' })
  .transform((value) => value === true || value === 'true');

/**
 * An IAM role or user of an account, by ARN (`arn:<partition>:iam::<account>:role/<path/name>`); assumed-role
 * session ARNs are not principals a policy can name, so they are refused.
 */
const iamPrincipalArn = z
  .string()
  .trim()
  .regex(
    /^arn:aws(?:-cn|-us-gov)?:iam::\d{12}:(?:role|user)\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,128}$/,
    'must be the ARN of an IAM role or user: arn:aws:iam::<12-digit account>:role/<name> (or :user/<name>)',
  );

/** A list given as a JSON array in `cdk.json`, or comma-separated on the command line. */
const stringList = z
  .union([z.string(), z.array(z.string())])
  .transform((value) => (Array.isArray(value) ? value : value.split(',')).map((s) => s.trim()))
  .pipe(z.array(z.string().min(1, 'must not contain empty entries')).min(1));

/**
 * The CDK context the stack reads (`-c key=value`, or `"context"` in `cdk.json`), with its defaults.
 * The README's "Deploy to AWS" section documents the same keys.
 */
export const stackConfigSchema = z
  .object({
    /** Names the stack (`detention-ledger-<stage>`), so several stages can live in one account. */
    stage: z
      .string()
      .regex(/^[a-z][a-z0-9-]{0,19}$/, 'must be 1-20 of a-z 0-9 - and start with a letter')
      .default('dev'),
    /** Where alarm notifications go; unset: the SNS topic has no subscriber until you add one. */
    alarmEmail: z.email('must be an e-mail address').optional(),
    /** How long function and API access logs are kept. */
    logRetentionDays: z.coerce
      .number()
      .refine((days) => RETENTION_DAYS.includes(days), {
        message: `must be one of ${RETENTION_DAYS.join(', ')}`,
      })
      .default(90),
    /** The functions' application log level (Lambda's and Powertools', kept equal). */
    logLevel: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR']).default('INFO'),
    /** An existing OpenID Connect issuer to trust instead of the stack's own Cognito user pool. */
    jwtIssuer: z.url({ protocol: /^https$/, error: 'must be an https:// URL' }).optional(),
    /** The audiences (client ids) a token from `jwtIssuer` must carry; required with it. */
    jwtAudience: stringList.optional(),
    /**
     * The web application's client at `jwtIssuer` (public: authorization code with PKCE, no secret); required
     * with it, since the web application is deployed with the stack. Accepted as an audience too.
     */
    webClientId: z.string().trim().min(1).max(512, 'at most 512 characters').optional(),
    /**
     * Origins besides the issuer's that the browser must reach to sign in at `jwtIssuer`: its authorization and
     * token endpoints' when they are elsewhere (Google's token endpoint is on oauth2.googleapis.com). The
     * Content-Security-Policy allows exactly these and the issuer's.
     */
    jwtEndpointOrigins: stringList
      .pipe(z.array(z.url({ protocol: /^https$/, error: 'each must be an https:// origin' })))
      .transform((urls) => urls.map((url) => new URL(url).origin))
      .optional(),
    /**
     * What the web application asks `jwtIssuer` for, space-separated: `openid` always, plus what your provider
     * needs to put the roles, the audience or `pii` into the access token (e.g. `openid pii`).
     */
    jwtScopes: z
      .string()
      .trim()
      .regex(
        /^[\x21\x23-\x5b\x5d-\x7e]{1,100}( [\x21\x23-\x5b\x5d-\x7e]{1,100})*$/,
        'OAuth scopes separated by single spaces',
      )
      .max(1024, 'at most 1024 characters')
      .refine((scopes) => scopes.split(' ').includes('openid'), 'must include openid')
      .default('openid'),
    /** The scope of `jwtIssuer`'s tokens that grants personal data in clear (`OIDC_PII_SCOPE`). */
    jwtPiiScope: z
      .string()
      .regex(/^[\x21\x23-\x5b\x5d-\x7e]{1,100}$/, 'one OAuth scope (no spaces), at most 100 characters')
      .default('pii'),
    /** A group in `jwtIssuer`'s roles claim that grants personal data in clear (`OIDC_PII_GROUP`); unset: none. */
    jwtPiiGroup: z.string().trim().min(1).max(256, 'at most 256 characters').optional(),
    /** How the web application's sign-in button names the provider ("Sign in with <name>"); unset: "Sign in". */
    signInName: z
      .string()
      .trim()
      .min(1)
      .max(100, 'at most 100 characters')
      .regex(/^[^\p{Cc}]+$/u, 'no control characters')
      .optional(),
    /**
     * The prefix of the Cognito domain people sign in at (`https://<prefix>.auth.<region>.amazoncognito.com`):
     * unique in the region across all accounts; unset: `detention-ledger-<stage>`.
     */
    cognitoDomainPrefix: z
      .string()
      .regex(
        /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/,
        'must be 1-63 of a-z 0-9 -, neither starting nor ending with -',
      )
      .refine((prefix) => !/aws|amazon|cognito/.test(prefix), 'must not contain aws, amazon or cognito')
      .optional(),
    /** The built web application (`npm run web:build` makes it), deployed under `/app/` of the distribution. */
    webDist: z.string().trim().min(1).default('web/dist'),
    /**
     * Instances reserved for the streaming function (exports of any size); also its ceiling, so that exports
     * cannot take the account's whole concurrency from the other functions. Unset: none reserved, since Lambda
     * keeps 100 of an account's instances unreserved and a new account's quota of 10 could then not deploy.
     */
    streamingConcurrency: wholeNumber(1, 1000).optional(),
    /** The token claim that lists the caller's roles (the API's `LEDGER_ROLES_CLAIM`). */
    jwtRolesClaim: z.string().min(1).max(100, 'at most 100 characters').default('cognito:groups'),
    /** Steady-state requests per second the HTTP API lets through, across all clients. */
    apiRateLimit: wholeNumber(1, 10_000).default(50),
    /** Requests the HTTP API lets through in a burst above the steady rate. */
    apiBurstLimit: wholeNumber(1, 5_000).default(100),
    /** How often a failing stream batch is retried before its records go to the dead-letter queue. */
    projectorRetryAttempts: wholeNumber(0, 10_000).default(10),
    /** Stream records older than this go to the dead-letter queue unprocessed (streams keep 24 hours). */
    projectorMaxRecordAgeHours: wholeNumber(1, 24).default(6),
    /** Concurrent batches per stream shard; views never depend on each other, so cases can go in parallel. */
    projectorParallelization: wholeNumber(1, 10).default(1),
    /** When the digest function takes a ledger digest: an EventBridge `rate(...)` or `cron(...)` expression. */
    digestSchedule: z
      .string()
      .trim()
      .refine(isScheduleExpression, {
        message:
          'must be an EventBridge schedule: rate(<n> <minute|hour|day>, plural when n > 1) or cron(<6 fields>)',
      })
      .default('rate(1 day)'),
    /**
     * The sender of notification emails (`NOTIFY_FROM`). Setting it turns notifications on: the notifier on
     * its schedule and on the ledger's stream, the webhook queue and its consumer. It must be an address of a
     * verified SES identity (`sesIdentity`). Unset: the notifications table is made, nothing is sent.
     */
    notifyFrom: z.email('must be an e-mail address').max(254).optional(),
    /**
     * The verified SES identity the notifier sends as, a domain or an address; unset: the domain of
     * `notifyFrom`. The notifier may send as this identity and nothing else.
     */
    sesIdentity: z
      .string()
      .trim()
      .regex(
        /^(?:[^@\s]+@)?[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/i,
        'must be a domain (ngo.example) or an e-mail address (ledger@ngo.example) verified in SES',
      )
      .optional(),
    /** How often the notifier looks for alerts raised and resolved, and sends what is due. */
    notifySchedule: z
      .string()
      .trim()
      .refine(isScheduleExpression, {
        message:
          'must be an EventBridge schedule: rate(<n> <minute|hour|day>, plural when n > 1) or cron(<6 fields>)',
      })
      .default('rate(5 minutes)'),
    /** How often a webhook delivery is tried (one try per receive) before it goes to the dead-letter queue. */
    webhookMaxReceiveCount: wholeNumber(1, 100).default(8),
    /**
     * The default alert thresholds of `GET /alerts`, in days; a call may override each. The ranges
     * are those the API accepts in `ALERT_CONSULAR_VISIT_DAYS`, `ALERT_CUSTODY_EXPIRING_DAYS` and
     * `ALERT_NO_NEWS_DAYS`.
     */
    alertConsularVisitDays: wholeNumber(1, 3650).default(30),
    alertCustodyExpiringDays: wholeNumber(0, 3650).default(14),
    alertNoNewsDays: wholeNumber(1, 3650).default(60),
    /**
     * The one principal that may disable or schedule the deletion of the personal-data KMS key (doing so
     * erases every person at once) and of the log's signing key (doing so ends the log); unset: nobody may,
     * whatever their IAM permissions.
     */
    breakGlassPrincipalArn: iamPrincipalArn.optional(),
    /**
     * Lets the case keys table be backed up, restored to a point in time and exported. Off: the table itself
     * refuses all of it, since a restored copy brings back the keys of erased cases. Turn it on only with the
     * ledger's own key backup, whose restore re-applies every erasure first.
     */
    allowKeyBackups: flag.default(false),
    /**
     * The transparency log's origin (`LOG_ORIGIN`): the first line of its checkpoints and its key's name, which
     * witnesses and evidence packets know it by. Unset: `<stack name>.detention-ledger.invalid/log`, a name
     * nobody owns; set it to a domain you hold before the first deployment, since a new origin is a new log.
     */
    logOrigin: logOrigin.optional(),
    /** The witnesses asked to cosign each checkpoint (`LOG_WITNESSES`): `<verifier key> <url>;…`; unset: none. */
    logWitnesses: logWitnesses.optional(),
    /** Alarm when the projector's oldest unprocessed stream record is older than this. */
    alarmIteratorAgeSeconds: wholeNumber(1, 86_400).default(300),
    /** Alarm when the dead-letter queue holds at least this many messages. */
    alarmDlqMessages: wholeNumber(1, 1_000_000).default(1),
    /** Alarm when this percentage of API requests or more end in a 5xx within five minutes. */
    alarmApi5xxPercent: z.coerce.number().gt(0).max(100).default(1),
    /** Alarm when a function has at least this many errors within five minutes. */
    alarmLambdaErrors: wholeNumber(1, 1_000_000).default(1),
    /** Alarm when a function is throttled at least this many times within five minutes. */
    alarmLambdaThrottles: wholeNumber(1, 1_000_000).default(1),
  })
  .refine((config) => config.sesIdentity === undefined || config.notifyFrom !== undefined, {
    message: 'only with notifyFrom: the identity is what notification emails are sent as',
    path: ['sesIdentity'],
  })
  .refine(
    (config) =>
      config.sesIdentity === undefined ||
      config.notifyFrom === undefined ||
      sendsAs(config.sesIdentity, config.notifyFrom),
    {
      message:
        'notifyFrom must be an address of sesIdentity (that address, or one of its domain): SES refuses others',
      path: ['notifyFrom'],
    },
  )
  .refine((config) => (config.jwtIssuer === undefined) === (config.jwtAudience === undefined), {
    message: 'jwtIssuer and jwtAudience go together: give both to trust an existing issuer, or neither',
    path: ['jwtIssuer'],
  })
  .refine((config) => config.jwtIssuer === undefined || config.webClientId !== undefined, {
    message:
      "required with jwtIssuer: the web application's client id at that issuer (a public client: authorization code with PKCE, no secret)",
    path: ['webClientId'],
  })
  .refine((config) => config.jwtIssuer !== undefined || config.webClientId === undefined, {
    message:
      "only with jwtIssuer: with the stack's own user pool, the stack makes the web application's client",
    path: ['webClientId'],
  });

export type StackConfig = z.output<typeof stackConfigSchema>;

/** The context keys the stack reads. */
export const STACK_CONTEXT_KEYS = Object.keys(stackConfigSchema.shape) as (keyof StackConfig)[];

/** Bad context names every key that is wrong, so one run of `cdk synth` shows them all (the infra's one error). */
export class StackConfigError extends Error {
  readonly code = 'stack_config_invalid';
  constructor(
    readonly problems: readonly string[],
    options?: ErrorOptions,
  ) {
    super(
      `Invalid CDK context (set it with -c key=value or under "context" in cdk.json):\n${problems
        .map((p) => `  - ${p}`)
        .join('\n')}`,
      options,
    );
    this.name = 'StackConfigError';
  }
}

function describeValue(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value);
}

/**
 * Validates the stack's context values: an empty string counts as unset, unknown keys are ignored (the context
 * also holds CDK's own flags).
 *
 * @example
 * ```ts
 * parseStackConfig({ stage: 'prod', alarmEmail: 'ops@example.org' }).logRetentionDays; // 90
 * ```
 */
export function parseStackConfig(context: Record<string, unknown>): StackConfig {
  const given = Object.fromEntries(
    STACK_CONTEXT_KEYS.map((key) => [key, context[key] === '' ? undefined : context[key]]),
  );
  const result = stackConfigSchema.safeParse(given);
  if (!result.success) {
    throw new StackConfigError(
      result.error.issues.map((issue) => {
        const key = issue.path.join('.');
        const value = given[String(issue.path[0])];
        return `${key}: ${issue.message} (got ${describeValue(value)})`;
      }),
      { cause: result.error },
    );
  }
  return result.data;
}
