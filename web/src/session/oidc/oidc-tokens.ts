import type { OidcTokens } from './token-set.ts';

export type { OidcTokens };

/** A sign-in on its way to the provider and back: what the callback must check and where it leads. */
export interface PendingSignIn {
  readonly state: string;
  readonly nonce: string;
  readonly codeVerifier: string;
  readonly next: string;
}

export const OIDC_TOKENS_KEY = 'detention-ledger.oidc-tokens';
const PENDING_KEY = 'detention-ledger.oidc-pending';

function read(key: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(sessionStorage.getItem(key) ?? 'null');
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const text = (value: unknown) => (typeof value === 'string' && value.length > 0 ? value : undefined);

export function storedTokens(): OidcTokens | undefined {
  const stored = read(OIDC_TOKENS_KEY);
  const accessToken = text(stored?.accessToken);
  if (stored === undefined || accessToken === undefined) return undefined;
  if (typeof stored.receivedAt !== 'number' || typeof stored.expiresAt !== 'number') return undefined;
  const refreshToken = text(stored.refreshToken);
  const idToken = text(stored.idToken);
  return {
    accessToken,
    ...(refreshToken && { refreshToken }),
    ...(idToken && { idToken }),
    receivedAt: stored.receivedAt,
    expiresAt: stored.expiresAt,
  };
}

export function storeTokens(tokens: OidcTokens | undefined): void {
  if (tokens === undefined) sessionStorage.removeItem(OIDC_TOKENS_KEY);
  else sessionStorage.setItem(OIDC_TOKENS_KEY, JSON.stringify(tokens));
}

/** The pending sign-in, taken once: a second look (a reload of the callback) finds none. */
export function takePendingSignIn(): PendingSignIn | undefined {
  const stored = read(PENDING_KEY);
  sessionStorage.removeItem(PENDING_KEY);
  const [state, nonce, codeVerifier, next] = [
    text(stored?.state),
    text(stored?.nonce),
    text(stored?.codeVerifier),
    text(stored?.next),
  ];
  return state && nonce && codeVerifier && next ? { state, nonce, codeVerifier, next } : undefined;
}

export function storePendingSignIn(pending: PendingSignIn): void {
  sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
}
