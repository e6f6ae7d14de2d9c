import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import { UnavailableError } from '../api-error.ts';

/** How long a read value is used before the parameter is read again: a replaced client shows within minutes. */
const MAX_AGE_SECONDS = 300;

/** The most audiences a parameter may name, as for `OIDC_AUDIENCE`. */
const MAX_AUDIENCES = 10;

export interface AudienceParameterReaderOptions {
  /** The SSM parameter's name, e.g. `/detention-ledger/prod/oidc-audience`. */
  readonly name: string;
  /** Reads SSM Parameter Store and caches what it read; Powertools' default (the function's region) if absent. */
  readonly provider?: SSMProvider;
}

/**
 * Audiences the app accepts besides `OIDC_AUDIENCE`, read at run time from an SSM parameter (`OIDC_AUDIENCE_PARAMETER`,
 * comma-separated client ids): the stack's web client is made after the CloudFront distribution, whose address
 * is its callback, and the distribution stands in front of this very function, so the client's id cannot be in
 * the function's environment without a dependency cycle.
 *
 * The value is read again every few minutes; when a read fails, the value read before stays in use, so a passing
 * Parameter Store fault never locks people out; only an instance that never read it answers 503.
 */
export class AudienceParameterReader {
  readonly name: string;
  readonly #provider: SSMProvider;
  #last: readonly string[] | undefined;

  constructor(options: AudienceParameterReaderOptions) {
    this.name = options.name;
    // A request waits on the read when it is due: a stalled Parameter Store must cost seconds, not minutes.
    this.#provider =
      options.provider ??
      new SSMProvider({
        clientConfig: { maxAttempts: 2, requestHandler: { connectionTimeout: 1_000, requestTimeout: 2_000 } },
      });
  }

  /** @throws UnavailableError (503) when the parameter cannot be read and nothing was read before, or is empty. */
  async audiences(): Promise<readonly string[]> {
    let value: unknown;
    try {
      value = await this.#provider.get(this.name, { maxAge: MAX_AGE_SECONDS });
    } catch (error) {
      if (this.#last !== undefined) return this.#last;
      throw new UnavailableError([`the accepted audiences (SSM parameter ${this.name})`], { cause: error });
    }
    const audiences = typeof value === 'string' ? value.split(',').map((text) => text.trim()) : [];
    if (audiences.length === 0 || audiences.length > MAX_AUDIENCES || audiences.some((a) => a.length === 0)) {
      throw new UnavailableError([
        `the accepted audiences (SSM parameter ${this.name} must hold 1-${MAX_AUDIENCES} comma-separated client ids)`,
      ]);
    }
    this.#last = audiences;
    return audiences;
  }
}
