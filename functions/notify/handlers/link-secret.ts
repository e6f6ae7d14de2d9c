import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { CURSOR_SECRET_MAX_AGE_SECONDS } from '../../api/cursor-secret-max-age.ts';
import { type LinkSecretSource, MIN_LINK_SECRET_LENGTH } from '../notify-config.ts';

/** The link key cannot be had: the run fails, and is tried again (schedule, stream or queue). */
export class LinkSecretUnavailableError extends Error {
  readonly code = 'notify_link_secret_unavailable';
  constructor(reason: string, options?: ErrorOptions) {
    super(`The key that signs email links (NOTIFY_LINK_SECRET_ARN) ${reason}`, options);
    this.name = 'LinkSecretUnavailableError';
  }
}

/**
 * The key that signs the links in emails, as the functions read it: from Secrets Manager at run time (the
 * same pattern as the cursor key: cached, read again every 5 minutes, so a new value reaches every instance),
 * or given in the environment. A read that fails after one succeeded keeps the key read before.
 */
export function linkSecretReader(
  source: LinkSecretSource,
  provider: SecretsProvider = new SecretsProvider({
    clientConfig: { maxAttempts: 2, requestHandler: { connectionTimeout: 1_000, requestTimeout: 2_000 } },
  }),
): () => Promise<string> {
  if (source.kind === 'value') return async () => source.secret;
  if (source.kind === 'unset') {
    return async () => {
      throw new LinkSecretUnavailableError('is not set');
    };
  }
  let last: string | undefined;
  return async () => {
    let value: unknown;
    try {
      value = await provider.get(source.arn, { maxAge: CURSOR_SECRET_MAX_AGE_SECONDS });
    } catch (error) {
      if (last !== undefined) return last;
      throw new LinkSecretUnavailableError(`${source.arn} could not be read`, { cause: error });
    }
    if (typeof value !== 'string' || value.length < MIN_LINK_SECRET_LENGTH) {
      throw new LinkSecretUnavailableError(
        `${source.arn} must hold a text of at least ${MIN_LINK_SECRET_LENGTH} characters`,
      );
    }
    last = value;
    return value;
  };
}
