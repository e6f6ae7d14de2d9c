import * as z from 'zod';
import { type AlertThresholds, DEFAULT_ALERT_THRESHOLDS } from '../domain/alerts.ts';
import { DEFAULT_LOG_ORIGIN, type LogConfig, logOriginSchema, logWitnessesSchema } from './log/log-config.ts';

const tableName = z
  .string()
  .regex(/^[A-Za-z0-9_.-]{3,255}$/, 'a DynamoDB table name: 3-255 of A-Z a-z 0-9 _ . -');

/** A number of days in an environment variable: a whole number, at most ten years. */
export const days = (min: number) => z.coerce.number().int().min(min).max(3650);

/**
 * A number of days in an environment variable, refused in the project's words: an environment holds text, and
 * "expected number, received NaN" tells nobody what to write instead.
 */
const envDays = (min: number) => {
  const expected = `a whole number of days, ${min} to 3650`;
  return z
    .string()
    .regex(/^\d+$/, expected)
    .transform(Number)
    .pipe(z.number().int().min(min, expected).max(3650, expected));
};

/** Loopback hosts, where an issuer may be plain http: a provider started by a test, or one on this machine. */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * The issuer of the tokens the app verifies in `oidc` mode: https, so that nobody on the way can hand the app
 * keys of their own; plain http only for a provider on this machine.
 */
const oidcIssuer = z
  .url({
    protocol: /^https?$/,
    error: 'the issuer URL of the OpenID provider, e.g. https://id.example.org/realms/ledger',
    abort: true,
  })
  .refine((text) => {
    const url = new URL(text);
    return url.protocol === 'https:' || LOOPBACK_HOSTS.has(url.hostname);
  }, 'https (plain http only for a provider on this machine: 127.0.0.1, localhost or [::1])')
  .refine((text) => {
    const url = new URL(text);
    return url.search === '' && url.hash === '';
  }, 'an issuer URL has no query and no fragment');

/** The environment variables shared by the Lambda functions and the local runtime (docs/operations.md). */
export const runtimeEnvSchema = z.object({
  LEDGER_TABLE: tableName.default('ledger'),
  VIEWS_TABLE: tableName.default('views'),
  KEYS_TABLE: tableName.default('case-keys'),
  NOTIFICATIONS_TABLE: tableName.default('notifications'),
  LOG_TABLE: tableName.default('log'),
  DYNAMODB_ENDPOINT: z
    .url({ protocol: /^https?$/, error: 'a DynamoDB endpoint URL, e.g. http://127.0.0.1:8000' })
    .optional(),
  AWS_REGION: z.string().min(1).optional(),
  ALERT_CONSULAR_VISIT_DAYS: envDays(1).default(DEFAULT_ALERT_THRESHOLDS.consularVisitDays),
  ALERT_CUSTODY_EXPIRING_DAYS: envDays(0).default(DEFAULT_ALERT_THRESHOLDS.custodyExpiringDays),
  ALERT_NO_NEWS_DAYS: envDays(1).default(DEFAULT_ALERT_THRESHOLDS.noNewsDays),
  LEDGER_CURSOR_SECRET: z.string().min(32, 'at least 32 characters').optional(),
  LEDGER_CURSOR_SECRET_ARN: z
    .string()
    .regex(
      /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[\w/+=.@-]+$/,
      'the ARN of a Secrets Manager secret (arn:aws:secretsmanager:<region>:<account>:secret:<name>)',
    )
    .optional(),
  AUTH_MODE: z
    .enum(['jwt-secret', 'api-gateway', 'oidc'], {
      error:
        'jwt-secret (tokens signed with LEDGER_JWT_SECRET), api-gateway (claims verified by API Gateway) or oidc (tokens of OIDC_ISSUER, verified by the app)',
    })
    .default('jwt-secret'),
  OIDC_ISSUER: oidcIssuer.optional(),
  OIDC_AUDIENCE: z
    .string()
    .transform((text) => text.split(',').map((audience) => audience.trim()))
    .pipe(
      z
        .array(z.string().min(1, 'comma-separated audiences, none empty').max(512))
        .min(1)
        .max(10, 'at most 10 audiences'),
    )
    .optional(),
  OIDC_AUDIENCE_PARAMETER: z
    .string()
    .regex(
      /^\/[\w.\-/]{1,1010}$/,
      'the name of an SSM parameter holding comma-separated audiences, e.g. /detention-ledger/prod/oidc-audience',
    )
    .optional(),
  OIDC_CLIENT_ID: z.string().max(512, 'a client id, at most 512 characters').optional(),
  OIDC_PII_SCOPE: z
    .string()
    .regex(/^[\x21\x23-\x5b\x5d-\x7e]{1,100}$/, 'one OAuth scope (no spaces), at most 100 characters')
    .default('pii'),
  OIDC_PII_GROUP: z.string().max(256, 'a group name, at most 256 characters').optional(),
  LEDGER_JWT_SECRET: z.string().min(32, 'at least 32 characters').optional(),
  LEDGER_ROLES_CLAIM: z
    .string()
    .max(100, 'the name of the token claim that lists the roles, at most 100 characters')
    .default('cognito:groups'),
  KEY_WRAPPING: z
    .enum(['local', 'kms'], {
      error: 'local (case keys wrapped by LEDGER_MASTER_KEY) or kms (wrapped by the KMS key KMS_KEY_ID)',
    })
    .default('local'),
  LEDGER_MASTER_KEY: z
    .base64({ error: '32 bytes, base64 (openssl rand -base64 32)', abort: true })
    .refine((text) => Buffer.from(text, 'base64').length === 32, '32 bytes, base64 (openssl rand -base64 32)')
    .optional(),
  KMS_KEY_ID: z.string().max(2048, 'a KMS key id, alias or ARN, at most 2048 characters').optional(),
  LOG_ORIGIN: logOriginSchema.default(DEFAULT_LOG_ORIGIN),
  LOG_WITNESSES: logWitnessesSchema.optional(),
});

export interface RuntimeConfig {
  readonly tables: {
    readonly ledger: string;
    readonly views: string;
    readonly keys: string;
    readonly notifications: string;
    readonly log: string;
  };
  readonly dynamodb: { readonly endpoint?: string; readonly region?: string };
  /** The default thresholds of `GET /alerts`; a call may override each. */
  readonly alerts: AlertThresholds;
  /** Signs pagination cursors; several API instances must share it, or their cursors fail on each other. */
  readonly cursorSecret?: string;
  /** The Secrets Manager secret that holds the cursor key, read at run time (AWS); instead of `cursorSecret`. */
  readonly cursorSecretArn?: string;
  /** How callers are authenticated. */
  readonly auth: AuthOptions;
  /** What wraps the per-case keys that seal personal data. */
  readonly keyWrapping: KeyWrappingOptions;
  /** The transparency log's name and the witnesses that cosign its checkpoints. */
  readonly log: LogConfig;
}

/**
 * `kms`: case keys wrapped by a KMS key (AWS). `local`: by a master key held in configuration; without one,
 * the function holds no key and cannot read or write personal data (the projector and digest functions).
 */
export type KeyWrappingOptions =
  | { readonly mode: 'kms'; readonly kmsKeyId: string }
  | { readonly mode: 'local'; readonly masterKey?: string };

/**
 * `jwt-secret`: HS256 tokens checked by the app with a shared secret (local runtime; without a secret nobody
 * gets in). `api-gateway`: the JWT authorizer in front of the function has verified the token.
 */
export type AuthOptions =
  | { readonly mode: 'jwt-secret'; readonly secret?: string; readonly rolesClaim: string }
  | {
      readonly mode: 'api-gateway';
      readonly rolesClaim: string;
      /** How the provider grants `pii` besides the `pii` scope, as in `oidc` mode (`OIDC_PII_SCOPE`, `OIDC_PII_GROUP`). */
      readonly piiScope?: string;
      readonly piiGroup?: string;
    }
  | OidcAuthOptions;

/**
 * `oidc`: access tokens of an OpenID provider, verified by the app against the keys the issuer publishes. The
 * `pii` permission comes from a scope in the token (`piiScope`) or, when set, a group in the roles claim
 * (`piiGroup`): providers differ in which of the two a deployer can grant per person.
 */
export interface OidcAuthOptions {
  readonly mode: 'oidc';
  readonly issuer: string;
  /** The token's `aud` must name one of these; a token without `aud` (Cognito's access tokens), its `client_id`. */
  readonly audiences: readonly string[];
  /** An SSM parameter naming more audiences, read at run time (`OIDC_AUDIENCE_PARAMETER`). */
  readonly audienceParameter?: string;
  readonly rolesClaim: string;
  readonly piiScope: string;
  readonly piiGroup?: string;
  /** The web application's client at the provider: passed on to it in `/app/config.json`, never checked here. */
  readonly clientId?: string;
}

/**
 * A configuration error names every variable that is wrong, so one restart fixes them all. Every entry point
 * (the functions, the local runtime, the CLI) reads the configuration, so it belongs to no one layer's base.
 */
export class ConfigurationError extends Error {
  readonly code = 'configuration_invalid';
  constructor(
    readonly problems: readonly string[],
    options?: ErrorOptions,
  ) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`, options);
    this.name = 'ConfigurationError';
  }
}

/** Parses a schema over the environment, turning failures into one `ConfigurationError`. */
export function parseEnv<S extends z.ZodType>(
  schema: S,
  env: Record<string, string | undefined>,
): z.output<S> {
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    throw new ConfigurationError(
      result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
      { cause: result.error },
    );
  }
  return result.data;
}

/** The runtime configuration from an already parsed environment: shared by the Lambda functions and `npm start`. */
export function runtimeConfigFrom(parsed: z.output<typeof runtimeEnvSchema>): RuntimeConfig {
  if (parsed.KEY_WRAPPING === 'kms' && parsed.KMS_KEY_ID === undefined) {
    throw new ConfigurationError(['KMS_KEY_ID: required when KEY_WRAPPING is kms']);
  }
  if (parsed.LEDGER_CURSOR_SECRET !== undefined && parsed.LEDGER_CURSOR_SECRET_ARN !== undefined) {
    throw new ConfigurationError([
      'LEDGER_CURSOR_SECRET_ARN: give the cursor key either in LEDGER_CURSOR_SECRET or as a secret in LEDGER_CURSOR_SECRET_ARN, not both',
    ]);
  }
  return {
    auth: authOptionsFrom(parsed),
    keyWrapping:
      parsed.KEY_WRAPPING === 'kms'
        ? { mode: 'kms', kmsKeyId: parsed.KMS_KEY_ID! }
        : { mode: 'local', ...(parsed.LEDGER_MASTER_KEY && { masterKey: parsed.LEDGER_MASTER_KEY }) },
    tables: {
      ledger: parsed.LEDGER_TABLE,
      views: parsed.VIEWS_TABLE,
      keys: parsed.KEYS_TABLE,
      notifications: parsed.NOTIFICATIONS_TABLE,
      log: parsed.LOG_TABLE,
    },
    dynamodb: {
      ...(parsed.DYNAMODB_ENDPOINT && { endpoint: parsed.DYNAMODB_ENDPOINT }),
      ...(parsed.AWS_REGION && { region: parsed.AWS_REGION }),
    },
    log: { origin: parsed.LOG_ORIGIN, witnesses: parsed.LOG_WITNESSES ?? [] },
    alerts: {
      consularVisitDays: parsed.ALERT_CONSULAR_VISIT_DAYS,
      custodyExpiringDays: parsed.ALERT_CUSTODY_EXPIRING_DAYS,
      noNewsDays: parsed.ALERT_NO_NEWS_DAYS,
    },
    ...(parsed.LEDGER_CURSOR_SECRET && { cursorSecret: parsed.LEDGER_CURSOR_SECRET }),
    ...(parsed.LEDGER_CURSOR_SECRET_ARN && { cursorSecretArn: parsed.LEDGER_CURSOR_SECRET_ARN }),
  };
}

function authOptionsFrom(parsed: z.output<typeof runtimeEnvSchema>): AuthOptions {
  const rolesClaim = parsed.LEDGER_ROLES_CLAIM;
  if (parsed.AUTH_MODE === 'api-gateway') {
    // The authorizer checks who signed the token, not what it grants: the pii grant is read as in `oidc` mode.
    return {
      mode: 'api-gateway',
      rolesClaim,
      piiScope: parsed.OIDC_PII_SCOPE,
      ...(parsed.OIDC_PII_GROUP && { piiGroup: parsed.OIDC_PII_GROUP }),
    };
  }
  if (parsed.AUTH_MODE === 'jwt-secret') {
    return {
      mode: 'jwt-secret',
      rolesClaim,
      ...(parsed.LEDGER_JWT_SECRET && { secret: parsed.LEDGER_JWT_SECRET }),
    };
  }
  const missing = [
    ...(parsed.OIDC_ISSUER === undefined
      ? [
          'OIDC_ISSUER: required when AUTH_MODE is oidc: the issuer URL of the OpenID provider whose tokens the app accepts',
        ]
      : []),
    // Without an audience every token the issuer signs, for any application of theirs, would open the ledger.
    ...(parsed.OIDC_AUDIENCE === undefined && parsed.OIDC_AUDIENCE_PARAMETER === undefined
      ? [
          "OIDC_AUDIENCE: required when AUTH_MODE is oidc: the audience (or comma-separated audiences) the ledger's tokens name in `aud` (or, without `aud`, in `client_id`); or OIDC_AUDIENCE_PARAMETER, an SSM parameter that holds them",
        ]
      : []),
  ];
  if (missing.length > 0) throw new ConfigurationError(missing);
  return {
    mode: 'oidc',
    issuer: parsed.OIDC_ISSUER!,
    audiences: parsed.OIDC_AUDIENCE ?? [],
    ...(parsed.OIDC_AUDIENCE_PARAMETER && { audienceParameter: parsed.OIDC_AUDIENCE_PARAMETER }),
    rolesClaim,
    piiScope: parsed.OIDC_PII_SCOPE,
    ...(parsed.OIDC_PII_GROUP && { piiGroup: parsed.OIDC_PII_GROUP }),
    ...(parsed.OIDC_CLIENT_ID && { clientId: parsed.OIDC_CLIENT_ID }),
  };
}

export function loadRuntimeConfig(env: Record<string, string | undefined> = process.env): RuntimeConfig {
  return runtimeConfigFrom(parseEnv(runtimeEnvSchema, env));
}
