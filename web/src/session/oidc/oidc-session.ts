import {
  PII_SCOPE,
  principalFromClaims,
  seesPersonalData,
} from '../../../../functions/api/auth/principal.ts';
import type { OidcSignIn } from '../../app-config.ts';
import type { Session } from '../session-type.ts';
import { tokenClaims } from '../token-claims.ts';
import { renewAt } from './renewal.ts';
import type { OidcTokens } from './token-set.ts';

/** The API's default roles claim (`LEDGER_ROLES_CLAIM`), so both read the same claim unless configured. */
const DEFAULT_ROLES_CLAIM = 'cognito:groups';

function firstText(
  claims: Record<string, unknown> | undefined,
  names: readonly string[],
): string | undefined {
  for (const name of names) {
    const value = claims?.[name];
    if (typeof value === 'string' && value.trim() !== '') return value;
  }
  return undefined;
}

/**
 * The session the provider's tokens speak for. Roles and `pii` come from the access token by the API's own
 * rule (`principalFromClaims` with the same claim, scope and group), so the screens offer what the API allows;
 * the name comes from the id token, which says who the person is. The signatures are the API's to check.
 */
export function sessionOfOidcTokens(tokens: OidcTokens, signIn: OidcSignIn): Session | undefined {
  const claims = tokenClaims(tokens.accessToken);
  if (claims === undefined) return undefined;
  const principal = principalFromClaims(claims, signIn.rolesClaim ?? DEFAULT_ROLES_CLAIM, {
    scope: signIn.piiScope ?? PII_SCOPE,
    ...(signIn.piiGroup && { group: signIn.piiGroup }),
  });
  if (principal === undefined) return undefined;
  const identity = tokens.idToken === undefined ? undefined : tokenClaims(tokens.idToken);
  return {
    token: tokens.accessToken,
    name: firstText(identity, ['name', 'preferred_username', 'email']) ?? principal.subject,
    roles: [...principal.roles],
    pii: seesPersonalData(principal),
    expiresAt: tokens.expiresAt,
    renewAt: renewAt(tokens.receivedAt, tokens.expiresAt),
  };
}
