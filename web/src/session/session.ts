import { type Role, roles } from '../../../functions/api/auth/principal.ts';
import type { Session } from './session-type.ts';
import { tokenClaims } from './token-claims.ts';

export type { Session };

const STORAGE_KEY = 'detention-ledger.session';

function listOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return typeof value === 'string' ? value.split(/[\s,]+/).filter(Boolean) : [];
}

/**
 * The session a token speaks for. The token's signature is the API's to check, not the browser's: this only
 * reads what to offer on screen, and the API refuses whatever the token does not allow.
 */
export function sessionOfToken(token: string): Session | undefined {
  const claims = tokenClaims(token);
  if (claims === undefined) return undefined;
  const known = new Set<string>(roles);
  const held = listOf(claims['cognito:groups']).filter((role): role is Role => known.has(role));
  if (typeof claims.sub !== 'string' || typeof claims.exp !== 'number') return undefined;
  return {
    token,
    name: claims.sub,
    roles: held,
    pii: listOf(claims.scope).includes('pii') || held.includes('admin'),
    expiresAt: claims.exp * 1000,
  };
}

export function storedSession(): Session | undefined {
  const token = sessionStorage.getItem(STORAGE_KEY);
  return token === null ? undefined : sessionOfToken(token);
}

export function storeSession(session: Session | undefined): void {
  if (session === undefined) sessionStorage.removeItem(STORAGE_KEY);
  else sessionStorage.setItem(STORAGE_KEY, session.token);
}
