import { describe, expect, it } from 'vitest';
import { checkWebhookTarget, type ResolveHost } from '../../../functions/notify/webhooks/target-check.ts';

const strict = { allowHttp: false, allowLoopback: false };
const httpOnly = { allowHttp: true, allowLoopback: false };
const local = { allowHttp: true, allowLoopback: true };

/** A resolver answering fixed addresses: simulates a public name that points into a private network. */
const answering =
  (...addresses: string[]): ResolveHost =>
  async () =>
    addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }) as const);

const refusal = async (url: string, policy = httpOnly, resolve?: ResolveHost) => {
  const check = await checkWebhookTarget(url, policy, resolve);
  if (check.ok) throw new Error(`${url} was accepted`);
  return check;
};

describe('checkWebhookTarget refuses what is not a public address, in words', () => {
  const cases: [string, RegExp][] = [
    ['http://10.0.0.1/hook', /10\.0\.0\.1 is a private network address/],
    ['http://192.168.1.1/hook', /192\.168\.1\.1 is a private network address/],
    ['http://172.16.0.1/hook', /172\.16\.0\.1 is a private network address/],
    ['http://127.0.0.1:8080/hook', /127\.0\.0\.1 is a loopback address/],
    ['http://[::1]/hook', /::1 is a loopback address/],
    ['http://[fd00::1]/hook', /fd00::1 is a unique-local/],
    ['http://169.254.169.254/latest/meta-data/', /169\.254\.169\.254 is a link-local address .*metadata/],
    ['http://100.64.0.1/hook', /100\.64\.0\.1 is a carrier-grade NAT/],
    ['http://[::ffff:127.0.0.1]/hook', /is a loopback address/],
    ['http://[::ffff:10.0.0.1]/hook', /is a private network address/],
    ['http://0.0.0.0/hook', /0\.0\.0\.0 is the unspecified address/],
    ['http://224.0.0.1/hook', /is a multicast address/],
    ['http://[fe80::1]/hook', /is a link-local address/],
    // A hex or decimal spelling of an address is read by URL as the address it means.
    ['http://0x7f000001/hook', /127\.0\.0\.1 is a loopback address/],
    ['http://2130706433/hook', /127\.0\.0\.1 is a loopback address/],
  ];
  for (const [url, words] of cases) {
    it(url, async () => {
      const check = await refusal(url);
      expect(check.reason).toMatch(words);
      expect(check.reason).toContain('webhooks are sent only to public addresses');
      expect(check.retryable).toBe(false);
    });
  }

  it('a real DNS name resolving to loopback (localhost) is refused by what it resolves to', async () => {
    expect((await refusal('http://localhost:9/hook')).reason).toMatch(
      /^the host localhost resolves to 127\.0\.0\.1, which is a loopback address .*; webhooks are sent only to public addresses$/,
    );
  });

  it('a name resolving to a private address (simulated resolver answer) is refused', async () => {
    const check = await refusal('https://hooks.example.org/x', strict, answering('10.1.2.3'));
    expect(check.reason).toMatch(
      /hooks\.example\.org resolves to 10\.1\.2\.3, which is a private network address/,
    );
  });

  it('every address counts: one private among public ones is refused', async () => {
    const check = await refusal('https://hooks.example.org/x', strict, answering('93.184.215.14', 'fd12::9'));
    expect(check.reason).toMatch(/fd12::9/);
  });

  it('http:// is refused unless allowed', async () => {
    expect((await refusal('http://hooks.example.org/x', strict, answering('93.184.215.14'))).reason).toBe(
      'the URL must use https://, not http://',
    );
  });

  it('user name and password in the URL are refused', async () => {
    expect(
      (await refusal('https://user:pw@hooks.example.org/x', strict, answering('93.184.215.14'))).reason,
    ).toBe('the URL must not carry a user name or password');
    expect(
      (await refusal('https://user@hooks.example.org/x', strict, answering('93.184.215.14'))).reason,
    ).toMatch(/user name or password/);
  });

  it('malformed, other-scheme and oversized URLs are refused', async () => {
    expect((await refusal('not a url', strict)).reason).toBe('the URL is not a valid absolute URL');
    expect((await refusal('', strict)).reason).toBe('the URL is not a valid absolute URL');
    expect((await refusal('ftp://hooks.example.org/x', strict)).reason).toMatch(/must use https/);
    expect((await refusal('file:///etc/passwd', httpOnly)).reason).toMatch(
      /must start with https:\/\/ or http:\/\//,
    );
    expect((await refusal(`https://hooks.example.org/${'a'.repeat(2000)}`, strict)).reason).toMatch(
      /longer than 2000/,
    );
  });

  it('a name that does not resolve is a failure worth retrying, not a refusal', async () => {
    const check = await refusal('https://no-such-host.invalid/x', strict);
    expect(check.reason).toMatch(/no-such-host\.invalid could not be resolved/);
    expect(check.retryable).toBe(true);
  });
});

describe('checkWebhookTarget accepts', () => {
  it('a public address on an odd port, with the addresses to connect to', async () => {
    const check = await checkWebhookTarget(
      'https://hooks.example.org:8443/x',
      strict,
      answering('93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'),
    );
    expect(check).toMatchObject({
      ok: true,
      addresses: [{ address: '93.184.215.14', family: 4 }, { family: 6 }],
    });
  });

  it('loopback, by address or by name, only when the policy allows it', async () => {
    expect((await checkWebhookTarget('http://127.0.0.1:8080/x', local)).ok).toBe(true);
    expect((await checkWebhookTarget('http://[::1]:8080/x', local)).ok).toBe(true);
    expect((await checkWebhookTarget('http://localhost:8080/x', local)).ok).toBe(true);
    // Loopback allowed is not private allowed.
    expect((await checkWebhookTarget('http://10.0.0.1/x', local)).ok).toBe(false);
  });
});
