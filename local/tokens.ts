import { sign } from 'hono/jwt';
import { PII_SCOPE, type Role } from '../functions/api/auth/principal.ts';

export interface TokenRequest {
  /** The HS256 secret the API checks tokens with (`LEDGER_JWT_SECRET`). */
  readonly secret: string;
  /** Who the token speaks for: what `recordedBy` will say. */
  readonly subject: string;
  readonly roles: readonly Role[];
  /** Adds the `pii` scope: personal data in clear. */
  readonly pii?: boolean;
  /** Lifetime; 8 hours by default. */
  readonly ttlSeconds?: number;
  readonly now?: Date;
  /** The claim the roles go in; the API's `LEDGER_ROLES_CLAIM`. */
  readonly rolesClaim?: string;
}

/** Mints a token the local API accepts, shaped as Cognito's: roles in `cognito:groups`, scopes in `scope`. */
export function mintToken(request: TokenRequest): Promise<string> {
  const issuedAt = Math.floor((request.now ?? new Date()).getTime() / 1000);
  return sign(
    {
      sub: request.subject,
      [request.rolesClaim ?? 'cognito:groups']: [...request.roles],
      ...(request.pii && { scope: PII_SCOPE }),
      iat: issuedAt,
      exp: issuedAt + (request.ttlSeconds ?? 8 * 60 * 60),
    },
    request.secret,
    'HS256',
  );
}
