import { createHmac, timingSafeEqual } from 'node:crypto';
import type { LinkSigner } from './ports.ts';

/** How long a confirmation link works: a week to open one's mail. Unsubscribe links never expire (RFC 8058). */
export const CONFIRM_LINK_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** Longer tokens are refused before any work: a hostile link must not cost a hash of a megabyte. */
const MAX_TOKEN_LENGTH = 512;
const NEVER = '0';

/**
 * Tokens for links that act without signing in: `base64url(subscriptionId|action|expiry)` and
 * `base64url(HMAC-SHA256(that))`, joined by a dot. The expiry is epoch seconds, `0` for never. The MAC is
 * compared in constant time; anything malformed, of another action, or expired verifies as `undefined`.
 */
export function signedLinks(secret: string | Uint8Array): LinkSigner {
  const key = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : Buffer.from(secret);
  if (key.length < 32) throw new Error('The link-signing secret must be at least 32 bytes');
  const mac = (payload: string) => createHmac('sha256', key).update(payload, 'utf8').digest();

  return {
    sign(subscriptionId, action, now) {
      const expiry =
        action === 'confirm' ? String(Math.floor((now.getTime() + CONFIRM_LINK_TTL_MS) / 1000)) : NEVER;
      const payload = `${subscriptionId}|${action}|${expiry}`;
      return `${Buffer.from(payload, 'utf8').toString('base64url')}.${mac(payload).toString('base64url')}`;
    },

    verify(token, action, now) {
      if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) return undefined;
      const [encoded, signature, ...rest] = token.split('.');
      if (!encoded || !signature || rest.length > 0) return undefined;
      const payload = Buffer.from(encoded, 'base64url').toString('utf8');
      const given = Buffer.from(signature, 'base64url');
      const expected = mac(payload);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
      // Split from the right: the action and expiry never hold a bar; the id is what remains.
      const parts = payload.split('|');
      const expiry = parts.pop();
      const tokenAction = parts.pop();
      const subscriptionId = parts.join('|');
      if (tokenAction !== action || !subscriptionId || expiry === undefined || !/^\d{1,12}$/.test(expiry))
        return undefined;
      if (expiry !== NEVER && Number(expiry) * 1000 <= now.getTime()) return undefined;
      return subscriptionId;
    },
  };
}
