import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Subscription } from '../../domain/notifications/subscription.ts';
import { signedLinks } from '../../functions/notify/signed-links.ts';
import type { Services } from '../../functions/services.ts';
import { LINK_SECRET, notifierHarness } from '../notify/support/notifier-harness.ts';
import { type SmtpSink, startSmtpSink } from '../notify/support/smtp-sink.ts';
import { caller } from '../support/notification-requests.ts';
import { notificationServicesOn } from '../support/notification-services.ts';
import { detained, opening } from '../support/sample-events.ts';
import { createTestTables, type TestTables } from '../support/test-tables.ts';

/**
 * The whole way of an email subscription: subscribed through the API, its confirmation booked by the real
 * notifier and sent over a real SMTP server, the link's token posted back to the public route, and the
 * notice's one-click header used as a mail client would.
 */

let db: TestTables;
let smtp: SmtpSink;
let harness: ReturnType<typeof notifierHarness>;
let api: Services;

beforeAll(async () => {
  db = await createTestTables('confirm');
  smtp = await startSmtpSink();
  harness = notifierHarness(db, smtp, '2026-03-02T09:00:00Z');
  await harness.append('C-1042', [opening(), detained('2026-03-01')], 'no_stream');
  api = notificationServicesOn(db, {
    clock: harness.clock,
    links: signedLinks(LINK_SECRET),
    requestConfirmation: (subscription, now) => harness.notifier.requestConfirmation(subscription, now),
  });
});
afterAll(async () => {
  await smtp?.stop();
  await db?.drop();
});

const tokenIn = (url: string) => new URL(url).searchParams.get('token') ?? '';

describe('an email subscription, from the form to the confirmed address', () => {
  it('is confirmed by the link the notifier mailed, and ended by the one-click header', async () => {
    const subscribed = await caller(api)(['viewer'], 'desk-mail').post('/subscriptions', {
      scope: { kind: 'cases', caseIds: ['C-1042'] },
      alertKinds: ['consular_visit_overdue'],
      channel: { kind: 'email', address: 'desk.mail@example.org', language: 'en' },
    });
    expect(subscribed.status).toBe(201);
    const { id } = (await subscribed.json()) as Subscription;

    await harness.notifier.run(harness.clock());
    const mails = smtp.to('desk.mail@example.org');
    expect(mails).toHaveLength(1);
    const mail = await simpleParser(mails[0]?.raw ?? '');
    const confirmUrl = mail.text?.match(/https:\/\/\S+\/app\/confirm\?token=\S+/)?.[0] ?? '';
    expect(confirmUrl).not.toBe('');
    expect(mail.text).not.toContain('desk-mail');

    const confirmed = await api.app.request('/subscriptions/confirm', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: tokenIn(confirmUrl) }),
    });
    expect(await confirmed.json()).toEqual({ outcome: 'confirmed' });
    expect((await harness.store.getSubscription(id))?.state).toBe('active');
    // A confirmation has no unsubscribe header (there is nothing to leave yet); the first notice does.
    expect(mail.headers.get('list')).toBeUndefined();

    harness.setNow('2026-03-10T09:00:00Z'); // the first watch of the confirmed subscription: nothing overdue
    await harness.notifier.run(harness.clock());
    harness.setNow('2026-04-05T09:00:00Z'); // 35 days since the detention: the visit is overdue
    await harness.notifier.run(harness.clock());
    const told = smtp.to('desk.mail@example.org');
    expect(told).toHaveLength(2);
    const notice = await simpleParser(told[1]?.raw ?? '');
    // mailparser reads the List-* headers into `list`: { unsubscribe: { url } }.
    const list = notice.headers.get('list') as { unsubscribe?: { url?: string } } | undefined;
    const header = list?.unsubscribe?.url ?? '';
    expect(header).toContain('token=');
    const oneClick = await api.app.request(
      `/subscriptions/unsubscribe?token=${encodeURIComponent(tokenIn(header))}`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'List-Unsubscribe=One-Click',
      },
    );
    expect(await oneClick.json()).toEqual({ outcome: 'unsubscribed' });
    expect((await harness.store.getSubscription(id))?.state).toBe('unsubscribed');
  });
});
