import type { Context } from 'hono';
import { verify } from 'hono/jwt';
import { type Claims, type Principal, principalFromClaims } from './principal.ts';

/** Finds who is calling; `undefined` when the request carries no valid credentials (a 401). */
export type Authenticator = (c: Context) => Promise<Principal | undefined>;

/** The largest bearer token read: a JWT with a few groups is far smaller, and a bigger one is refused unread. */
const MAX_TOKEN_LENGTH = 8192;

function bearerToken(c: Context): string | undefined {
  const header = c.req.header('authorization');
  const match =
    header === undefined ? null : /^Bearer ([A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]+)$/.exec(header);
  const token = match?.[1];
  return token !== undefined && token.length <= MAX_TOKEN_LENGTH ? token : undefined;
}

/**
 * Locally: HS256 tokens signed with a secret from configuration, checked here (signature, `exp`, `nbf`).
 * Only HS256 is accepted, so a token cannot choose a weaker algorithm or `none`.
 */
export function sharedSecretAuthenticator(options: { secret: string; rolesClaim: string }): Authenticator {
  return async (c) => {
    const token = bearerToken(c);
    if (token === undefined) return undefined;
    try {
      const claims = (await verify(token, options.secret, 'HS256')) as Claims;
      return principalFromClaims(claims, options.rolesClaim);
    } catch {
      return undefined;
    }
  };
}

interface ApiGatewayEnv {
  event?: { requestContext?: { authorizer?: { jwt?: { claims?: Claims } } } };
}

/**
 * On AWS: API Gateway's JWT authorizer has verified the token before the request reached the function, and
 * passes its claims in the event; the app reads them and never sees an unverified token's claims.
 */
export function apiGatewayAuthenticator(options: { rolesClaim: string }): Authenticator {
  return async (c) => {
    const claims = (c.env as ApiGatewayEnv | undefined)?.event?.requestContext?.authorizer?.jwt?.claims;
    return claims === undefined ? undefined : principalFromClaims(claims, options.rolesClaim);
  };
}
