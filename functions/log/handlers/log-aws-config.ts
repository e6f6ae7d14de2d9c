import * as z from 'zod';
import { parseEnv } from '../../config.ts';

/**
 * Where the log is kept on AWS (the stack sets both on the API's functions and the integrator): `LOG_BUCKET`,
 * the tiles bucket, and `LOG_KMS_KEY_ID`, the Ed25519 key that signs its checkpoints.
 */
const logAwsEnvSchema = z
  .object({
    LOG_BUCKET: z
      .string()
      .regex(
        /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
        'an S3 bucket name: 3-63 of a-z 0-9 . -, starting and ending with a letter or digit',
      )
      .optional(),
    LOG_KMS_KEY_ID: z
      .string()
      .max(2048, 'a KMS key id, alias or ARN, at most 2048 characters')
      .regex(/^\S+$/, 'a KMS key id, alias or ARN, without spaces')
      .optional(),
  })
  .refine((env) => (env.LOG_BUCKET === undefined) === (env.LOG_KMS_KEY_ID === undefined), {
    message:
      'LOG_BUCKET and LOG_KMS_KEY_ID go together: the tiles bucket and the key that signs the checkpoints in it',
    path: ['LOG_BUCKET'],
  });

/** The log's place on AWS, or undefined when the environment names none (a function without the log). */
export interface LogAwsConfig {
  readonly bucket: string;
  readonly kmsKeyId: string;
}

/** @throws ConfigurationError when the variables are malformed, or one is given without the other. */
export function loadLogAwsConfig(env: Record<string, string | undefined>): LogAwsConfig | undefined {
  const parsed = parseEnv(logAwsEnvSchema, env);
  if (parsed.LOG_BUCKET === undefined || parsed.LOG_KMS_KEY_ID === undefined) return undefined;
  return { bucket: parsed.LOG_BUCKET, kmsKeyId: parsed.LOG_KMS_KEY_ID };
}
