import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Subscription } from '../../domain/notifications/subscription.ts';
import { MAX_BODY_BYTES } from '../../functions/api/app.ts';
import { NotificationStore } from '../../functions/notify/notification-store.ts';
import type { Services } from '../../functions/services.ts';
import { caller } from '../support/notification-requests.ts';
import { notificationServicesOn } from '../support/notification-services.ts';
import { createTestTables, type TestTables } from '../support/test-tables.ts';

let db: TestTables;
let services: Services;
let store: NotificationStore;
let as: ReturnType<typeof caller>;
const now = new Date('2026-03-02T09:00:00Z');
/** What the confirmation dependency was asked to send, in order. */
const confirmationsAsked: Array<{ subscription: Subscription; at: Date }> = [];

const emailSubscription = {
  scope: { kind: 'group', groupId: 'harbour-2025' },
  alertKinds: ['consular_visit_overdue', 'custody_term_expiring'],
  channel: { kind: 'email', address: 'desk.one@example.org', language: 'en' },
  cadence: { kind: 'daily', hour: 8, timeZone: 'Europe/Vilnius' },
};

beforeAll(async () => {
  db = await createTestTables('subs');
  services = notificationServicesOn(db, {
    clock: () => now,
    requestConfirmation: async (subscription, at) => {
      confirmationsAsked.push({ subscription, at });
    },
  });
  store = new NotificationStore({ documents: db.clients.documents, tableName: db.tables.notifications });
  as = caller(services);
});
afterAll(() => db.drop());

const stored = async () => (await store.listSubscriptions()).length;

describe('subscribing by email', () => {
  let id: string;

  it('starts pending, asks for the confirmation to be sent, and answers where it is', async () => {
    const response = await as(['viewer'], 'desk-one').post('/subscriptions', emailSubscription);
    expect(response.status, await response.clone().text()).toBe(201);
    const body = (await response.json()) as Subscription;
    id = body.id;
    expect(body).toMatchObject({ state: 'pending', owner: 'desk-one', createdAt: now.toISOString() });
    expect(body).not.toHaveProperty('ownerRoles');
    expect(response.headers.get('location')).toBe(`/subscriptions/${id}`);
    expect(confirmationsAsked.map((asked) => [asked.subscription.id, asked.at.toISOString()])).toEqual([
      [id, now.toISOString()],
    ]);
    expect((await store.getSubscription(id))?.ownerRoles).toEqual(['viewer']);
  });

  it('lists only your own, and shows someone else’s as not found (it does not say it exists)', async () => {
    const mine = (await (await as(['viewer'], 'desk-one').get('/subscriptions')).json()) as {
      subscriptions: Subscription[];
    };
    expect(mine.subscriptions.map((s) => s.id)).toEqual([id]);
    const theirs = (await (await as(['auditor'], 'desk-two').get('/subscriptions')).json()) as {
      subscriptions: Subscription[];
    };
    expect(theirs.subscriptions).toEqual([]);
    const peek = await as(['auditor'], 'desk-two').get(`/subscriptions/${id}`);
    expect(peek.status).toBe(404);
    expect(((await peek.json()) as { detail: string }).detail).toContain('No subscription');
    expect((await as(['auditor'], 'desk-two').delete(`/subscriptions/${id}`)).status).toBe(404);
    expect((await store.getSubscription(id))?.state).toBe('pending');
  });

  it('lets admins see everyone’s with all=true, and nobody else', async () => {
    expect((await as(['viewer'], 'desk-one').get('/subscriptions?all=true')).status).toBe(403);
    const all = (await (await as(['admin'], 'chief').get('/subscriptions?all=true')).json()) as {
      subscriptions: Subscription[];
    };
    expect(all.subscriptions.map((s) => s.id)).toContain(id);
    expect((await as(['admin'], 'chief').get(`/subscriptions/${id}`)).status).toBe(200);
  });

  it('refuses a recorder who reads nothing, in words that say which roles may', async () => {
    const before = await stored();
    const response = await as(['recorder'], 'clerk').post('/subscriptions', emailSubscription);
    expect(response.status).toBe(403);
    expect(((await response.json()) as { detail: string }).detail).toMatch(/viewer, auditor, admin/);
    expect(await stored()).toBe(before);
  });

  it('unsubscribes its owner with DELETE, twice without error, and keeps the subscription', async () => {
    const first = await as(['viewer'], 'desk-one').delete(`/subscriptions/${id}`);
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ state: 'unsubscribed', unsubscribedAt: now.toISOString() });
    expect((await as(['viewer'], 'desk-one').delete(`/subscriptions/${id}`)).status).toBe(200);
    expect((await store.getSubscription(id))?.state).toBe('unsubscribed');
  });
});

describe('subscribing a webhook endpoint', () => {
  const webhookSubscription = (endpointId: string) => ({
    scope: { kind: 'all' },
    eventTypes: ['Released'],
    channel: { kind: 'webhook', endpointId },
  });

  it('is for admins only', async () => {
    const response = await as(['viewer', 'auditor'], 'desk-three').post(
      '/subscriptions',
      webhookSubscription('any'),
    );
    expect(response.status).toBe(403);
    expect(((await response.json()) as { detail: string }).detail).toContain('admin');
  });

  it('needs an endpoint that exists, and is active at once', async () => {
    const before = await stored();
    const missing = await as(['admin'], 'chief').post(
      '/subscriptions',
      webhookSubscription('no-such-endpoint'),
    );
    expect(missing.status).toBe(400);
    expect(await missing.text()).toContain('channel.endpointId');
    expect(await stored()).toBe(before);
    const made = await as(['admin'], 'chief').post('/webhook-endpoints', {
      url: 'http://127.0.0.1:9/hook',
      contactEmail: 'ops@example.org',
    });
    const { endpoint } = (await made.json()) as { endpoint: { id: string } };
    const asked = confirmationsAsked.length;
    const response = await as(['admin'], 'chief').post('/subscriptions', webhookSubscription(endpoint.id));
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ state: 'active', channel: { endpointId: endpoint.id } });
    expect(confirmationsAsked.length).toBe(asked);
  });
});

describe('bad input is refused in plain words and stores nothing', () => {
  const withChange = (change: Record<string, unknown>) => ({ ...emailSubscription, ...change });
  const cases: Array<[string, unknown, RegExp]> = [
    ['malformed JSON', '{"scope": {"kind": "all"', /JSON/i],
    ['an unknown field', withChange({ owner: 'someone-else' }), /owner/],
    [
      'a bad email address',
      withChange({ channel: { kind: 'email', address: 'not-an-address', language: 'en' } }),
      /channel\.address/,
    ],
    [
      'an unknown time zone',
      withChange({ cadence: { kind: 'daily', hour: 8, timeZone: 'Mars/Olympus_Mons' } }),
      /IANA time zone/,
    ],
    ['hour 24', withChange({ cadence: { kind: 'daily', hour: 24, timeZone: 'UTC' } }), /cadence\.hour/],
    [
      '300 case ids',
      withChange({
        scope: { kind: 'cases', caseIds: Array.from({ length: 300 }, (_, n) => `C-${1000 + n}`) },
      }),
      /at most 200 cases/,
    ],
    [
      'no alert kind nor event type',
      withChange({ alertKinds: [], eventTypes: [] }),
      /at least one alert kind/,
    ],
    ['an unknown alert kind', withChange({ alertKinds: ['everything'] }), /alertKinds/],
    [
      'a case id that is not an id',
      withChange({ scope: { kind: 'cases', caseIds: ['<script>'] } }),
      /caseIds/,
    ],
    ['an array instead of an object', [emailSubscription], /body/],
  ];

  it.each(cases)('%s → 400', async (_, body, words) => {
    const before = await stored();
    const response = await as(['viewer'], 'desk-four').post('/subscriptions', body);
    const text = await response.text();
    expect(response.status, text).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(text).toMatch(words);
    expect(await stored()).toBe(before);
  });

  it('a body over the limit → 413', async () => {
    const before = await stored();
    const huge = JSON.stringify(withChange({ padding: 'x'.repeat(MAX_BODY_BYTES) }));
    const response = await as(['viewer'], 'desk-four').post('/subscriptions', huge);
    expect(response.status).toBe(413);
    expect(await stored()).toBe(before);
  });

  it('an id that is not an id → 400, not a lookup', async () => {
    expect((await as(['viewer'], 'desk-four').get('/subscriptions/%3Cscript%3E')).status).toBe(400);
  });
});
