/** The share of an access token's life after which it is renewed: early enough that no call meets it expired. */
export const RENEW_AT_SHARE = 0.8;

/**
 * When to renew an access token received at `receivedAt` that expires at `expiresAt` (epoch milliseconds): at
 * 80% of its life, measured from when this browser received it (so a clock that is off does not matter).
 */
export function renewAt(receivedAt: number, expiresAt: number): number {
  return receivedAt + Math.max(0, expiresAt - receivedAt) * RENEW_AT_SHARE;
}
