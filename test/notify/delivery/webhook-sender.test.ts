import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebhookEndpoint } from '../../../domain/notifications/webhook-endpoint.ts';
import type { ResolveHost } from '../../../functions/notify/webhooks/target-check.ts';
import { webhookSender } from '../../../functions/notify/webhooks/webhook-sender.ts';
import { newEndpointSecret } from '../../../functions/notify/webhooks/webhook-signing.ts';
import { bodies, notice } from './sample-notices.ts';

/** What the receiver got: the raw body and headers, to verify as a real receiver would. */
interface Received {
  readonly path: string;
  readonly body: string;
  readonly headers: IncomingHttpHeaders;
}

let receiver: Server;
let base: string;
let port: number;
const received: Received[] = [];

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = req.url ?? '/';
      received.push({ path, body: Buffer.concat(chunks).toString('utf8'), headers: req.headers });
      if (path.startsWith('/ok')) res.writeHead(204).end();
      else if (path === '/fail') res.writeHead(503).end('down for maintenance');
      else if (path === '/busy') res.writeHead(429).end();
      else if (path === '/bad') res.writeHead(400).end('no');
      else if (path === '/gone') res.writeHead(410).end();
      else if (path === '/redirect') res.writeHead(302, { location: `${base}/ok-after-redirect` }).end();
      else if (path === '/big') res.writeHead(200).end(Buffer.alloc(4 * 1024 * 1024, 'x'));
      // '/slow' never answers.
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  port = (receiver.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  receiver.closeAllConnections();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
});

const loopback = { allowHttp: true, allowLoopback: true };
const secret = newEndpointSecret(randomBytes);

function endpoint(
  url: string,
  secrets: WebhookEndpoint['secrets'] = [{ secret, createdAt: '2026-01-01T00:00:00Z' }],
): WebhookEndpoint {
  return {
    id: 'E-1',
    url,
    contactEmail: 'ops@example.org',
    state: 'active',
    createdAt: '2026-01-01T00:00:00Z',
    createdBy: 'admin-1',
    secrets,
  };
}

const lastAt = (path: string) => received.filter((r) => r.path === path).at(-1);
const countAt = (path: string) => received.filter((r) => r.path === path).length;

describe('webhookSender delivering to a real receiver on loopback', () => {
  it('POSTs canonical JSON with Standard Webhooks headers that the receiver verifies', async () => {
    const sender = webhookSender({ policy: loopback });
    const n = notice(bodies.alert_raised, 'en', 'N-deliver-1');
    const result = await sender.deliver(endpoint(`${base}/ok`), n, new Date());
    expect(result).toMatchObject({ outcome: 'delivered', status: 204, retryable: false });
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
    const got = lastAt('/ok')!;
    expect(got.headers['content-type']).toBe('application/json');
    expect(got.headers['user-agent']).toBe('detention-ledger-webhooks');
    expect(got.headers['webhook-id']).toBe('N-deliver-1');
    const payload = new Webhook(secret).verify(got.body, got.headers as Record<string, string>);
    expect(payload).toMatchObject({
      type: 'alert.raised',
      data: { caseId: 'C-1042', noticeId: 'N-deliver-1' },
    });
  });

  it('during a rotation both the old and the new secret verify; a tampered body verifies with neither', async () => {
    const now = new Date();
    const newer = newEndpointSecret(randomBytes);
    const secrets = [
      { secret: newer, createdAt: now.toISOString() },
      {
        secret,
        createdAt: '2026-01-01T00:00:00Z',
        retiresAt: new Date(now.getTime() + 3_600_000).toISOString(),
      },
    ];
    const result = await webhookSender({ policy: loopback }).deliver(
      endpoint(`${base}/ok-rotation`, secrets),
      notice(bodies.digest, 'en', 'N-rotation'),
      now,
    );
    expect(result.outcome).toBe('delivered');
    const got = lastAt('/ok-rotation')!;
    const headers = got.headers as Record<string, string>;
    expect(headers['webhook-signature']!.split(' ')).toHaveLength(2);
    expect(new Webhook(newer).verify(got.body, headers)).toMatchObject({ type: 'digest.daily' });
    expect(new Webhook(secret).verify(got.body, headers)).toMatchObject({ type: 'digest.daily' });
    const tampered = got.body.replace('"C-1043"', '"C-9999"');
    expect(tampered).not.toBe(got.body);
    expect(() => new Webhook(newer).verify(tampered, headers)).toThrow();
    expect(() => new Webhook(secret).verify(tampered, headers)).toThrow();
  });

  it('after the overlap only the new secret signs', async () => {
    const now = new Date();
    const newer = newEndpointSecret(randomBytes);
    const secrets = [
      { secret: newer, createdAt: now.toISOString() },
      { secret, createdAt: '2026-01-01T00:00:00Z', retiresAt: new Date(now.getTime() - 1000).toISOString() },
    ];
    await webhookSender({ policy: loopback }).deliver(
      endpoint(`${base}/ok-retired`, secrets),
      notice(bodies.case_event),
      now,
    );
    const got = lastAt('/ok-retired')!;
    expect(new Webhook(newer).verify(got.body, got.headers as Record<string, string>)).toBeTruthy();
    expect(() => new Webhook(secret).verify(got.body, got.headers as Record<string, string>)).toThrow();
  });

  it('connects by name only to the address it checked, resolving once (no second lookup to rebind)', async () => {
    let lookups = 0;
    const resolver: ResolveHost = async () => {
      lookups += 1;
      return [{ address: '127.0.0.1', family: 4 }];
    };
    const result = await webhookSender({ policy: loopback, lookup: resolver }).deliver(
      endpoint(`http://hooks.example.org:${port}/ok-by-name`),
      notice(bodies.case_event),
      new Date(),
    );
    expect(result.outcome).toBe('delivered');
    expect(lookups).toBe(1);
    expect(lastAt('/ok-by-name')?.headers.host).toBe(`hooks.example.org:${port}`);
  });

  it('a real name (localhost) is delivered to when loopback is allowed', async () => {
    const result = await webhookSender({ policy: loopback }).deliver(
      endpoint(`http://localhost:${port}/ok-localhost`),
      notice(bodies.case_event),
      new Date(),
    );
    expect(result.outcome).toBe('delivered');
  });

  it('5xx and 429 are failures worth retrying', async () => {
    const sender = webhookSender({ policy: loopback });
    expect(
      await sender.deliver(endpoint(`${base}/fail`), notice(bodies.case_event), new Date()),
    ).toMatchObject({
      outcome: 'failed',
      status: 503,
      retryable: true,
      detail: 'the receiver answered 503',
    });
    expect(
      await sender.deliver(endpoint(`${base}/busy`), notice(bodies.case_event), new Date()),
    ).toMatchObject({
      outcome: 'failed',
      status: 429,
      retryable: true,
    });
  });

  it('other 4xx are failures not worth retrying', async () => {
    const sender = webhookSender({ policy: loopback });
    for (const [path, status] of [
      ['/bad', 400],
      ['/gone', 410],
    ] as const) {
      expect(
        await sender.deliver(endpoint(`${base}${path}`), notice(bodies.case_event), new Date()),
      ).toMatchObject({
        outcome: 'failed',
        status,
        retryable: false,
      });
    }
  });

  it('a redirect is not followed, even to a loopback URL that would answer', async () => {
    const before = countAt('/ok-after-redirect');
    const result = await webhookSender({ policy: loopback }).deliver(
      endpoint(`${base}/redirect`),
      notice(bodies.case_event),
      new Date(),
    );
    expect(result).toMatchObject({ outcome: 'failed', status: 302, retryable: false });
    expect(result.detail).toBe(
      `the receiver answered 302, a redirect to ${base}/ok-after-redirect; redirects are not followed`,
    );
    expect(countAt('/ok-after-redirect')).toBe(before);
  });

  it('a receiver that does not answer in time is a failure worth retrying', async () => {
    const result = await webhookSender({ policy: loopback, timeoutMs: 300 }).deliver(
      endpoint(`${base}/slow`),
      notice(bodies.case_event),
      new Date(),
    );
    expect(result).toMatchObject({ outcome: 'failed', retryable: true });
    expect(result.detail).toBe(`the receiver at 127.0.0.1:${port} did not answer within 300 ms`);
    expect(result.status).toBeUndefined();
  });

  it('a huge answer is read only in part, and the delivery still counts', async () => {
    const result = await webhookSender({ policy: loopback }).deliver(
      endpoint(`${base}/big`),
      notice(bodies.case_event),
      new Date(),
    );
    expect(result).toMatchObject({ outcome: 'delivered', status: 200 });
  });

  it('a closed port is a connection failure worth retrying, in words', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const result = await webhookSender({ policy: loopback }).deliver(
      endpoint(`http://127.0.0.1:${closedPort}/x`),
      notice(bodies.case_event),
      new Date(),
    );
    expect(result).toMatchObject({ outcome: 'failed', retryable: true });
    expect(result.detail).toMatch(
      new RegExp(`^could not reach the receiver at 127\\.0\\.0\\.1:${closedPort}: .*ECONNREFUSED`),
    );
  });
});

describe('webhookSender refuses targets it may not reach, before connecting', () => {
  const strict = { allowHttp: false, allowLoopback: false };

  it('loopback when not allowed: refused, not retryable, and the receiver hears nothing', async () => {
    const before = received.length;
    for (const url of [`${base}/ok`, `http://localhost:${port}/ok`, `http://[::ffff:127.0.0.1]:${port}/ok`]) {
      const result = await webhookSender({ policy: { allowHttp: true, allowLoopback: false } }).deliver(
        endpoint(url),
        notice(bodies.case_event),
        new Date(),
      );
      expect(result).toMatchObject({ outcome: 'refused', retryable: false });
      expect(result.detail).toMatch(/loopback address/);
    }
    expect(received.length).toBe(before);
  });

  it('private, metadata, CGNAT, unique-local, unspecified, http:// and credentials', async () => {
    const sender = webhookSender({ policy: strict });
    const refused: [string, RegExp][] = [
      ['https://10.0.0.1/x', /private network/],
      ['https://192.168.1.1/x', /private network/],
      ['https://172.16.0.1/x', /private network/],
      ['https://169.254.169.254/latest/meta-data/', /link-local/],
      ['https://100.64.0.1/x', /carrier-grade NAT/],
      ['https://[fd00::1]/x', /unique-local/],
      ['https://[::1]/x', /loopback/],
      ['https://0.0.0.0/x', /unspecified/],
      ['http://hooks.example.org/x', /must use https/],
      ['https://user:pw@hooks.example.org/x', /user name or password/],
    ];
    for (const [url, words] of refused) {
      const result = await sender.deliver(endpoint(url), notice(bodies.case_event), new Date());
      expect(result, url).toMatchObject({ outcome: 'refused', retryable: false });
      expect(result.detail, url).toMatch(words);
    }
  });

  it('a name that resolves to a private address (simulated resolver answer) is refused', async () => {
    const result = await webhookSender({
      policy: strict,
      lookup: async () => [{ address: '192.168.7.7', family: 4 }],
    }).deliver(endpoint('https://hooks.example.org/x'), notice(bodies.case_event), new Date());
    expect(result).toMatchObject({ outcome: 'refused', retryable: false });
    expect(result.detail).toMatch(/resolves to 192\.168\.7\.7, which is a private network address/);
  });

  it('an endpoint without a secret is refused rather than sent unsigned', async () => {
    const before = received.length;
    const result = await webhookSender({ policy: loopback }).deliver(
      endpoint(`${base}/ok`, []),
      notice(bodies.case_event),
      new Date(),
    );
    expect(result).toMatchObject({ outcome: 'refused', detail: 'the endpoint has no signing secret' });
    expect(received.length).toBe(before);
  });
});
