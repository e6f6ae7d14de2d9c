import { type Role, roles } from '../../../functions/api/auth/principal.ts';

/** Who is signed in, as their token says: kept for this browser tab only (session storage), never a cookie. */
export interface Session {
  readonly token: string;
  readonly name: string;
  readonly roles: readonly Role[];
  /** Whether personal data shows in clear: the `pii` scope, or the admin role (as the API decides). */
  readonly pii: boolean;
  /** Epoch milliseconds. */
  readonly expiresAt: number;
  /** When to renew the token before it expires (epoch milliseconds); only a provider's tokens are renewed. */
  readonly renewAt?: number;
}

const STORAGE_KEY = 'detention-ledger.session';

function base64UrlJson(part: string): unknown {
  const padded = part
    .replace(/-/g, '+')
    .replace(/_/g, '/')
    .padEnd(Math.ceil(part.length / 4) * 4, '=');
  const bytes = Uint8Array.from(atob(padded), (char) => char.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes));
}

/** A JWT's claims as written, unchecked (the API checks the signature); `undefined` when it is no JWT. */
export function tokenClaims(token: string): Record<string, unknown> | undefined {
  try {
    const claims = base64UrlJson(token.split('.')[1] ?? '');
    return typeof claims === 'object' && claims !== null && !Array.isArray(claims)
      ? (claims as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function listOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return typeof value === 'string' ? value.split(/[\s,]+/).filter(Boolean) : [];
}

/**
 * The session a token speaks for. The token's signature is the API's to check, not the browser's: this only
 * reads what to offer on screen, and the API refuses whatever the token does not allow.
 */
export function sessionOfToken(token: string): Session | undefined {
  try {
    const claims = base64UrlJson(token.split('.')[1] ?? '') as Record<string, unknown>;
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
  } catch {
    return undefined;
  }
}

export function storedSession(): Session | undefined {
  const token = sessionStorage.getItem(STORAGE_KEY);
  return token === null ? undefined : sessionOfToken(token);
}

export function storeSession(session: Session | undefined): void {
  if (session === undefined) sessionStorage.removeItem(STORAGE_KEY);
  else sessionStorage.setItem(STORAGE_KEY, session.token);
}
