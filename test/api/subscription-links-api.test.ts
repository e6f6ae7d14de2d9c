import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Subscription } from '../../domain/notifications/subscription.ts';
import { NotificationStore } from '../../functions/notify/notification-store.ts';
import { signedLinks } from '../../functions/notify/signed-links.ts';
import type { Services } from '../../functions/services.ts';
import { caller } from '../support/notification-requests.ts';
import { notificationServicesOn, TEST_LINK_SECRET } from '../support/notification-services.ts';
import { createTestTables, type TestTables } from '../support/test-tables.ts';

let db: TestTables;
let services: Services;
let store: NotificationStore;
const links = signedLinks(TEST_LINK_SECRET);
const now = new Date('2026-03-02T09:00:00Z');

beforeAll(async () => {
  db = await createTestTables('links');
  services = notificationServicesOn(db, { clock: () => now, links });
  store = new NotificationStore({ documents: db.clients.documents, tableName: db.tables.notifications });
});
afterAll(() => db.drop());

/** A new pending email subscription of an invented desk, made through the API. */
async function pendingSubscription(): Promise<string> {
  const response = await caller(services)(['viewer'], 'desk-links').post('/subscriptions', {
    scope: { kind: 'cases', caseIds: ['C-1042'] },
    alertKinds: ['no_news'],
    channel: { kind: 'email', address: 'desk.links@example.org', language: 'ru' },
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as Subscription).id;
}

/** A request with no credentials at all: the token is the only authority. */
const publicPost = (path: string, body: string, contentType = 'application/json') =>
  services.app.request(path, { method: 'POST', headers: { 'content-type': contentType }, body });

const confirm = (token: string) => publicPost('/subscriptions/confirm', JSON.stringify({ token }));
const unsubscribe = (token: string) => publicPost('/subscriptions/unsubscribe', JSON.stringify({ token }));
const stateOf = async (id: string) => (await store.getSubscription(id))?.state;

describe('the confirmation link', () => {
  it('confirms the address without a sign-in, once; a second click changes nothing', async () => {
    const id = await pendingSubscription();
    const token = links.sign(id, 'confirm', now);
    const first = await confirm(token);
    expect(first.status, await first.clone().text()).toBe(200);
    expect(await first.json()).toEqual({ outcome: 'confirmed' });
    expect(await store.getSubscription(id)).toMatchObject({
      state: 'active',
      confirmedAt: now.toISOString(),
    });
    expect(await (await confirm(token)).json()).toEqual({ outcome: 'already_confirmed' });
  });

  it.each([
    ['a token that is not ours', () => 'abc.confirm.999999999999999.forged'],
    ['an unsubscribe token', (id: string) => links.sign(id, 'unsubscribe', now)],
    [
      'a token signed with another key',
      (id: string) => signedLinks('another-link-secret-of-32-bytes-or-more').sign(id, 'confirm', now),
    ],
    [
      'an expired token',
      (id: string) => links.sign(id, 'confirm', new Date(now.getTime() - 30 * 86_400_000)),
    ],
    ['an empty token', () => ''],
  ])('refuses %s with a 400 in plain words, and changes nothing', async (_, tokenFor) => {
    const id = await pendingSubscription();
    const response = await confirm(tokenFor(id));
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(await stateOf(id)).toBe('pending');
  });

  it('answers 410 when the subscription was ended or is gone', async () => {
    const id = await pendingSubscription();
    await store.unsubscribe(id, now);
    const ended = await confirm(links.sign(id, 'confirm', now));
    expect(ended.status).toBe(410);
    expect(((await ended.json()) as { detail: string }).detail).toContain('subscribe again');
    expect(await stateOf(id)).toBe('unsubscribed');
    expect((await confirm(links.sign('never-made', 'confirm', now))).status).toBe(410);
  });

  it('refuses malformed and unknown bodies', async () => {
    expect((await publicPost('/subscriptions/confirm', '{"token":')).status).toBe(400);
    expect((await publicPost('/subscriptions/confirm', JSON.stringify({ token: 'x', id: 'y' }))).status).toBe(
      400,
    );
    expect(
      (await publicPost('/subscriptions/confirm', JSON.stringify({ token: 'x'.repeat(5000) }))).status,
    ).toBe(400);
  });
});

describe('the unsubscribe link', () => {
  it('ends the subscription from the page’s JSON post, and again is no error', async () => {
    const id = await pendingSubscription();
    const token = links.sign(id, 'unsubscribe', now);
    expect(await (await unsubscribe(token)).json()).toEqual({ outcome: 'unsubscribed' });
    expect(await stateOf(id)).toBe('unsubscribed');
    expect(await (await unsubscribe(token)).json()).toEqual({ outcome: 'already_unsubscribed' });
  });

  it('takes a mail client’s RFC 8058 one-click post: the form body, the token in the URL', async () => {
    const id = await pendingSubscription();
    const token = links.sign(id, 'unsubscribe', now);
    const response = await publicPost(
      `/subscriptions/unsubscribe?token=${encodeURIComponent(token)}`,
      'List-Unsubscribe=One-Click',
      'application/x-www-form-urlencoded',
    );
    expect(response.status, await response.clone().text()).toBe(200);
    expect(await stateOf(id)).toBe('unsubscribed');
  });

  it('refuses a form that is not the one-click form, a missing token and a confirm token, changing nothing', async () => {
    const id = await pendingSubscription();
    const token = links.sign(id, 'unsubscribe', now);
    const otherForm = await publicPost(
      `/subscriptions/unsubscribe?token=${encodeURIComponent(token)}`,
      'List-Unsubscribe=Please',
      'application/x-www-form-urlencoded',
    );
    expect(otherForm.status).toBe(400);
    const noToken = await publicPost(
      '/subscriptions/unsubscribe',
      'List-Unsubscribe=One-Click',
      'application/x-www-form-urlencoded',
    );
    expect(noToken.status).toBe(400);
    expect(await noToken.text()).toContain('token');
    expect((await unsubscribe(links.sign(id, 'confirm', now))).status).toBe(400);
    expect(await stateOf(id)).toBe('pending');
  });
});
