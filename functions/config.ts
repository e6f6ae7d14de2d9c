import { z } from 'zod';

const tableName = z
  .string()
  .regex(/^[A-Za-z0-9_.-]{3,255}$/, 'a DynamoDB table name: 3-255 of A-Z a-z 0-9 _ . -');

/** The environment variables shared by the Lambda functions and the local runtime (DESIGN §4). */
export const runtimeEnvSchema = z.object({
  LEDGER_TABLE: tableName.default('ledger'),
  VIEWS_TABLE: tableName.default('views'),
  DYNAMODB_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
  AWS_REGION: z.string().min(1).optional(),
});

export interface RuntimeConfig {
  readonly tables: { readonly ledger: string; readonly views: string };
  readonly dynamodb: { readonly endpoint?: string; readonly region?: string };
}

/** A configuration error names every variable that is wrong, so one restart fixes them all. */
export class ConfigurationError extends Error {
  readonly code = 'configuration_invalid';
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
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
    );
  }
  return result.data;
}

export function loadRuntimeConfig(env: Record<string, string | undefined> = process.env): RuntimeConfig {
  const parsed = parseEnv(runtimeEnvSchema, env);
  return {
    tables: { ledger: parsed.LEDGER_TABLE, views: parsed.VIEWS_TABLE },
    dynamodb: {
      ...(parsed.DYNAMODB_ENDPOINT && { endpoint: parsed.DYNAMODB_ENDPOINT }),
      ...(parsed.AWS_REGION && { region: parsed.AWS_REGION }),
    },
  };
}
