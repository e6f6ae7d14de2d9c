import { createHmac, timingSafeEqual } from 'node:crypto';
import type { LinkAction, LinkSigner } from '../../functions/notify/ports.ts';

/**
 * An HMAC link signer for the API tests: `<id>.<action>.<expiry ms>.<mac>`. It stands in until
 * functions/notify/signed-links.ts is merged, and the tests then take that one instead.
 */
export function testLinkSigner(secret = 'link-secret-for-tests', lifetimeMs = 7 * 86_400_000): LinkSigner {
  const mac = (body: string) => createHmac('sha256', secret).update(body).digest('base64url');
  return {
    sign(subscriptionId: string, action: LinkAction, now: Date) {
      const body = `${subscriptionId}.${action}.${now.getTime() + lifetimeMs}`;
      return `${body}.${mac(body)}`;
    },
    verify(token: string, action: LinkAction, now: Date) {
      const parts = token.split('.');
      if (parts.length !== 4) return undefined;
      const [id, tokenAction, expiry, given] = parts as [string, string, string, string];
      const body = `${id}.${tokenAction}.${expiry}`;
      const expected = Buffer.from(mac(body));
      const received = Buffer.from(given);
      if (expected.length !== received.length || !timingSafeEqual(expected, received)) return undefined;
      if (tokenAction !== action || Number(expiry) <= now.getTime()) return undefined;
      return id;
    },
  };
}
