import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { ApiError, UnavailableError } from './api-error.ts';
import { CURSOR_SECRET_MAX_AGE_SECONDS } from './cursor-secret-max-age.ts';

/** What a caller is told it could not be given, without naming the secret. */
const CURSOR_KEY = 'the key that signs pagination cursors';

/** The shortest key the API accepts for signing cursors, as for `LEDGER_CURSOR_SECRET`. */
const MIN_SECRET_LENGTH = 32;

/**
 * The cursor secret could not be read, or is not a usable key: for the logs, naming the secret (never its
 * value). A caller is told only that the key is out of reach (`UnavailableError`, a 503).
 */
export class CursorSecretUnavailableError extends ApiError {
  readonly code = 'cursor_secret_unavailable';
  constructor(secretId: string, reason: string, options?: ErrorOptions) {
    super(`The cursor-signing secret ${secretId} (LEDGER_CURSOR_SECRET_ARN) ${reason}`, options);
    this.name = 'CursorSecretUnavailableError';
  }
}

export interface CursorSecretReaderOptions {
  /** The secret's ARN or name. */
  readonly secretId: string;
  /** Reads Secrets Manager and caches what it read; Powertools' default (the function's region) if absent. */
  readonly provider?: SecretsProvider;
  readonly maxAgeSeconds?: number;
}

/**
 * The key that signs pagination cursors, read from Secrets Manager at run time instead of sitting in the
 * function's environment, where anyone allowed to read the function's configuration would see it.
 *
 * `refresh()` before each request keeps `current` fresh at the cost of a memory look-up while the cached copy
 * is younger than the maximum age; then it reads the secret again (Powertools' cache). If that read fails, the
 * key read before stays in use, so a passing Secrets Manager fault never breaks paging; only an instance that
 * never read the key fails.
 */
export class CursorSecretReader {
  readonly secretId: string;
  readonly #provider: SecretsProvider;
  readonly #maxAge: number;
  #current: string | undefined;

  constructor(options: CursorSecretReaderOptions) {
    this.secretId = options.secretId;
    // Every request waits for a refresh that is due: a Secrets Manager that stalls must cost seconds, not the
    // function's whole time, and the SDK's own retries must not multiply it.
    this.#provider =
      options.provider ??
      new SecretsProvider({
        clientConfig: { maxAttempts: 2, requestHandler: { connectionTimeout: 1_000, requestTimeout: 2_000 } },
      });
    this.#maxAge = options.maxAgeSeconds ?? CURSOR_SECRET_MAX_AGE_SECONDS;
  }

  /**
   * The key as of the last `refresh()`.
   *
   * @throws UnavailableError (503) before a `refresh()` has succeeded: the request that needed a cursor fails,
   * and nothing is signed with a key of this instance's own making.
   */
  get current(): string {
    if (this.#current === undefined) throw new UnavailableError([CURSOR_KEY]);
    return this.#current;
  }

  /**
   * Makes `current` at most the maximum age old, reading the secret when needed.
   *
   * @throws CursorSecretUnavailableError when the secret cannot be read and no earlier value is held, or when
   * it holds no usable key (too short, or binary).
   */
  async refresh(): Promise<string> {
    let value: unknown;
    try {
      value = await this.#provider.get(this.secretId, { maxAge: this.#maxAge });
    } catch (error) {
      if (this.#current !== undefined) return this.#current;
      throw new CursorSecretUnavailableError(this.secretId, 'could not be read', { cause: error });
    }
    if (typeof value !== 'string' || value.length < MIN_SECRET_LENGTH) {
      throw new CursorSecretUnavailableError(
        this.secretId,
        `must hold a text value of at least ${MIN_SECRET_LENGTH} characters`,
      );
    }
    this.#current = value;
    return value;
  }
}
