import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECRET_OVERLAP_MS, signingSecrets } from '../../domain/notifications/webhook-endpoint.ts';
import { NotificationStore } from '../../functions/notify/notification-store.ts';
import type { Services } from '../../functions/services.ts';
import { caller } from '../support/notification-requests.ts';
import { notificationServicesOn } from '../support/notification-services.ts';
import { createTestTables, type TestTables } from '../support/test-tables.ts';

let db: TestTables;
let loopbackAllowed: Services;
let publicOnly: Services;
let store: NotificationStore;
const now = new Date('2026-03-02T09:00:00Z');

beforeAll(async () => {
  db = await createTestTables('hooks');
  loopbackAllowed = notificationServicesOn(db, { clock: () => now });
  publicOnly = notificationServicesOn(db, {
    clock: () => now,
    webhookTargets: { allowHttp: false, allowLoopback: false },
  });
  store = new NotificationStore({ documents: db.clients.documents, tableName: db.tables.notifications });
});
afterAll(() => db.drop());

interface Answer {
  endpoint: { id: string; state: string; secrets: Array<{ createdAt: string; retiresAt?: string }> };
  secret: string;
}

const admin = () => caller(loopbackAllowed)(['admin'], 'chief');

/** The secret signs a payload that Standard Webhooks' own verifier accepts: a genuine `whsec_` secret. */
function signsVerifiably(secret: string) {
  const webhook = new Webhook(secret);
  const payload = JSON.stringify({ type: 'alert.raised' });
  // The verifier checks the timestamp against the real clock, not the test's.
  const sentAt = new Date();
  const signature = webhook.sign('msg_1', sentAt, payload);
  return webhook.verify(payload, {
    'webhook-id': 'msg_1',
    'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
    'webhook-signature': signature,
  });
}

describe('webhook endpoints', () => {
  let made: Answer;

  it('registers an endpoint and shows its secret once, never again', async () => {
    const response = await admin().post('/webhook-endpoints', {
      url: 'http://127.0.0.1:8099/hook',
      description: 'Desk system',
      contactEmail: 'ops@example.org',
    });
    expect(response.status, await response.clone().text()).toBe(201);
    made = (await response.json()) as Answer;
    expect(made.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(signsVerifiably(made.secret)).toBeTruthy();
    expect(made.endpoint).toMatchObject({ state: 'active', secrets: [{ createdAt: now.toISOString() }] });
    const one = await (await admin().get(`/webhook-endpoints/${made.endpoint.id}`)).text();
    const all = await (await admin().get('/webhook-endpoints')).text();
    expect(one).toContain(made.endpoint.id);
    expect(all).toContain(made.endpoint.id);
    for (const text of [one, all]) expect(text).not.toContain(made.secret.slice(6, 20));
  });

  it('rotates: a new secret once, and both sign for the overlap', async () => {
    const response = await admin().post(`/webhook-endpoints/${made.endpoint.id}/rotate-secret`);
    expect(response.status).toBe(200);
    const rotated = (await response.json()) as Answer;
    expect(rotated.secret).not.toBe(made.secret);
    expect(signsVerifiably(rotated.secret)).toBeTruthy();
    expect(rotated.endpoint.secrets).toEqual([
      { createdAt: now.toISOString() },
      { createdAt: now.toISOString(), retiresAt: new Date(now.getTime() + SECRET_OVERLAP_MS).toISOString() },
    ]);
    const stored = await store.getEndpoint(made.endpoint.id);
    expect(stored && signingSecrets(stored, now)).toEqual([rotated.secret, made.secret]);
    expect(stored && signingSecrets(stored, new Date(now.getTime() + SECRET_OVERLAP_MS + 1))).toEqual([
      rotated.secret,
    ]);
  });

  it('disables and enables', async () => {
    const disabled = await admin().post(`/webhook-endpoints/${made.endpoint.id}/disable`);
    expect(await disabled.json()).toMatchObject({ state: 'disabled' });
    expect((await store.getEndpoint(made.endpoint.id))?.state).toBe('disabled');
    const enabled = await admin().post(`/webhook-endpoints/${made.endpoint.id}/enable`);
    expect(await enabled.json()).toMatchObject({ state: 'active' });
  });

  it('pages through the delivery log, newest first', async () => {
    const attempts = [1, 2, 3].map((n) => ({
      endpointId: made.endpoint.id,
      noticeId: `notice-${n}`,
      attempt: 1,
      at: new Date(now.getTime() + n * 1000).toISOString(),
      outcome: n === 2 ? ('failed' as const) : ('delivered' as const),
      status: n === 2 ? 503 : 204,
      durationMs: 12,
    }));
    for (const attempt of attempts) await store.recordDeliveryAttempt(attempt);
    const first = (await (
      await admin().get(`/webhook-endpoints/${made.endpoint.id}/deliveries?limit=2`)
    ).json()) as {
      deliveries: Array<{ noticeId: string }>;
      next?: string;
    };
    expect(first.deliveries.map((d) => d.noticeId)).toEqual(['notice-3', 'notice-2']);
    expect(first.next).toBeDefined();
    const rest = (await (
      await admin().get(
        `/webhook-endpoints/${made.endpoint.id}/deliveries?limit=2&before=${encodeURIComponent(first.next ?? '')}`,
      )
    ).json()) as { deliveries: Array<{ noticeId: string }>; next?: string };
    expect(rest.deliveries.map((d) => d.noticeId)).toEqual(['notice-1']);
    expect(rest.next).toBeUndefined();
    expect((await admin().get(`/webhook-endpoints/${made.endpoint.id}/deliveries?limit=0`)).status).toBe(400);
    expect((await admin().get(`/webhook-endpoints/${made.endpoint.id}/deliveries?limit=101`)).status).toBe(
      400,
    );
  });

  it('answers 404 for an endpoint that is not there', async () => {
    for (const path of ['', '/rotate-secret', '/enable', '/disable', '/deliveries']) {
      const response =
        path === '' || path === '/deliveries'
          ? await admin().get(`/webhook-endpoints/no-such${path}`)
          : await admin().post(`/webhook-endpoints/no-such${path}`);
      expect(response.status, path).toBe(404);
    }
  });
});

describe('webhook targets that are refused, storing nothing', () => {
  const endpoints = async () => (await store.listEndpoints()).length;
  it.each([
    ['loopback', 'https://127.0.0.1/hook', /loopback/],
    ['localhost', 'https://localhost:8443/hook', /loopback/],
    ['a private address', 'https://10.1.2.3/hook', /private/],
    ['a link-local address (cloud metadata)', 'https://169.254.169.254/latest', /link-local/],
    ['IPv6 loopback', 'https://[::1]/hook', /loopback/],
    ['IPv4 mapped into IPv6', 'https://[::ffff:10.0.0.1]/hook', /private/],
    ['http to a public host', 'http://93.184.215.14/hook', /https/],
    ['a URL with a password', 'https://user:pw@93.184.215.14/hook', /password/],
    ['a name that does not resolve', 'https://no-such-host.invalid/hook', /could not be resolved/],
  ])('%s → 400', async (_, url, words) => {
    const before = await endpoints();
    const response = await caller(publicOnly)(['admin'], 'chief').post('/webhook-endpoints', {
      url,
      contactEmail: 'ops@example.org',
    });
    const text = await response.text();
    expect(response.status, text).toBe(400);
    expect(text).toMatch(words);
    expect(await endpoints()).toBe(before);
  });

  it.each([
    ['not a URL', { url: 'hooks', contactEmail: 'ops@example.org' }],
    ['ftp', { url: 'ftp://hooks.example.org/x', contactEmail: 'ops@example.org' }],
    ['no contact', { url: 'https://hooks.example.org/x' }],
    [
      'an unknown field',
      { url: 'https://hooks.example.org/x', contactEmail: 'ops@example.org', secret: 'mine' },
    ],
  ])('%s → 400', async (_, body) => {
    const before = await endpoints();
    expect((await caller(publicOnly)(['admin'], 'chief').post('/webhook-endpoints', body)).status).toBe(400);
    expect(await endpoints()).toBe(before);
  });

  it('takes https to a public address (a literal one: these tests do not depend on DNS)', async () => {
    const response = await caller(publicOnly)(['admin'], 'chief').post('/webhook-endpoints', {
      url: 'https://93.184.215.14/ledger',
      contactEmail: 'ops@example.org',
    });
    expect(response.status).toBe(201);
  });
});
