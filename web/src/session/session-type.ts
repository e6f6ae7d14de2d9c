import type { Role } from '../../../functions/api/auth/principal.ts';

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
