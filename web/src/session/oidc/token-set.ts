/**
 * What the provider gave this tab. Kept in session storage, not in memory alone, so a reload or a new page of
 * the same tab stays signed in, yet nothing outlives the tab or reaches other tabs, and no cookie carries the
 * token to the API where another site's page could make the browser send it. The refresh token is as
 * sensitive as the access token and lives exactly as long; the id token is kept as the hint for signing out.
 */
export interface OidcTokens {
  readonly accessToken: string;
  readonly refreshToken?: string;
  readonly idToken?: string;
  /** Epoch milliseconds: when this browser received the access token, and when it expires. */
  readonly receivedAt: number;
  readonly expiresAt: number;
}
