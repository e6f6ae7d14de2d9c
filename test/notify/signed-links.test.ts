import { describe, expect, it } from 'vitest';
import { CONFIRM_LINK_TTL_MS, signedLinks } from '../../functions/notify/signed-links.ts';

const signer = signedLinks('a link-signing secret of enough bytes, for tests only');
const now = new Date('2026-01-05T08:00:00.000Z');

describe('signed links', () => {
  it('verify for their action; unsubscribe never expires, confirm after a week', () => {
    const unsubscribe = signer.sign('s-1', 'unsubscribe', now);
    expect(signer.verify(unsubscribe, 'unsubscribe', new Date('2036-01-01T00:00:00Z'))).toBe('s-1');
    expect(signer.verify(unsubscribe, 'confirm', now)).toBeUndefined();
    const confirm = signer.sign('s-1', 'confirm', now);
    expect(signer.verify(confirm, 'confirm', new Date(now.getTime() + CONFIRM_LINK_TTL_MS - 1000))).toBe(
      's-1',
    );
    expect(signer.verify(confirm, 'confirm', new Date(now.getTime() + CONFIRM_LINK_TTL_MS))).toBeUndefined();
  });

  it('refuse another secret, a changed id, and malformed or oversized tokens', () => {
    const token = signer.sign('s-1', 'unsubscribe', now);
    expect(
      signedLinks('another secret of enough bytes for the test!!').verify(token, 'unsubscribe', now),
    ).toBeUndefined();
    const [, mac] = token.split('.');
    const forged = `${Buffer.from('s-2|unsubscribe|0').toString('base64url')}.${mac}`;
    expect(signer.verify(forged, 'unsubscribe', now)).toBeUndefined();
    for (const hostile of ['', '.', 'a.b.c', `${token}x`, 'x'.repeat(10_000), token.replace('.', '')])
      expect(signer.verify(hostile, 'unsubscribe', now)).toBeUndefined();
    expect(() => signedLinks('short')).toThrow(/32 bytes/);
  });
});
