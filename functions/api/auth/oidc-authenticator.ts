import { createRemoteJWKSet, errors, type JWTVerifyGetKey, jwtVerify } from 'jose';
import { LRUCache } from 'lru-cache';
import type { OidcAuthOptions } from '../../config.ts';
import { UnavailableError } from '../api-error.ts';
import { type Authenticator, bearerToken } from './authenticators.ts';
import { discoverOidcProvider, OidcDiscoveryError, type OidcProviderMetadata } from './oidc-discovery.ts';
import { type Claims, type Principal, principalFromClaims } from './principal.ts';

/** The clock skew allowed between the provider and the app for `exp`, `nbf` and `iat`. */
export const OIDC_CLOCK_TOLERANCE_SECONDS = 30;

/** The longest a checked token is taken on trust before its signature is checked again. */
const REMEMBER_MS = 5 * 60_000;

/** How long the key set may take to answer before the provider counts as down. */
const JWKS_TIMEOUT_MS = 5000;

/**
 * How long a failed discovery is remembered: meanwhile every request is answered 503 at once, instead of each
 * waiting up to the discovery timeout on a provider that is down, and piling onto it when it comes back.
 */
export const DISCOVERY_RETRY_AFTER_MS = 5000;

/**
 * What a token itself got wrong: a 401. Everything else (a key set that cannot be fetched, does not parse,
 * answers an error) is the provider's failure, not the caller's, and is answered 503.
 */
const REFUSED_TOKEN_CODES = new Set([
  errors.JWTExpired.code,
  errors.JWTClaimValidationFailed.code,
  errors.JWTInvalid.code,
  errors.JWSInvalid.code,
  errors.JWSSignatureVerificationFailed.code,
  errors.JOSEAlgNotAllowed.code,
  errors.JOSENotSupported.code,
  errors.JWKSNoMatchingKey.code,
  errors.JWKSMultipleMatchingKeys.code,
]);

function isRefusedToken(error: unknown): boolean {
  return error instanceof errors.JOSEError && REFUSED_TOKEN_CODES.has(error.code);
}

/**
 * Whether a token is for one of the audiences: its `aud` when it has one, else its `client_id`. Cognito's access
 * tokens carry no `aud`, only the client they were issued to, and API Gateway's JWT authorizer checks them the
 * same way; a token whose `aud` names someone else is refused whatever its `client_id` says.
 */
function isForAudience(claims: Claims, audiences: readonly string[]): boolean {
  const { aud, client_id: clientId } = claims;
  if (aud !== undefined) {
    const named = Array.isArray(aud) ? aud : [aud];
    return named.some((audience) => typeof audience === 'string' && audiences.includes(audience));
  }
  return typeof clientId === 'string' && audiences.includes(clientId);
}

export interface OidcAuthenticatorOptions
  extends Omit<OidcAuthOptions, 'mode' | 'clientId' | 'audienceParameter'> {
  /** Audiences accepted besides `audiences`, asked for before each check (they may change at run time). */
  readonly moreAudiences?: () => Promise<readonly string[]>;
  /** The time tokens are checked at: the system's clock. */
  readonly clock: () => Date;
  /** The provider's metadata, when the caller has discovered it already (the local runtime, at start). */
  readonly metadata?: OidcProviderMetadata;
  /**
   * How long after fetching the key set an unknown `kid` is refused without fetching it again: jose's 30 s by
   * default, so that tokens with made-up key ids cannot make the app hammer the provider.
   */
  readonly jwksCooldownMs?: number;
}

interface Verifier {
  readonly metadata: OidcProviderMetadata;
  readonly keys: JWTVerifyGetKey;
}

/**
 * Access tokens of an OpenID provider, verified by the app: the signature against the keys the issuer
 * publishes (fetched once, cached, and fetched again when a token names a key not yet seen, so the provider
 * may rotate its keys), only with the asymmetric algorithms it publishes, the issuer, one of the audiences,
 * and an `exp` that has not passed (with a little skew). The provider is discovered on first use, or given.
 * A provider that cannot be reached is an `UnavailableError` (503), never a refused token.
 */
export function oidcAuthenticator(options: OidcAuthenticatorOptions): Authenticator {
  const checked = new LRUCache<string, { principal: Principal; exp: number }>({
    max: 1000,
    ttl: REMEMBER_MS,
  });
  const verifierOf = (metadata: OidcProviderMetadata): Verifier => ({
    metadata,
    keys: createRemoteJWKSet(new URL(metadata.jwksUri), {
      timeoutDuration: JWKS_TIMEOUT_MS,
      ...(options.jwksCooldownMs !== undefined && { cooldownDuration: options.jwksCooldownMs }),
    }),
  });
  let verifier: Promise<Verifier> | undefined = options.metadata
    ? Promise.resolve(verifierOf(options.metadata))
    : undefined;
  const unreachable = (reason: string, cause: unknown) =>
    new UnavailableError([`the OpenID provider ${options.issuer}: ${reason}`], { cause });
  /** The last failed discovery, answered again until `DISCOVERY_RETRY_AFTER_MS` have passed. */
  let failed: { readonly at: number; readonly error: unknown } | undefined;

  const ready = (): Promise<Verifier> => {
    if (verifier) return verifier;
    const now = options.clock().getTime();
    if (failed && now - failed.at < DISCOVERY_RETRY_AFTER_MS) return Promise.reject(failed.error);
    verifier = discoverOidcProvider(options.issuer)
      .then(verifierOf)
      .catch((error: unknown) => {
        // Forgotten after a few seconds: then a request discovers again, so the app recovers once the
        // provider is back.
        verifier = undefined;
        const answered = error instanceof OidcDiscoveryError ? unreachable(error.reason, error) : error;
        failed = { at: now, error: answered };
        throw answered;
      });
    return verifier;
  };

  return async (c) => {
    const token = bearerToken(c);
    if (token === undefined) return undefined;
    const now = options.clock();
    const nowSeconds = now.getTime() / 1000;
    const remembered = checked.get(token);
    if (remembered) {
      return remembered.exp + OIDC_CLOCK_TOLERANCE_SECONDS > nowSeconds ? remembered.principal : undefined;
    }
    const { metadata, keys } = await ready();
    let claims: Claims;
    try {
      // The audience is checked below: `aud`, or `client_id` when the token has no `aud`.
      ({ payload: claims } = await jwtVerify(token, keys, {
        issuer: metadata.issuer,
        algorithms: [...metadata.algorithms],
        clockTolerance: OIDC_CLOCK_TOLERANCE_SECONDS,
        currentDate: now,
        requiredClaims: ['exp', 'sub'],
      }));
    } catch (error) {
      if (isRefusedToken(error)) return undefined;
      const reason = error instanceof Error ? error.message : String(error);
      throw unreachable(`its key set ${metadata.jwksUri} cannot be used (${reason})`, error);
    }
    const audiences = options.moreAudiences
      ? [...options.audiences, ...(await options.moreAudiences())]
      : options.audiences;
    if (!isForAudience(claims, audiences)) return undefined;
    const principal = principalFromClaims(claims, options.rolesClaim, {
      scope: options.piiScope,
      ...(options.piiGroup !== undefined && { group: options.piiGroup }),
    });
    const exp = claims.exp as number;
    const ttl = Math.min(REMEMBER_MS, (exp - nowSeconds) * 1000);
    if (principal && ttl > 0) checked.set(token, { principal, exp }, { ttl });
    return principal;
  };
}
