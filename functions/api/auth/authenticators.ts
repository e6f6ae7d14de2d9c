import type { Context } from 'hono';
import { verify } from 'hono/jwt';
import { LRUCache } from 'lru-cache';
import { type Claims, type PiiGrant, type Principal, principalFromClaims } from './principal.ts';

/** Finds who is calling; `undefined` when the request carries no valid credentials (a 401). */
export type Authenticator = (c: Context) => Promise<Principal | undefined>;

/** The largest bearer token read: a JWT with a few groups is far smaller, and a bigger one is refused unread. */
const MAX_TOKEN_LENGTH = 8192;

/** The request's bearer token when it is shaped as a JWT and not oversized; `undefined` otherwise. */
export function bearerToken(c: Context): string | undefined {
  const header = c.req.header('authorization');
  const match =
    header === undefined ? null : /^Bearer ([A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]+)$/.exec(header);
  const token = match?.[1];
  return token !== undefined && token.length <= MAX_TOKEN_LENGTH ? token : undefined;
}

/** The longest a checked token is taken on trust before it is checked again. */
const REMEMBER_MS = 5 * 60_000;

/** The longest a local token may live: a leaked token is good for a working day at most, never for ever. */
export const MAX_TOKEN_LIFETIME_SECONDS = 24 * 60 * 60;

/**
 * Whether a verified token's lifetime is acceptable: it must say when it expires, and neither from when it was
 * issued nor from now may that be more than a day away. (`verify` has already refused an expired token.)
 */
function livesAcceptably(claims: Claims, nowMs: number): boolean {
  const { exp, iat } = claims;
  if (typeof exp !== 'number') return false;
  if (exp - nowMs / 1000 > MAX_TOKEN_LIFETIME_SECONDS) return false;
  return typeof iat !== 'number' || exp - iat <= MAX_TOKEN_LIFETIME_SECONDS;
}

/** How long a token just checked may be taken on trust: until it expires, and never longer than REMEMBER_MS. */
function trustFor(exp: number, nowMs: number): number {
  return Math.min(REMEMBER_MS, exp * 1000 - nowMs);
}

/**
 * Locally: HS256 tokens signed with a secret from configuration, checked here (signature, `exp`, `nbf`).
 * Only HS256 is accepted, so a token cannot choose a weaker algorithm or `none`; a token without `exp`, or
 * one that lives longer than `MAX_TOKEN_LIFETIME_SECONDS`, is refused, since nothing else could revoke it. A client sends the same token
 * with every request, and the signature check is a sizeable share of a small read's cost, so a token that
 * passed is remembered until it expires (five minutes at most); one that failed is checked every time.
 */
export function sharedSecretAuthenticator(options: { secret: string; rolesClaim: string }): Authenticator {
  const checked = new LRUCache<string, Principal>({ max: 1000, ttl: REMEMBER_MS });
  return async (c) => {
    const token = bearerToken(c);
    if (token === undefined) return undefined;
    const remembered = checked.get(token);
    if (remembered) return remembered;
    let claims: Claims;
    try {
      claims = (await verify(token, options.secret, 'HS256')) as Claims;
    } catch {
      return undefined;
    }
    const nowMs = Date.now();
    if (!livesAcceptably(claims, nowMs)) return undefined;
    const principal = principalFromClaims(claims, options.rolesClaim);
    const ttl = trustFor(claims.exp as number, nowMs);
    if (principal && ttl > 0) checked.set(token, principal, { ttl });
    return principal;
  };
}

interface ApiGatewayEnv {
  event?: { requestContext?: { authorizer?: { jwt?: { claims?: Claims } } } };
}

/**
 * On AWS: API Gateway's JWT authorizer has verified the token before the request reached the function, and
 * passes its claims in the event; the app reads them and never sees an unverified token's claims. The `pii`
 * permission is read from them as in `oidc` mode: a scope, or a group in the roles claim.
 */
export function apiGatewayAuthenticator(options: { rolesClaim: string; pii?: PiiGrant }): Authenticator {
  return async (c) => {
    const claims = (c.env as ApiGatewayEnv | undefined)?.event?.requestContext?.authorizer?.jwt?.claims;
    return claims === undefined ? undefined : principalFromClaims(claims, options.rolesClaim, options.pii);
  };
}
