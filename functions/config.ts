import * as z from 'zod';
import { type AlertThresholds, DEFAULT_ALERT_THRESHOLDS } from '../domain/alerts.ts';

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

/** The environment variables shared by the Lambda functions and the local runtime (docs/operations.md). */
export const runtimeEnvSchema = z.object({
  LEDGER_TABLE: tableName.default('ledger'),
  VIEWS_TABLE: tableName.default('views'),
  KEYS_TABLE: tableName.default('case-keys'),
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
    .enum(['jwt-secret', 'api-gateway'], {
      error:
        'jwt-secret (tokens signed with LEDGER_JWT_SECRET) or api-gateway (claims verified by API Gateway)',
    })
    .default('jwt-secret'),
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
});

export interface RuntimeConfig {
  readonly tables: { readonly ledger: string; readonly views: string; readonly keys: string };
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
  | { readonly mode: 'api-gateway'; readonly rolesClaim: string };

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
    keyWrapping:
      parsed.KEY_WRAPPING === 'kms'
        ? { mode: 'kms', kmsKeyId: parsed.KMS_KEY_ID! }
        : { mode: 'local', ...(parsed.LEDGER_MASTER_KEY && { masterKey: parsed.LEDGER_MASTER_KEY }) },
    tables: { ledger: parsed.LEDGER_TABLE, views: parsed.VIEWS_TABLE, keys: parsed.KEYS_TABLE },
    dynamodb: {
      ...(parsed.DYNAMODB_ENDPOINT && { endpoint: parsed.DYNAMODB_ENDPOINT }),
      ...(parsed.AWS_REGION && { region: parsed.AWS_REGION }),
    },
    alerts: {
      consularVisitDays: parsed.ALERT_CONSULAR_VISIT_DAYS,
      custodyExpiringDays: parsed.ALERT_CUSTODY_EXPIRING_DAYS,
      noNewsDays: parsed.ALERT_NO_NEWS_DAYS,
    },
    ...(parsed.LEDGER_CURSOR_SECRET && { cursorSecret: parsed.LEDGER_CURSOR_SECRET }),
    ...(parsed.LEDGER_CURSOR_SECRET_ARN && { cursorSecretArn: parsed.LEDGER_CURSOR_SECRET_ARN }),
    auth:
      parsed.AUTH_MODE === 'api-gateway'
        ? { mode: 'api-gateway', rolesClaim: parsed.LEDGER_ROLES_CLAIM }
        : {
            mode: 'jwt-secret',
            rolesClaim: parsed.LEDGER_ROLES_CLAIM,
            ...(parsed.LEDGER_JWT_SECRET && { secret: parsed.LEDGER_JWT_SECRET }),
          },
  };
}

export function loadRuntimeConfig(env: Record<string, string | undefined> = process.env): RuntimeConfig {
  return runtimeConfigFrom(parseEnv(runtimeEnvSchema, env));
}
