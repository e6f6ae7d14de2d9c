import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ENDPOINT_FAILURE_WINDOW_MS } from '../../domain/notifications/webhook-endpoint.ts';
import { consularVisit, detained, opening } from '../support/sample-events.ts';
import { createTestTables, type TestTables } from '../support/test-tables.ts';
import { notifierHarness } from './support/notifier-harness.ts';
import { anEndpoint, aSubscription } from './support/notify-fixtures.ts';
import { type SmtpSink, startSmtpSink } from './support/smtp-sink.ts';
import { startWebhookReceiver, verifyWebhook, type WebhookReceiver } from './support/webhook-receiver.ts';

/**
 * Webhooks sent directly to real receivers on loopback: retried with back-off and delivered once, an endpoint
 * failing for a day disabled with its contact told, and a notifier killed between sending and booking.
 */
let db: TestTables;
let smtp: SmtpSink;
let h: ReturnType<typeof notifierHarness>;
const receivers: WebhookReceiver[] = [];
const SECRET = `whsec_${Buffer.from('0123456789abcdef0123456789abcdef').toString('base64')}`;

beforeAll(async () => {
  db = await createTestTables('notify-hooks');
  smtp = await startSmtpSink();
  h = notifierHarness(db, smtp, '2026-03-01T09:00:00.000Z');
  await h.append('C-3001', [opening({ groupId: 'harbour' }), detained('2026-02-01')], 'no_stream');
});
afterAll(async () => {
  await Promise.all(receivers.map((receiver) => receiver.stop()));
  await smtp.stop();
  await db.drop();
});

/** An endpoint at a fresh receiver, a subscription of it to consular visits, and one visit's notice in the outbox. */
async function hookedVisit(name: string, contactEmail = 'ops@example.org') {
  const receiver = await startWebhookReceiver();
  receivers.push(receiver);
  await h.store.createEndpoint(
    anEndpoint(`e-${name}`, {
      url: receiver.url,
      contactEmail,
      secrets: [{ secret: SECRET, createdAt: h.clock().toISOString() }],
    }),
  );
  await h.store.createSubscription(
    aSubscription(`s-${name}`, {
      alertKinds: [],
      eventTypes: ['ConsularVisit'],
      channel: { kind: 'webhook', endpointId: `e-${name}` },
    }),
  );
  const { events } = await h.append('C-3001', [consularVisit('2026-02-20')]);
  const record = await h.insertRecord('C-3001', events[0]?.version ?? 0);
  await h.notifier.onLedgerRecords({ Records: [record] });
  return receiver;
}

const later = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();

describe('webhook delivery', () => {
  it('a receiver failing, then recovering: retried after a minute and delivered once, signed', async () => {
    const start = '2026-03-01T10:00:00.000Z';
    h.setNow(start);
    const receiver = await hookedVisit('flaky');
    receiver.answerWith((_, n) => (n === 1 ? 503 : 200));
    expect(await h.notifier.run()).toMatchObject({ delivered: 0, failed: 1 });
    expect(await h.notifier.run()).toMatchObject({ delivered: 0, failed: 0 }); // not due yet
    h.setNow(later(start, 60_000));
    expect(await h.notifier.run()).toMatchObject({ delivered: 1, failed: 0 });
    h.setNow(later(start, 3_600_000));
    expect(await h.notifier.run()).toMatchObject({ delivered: 0, failed: 0 });

    expect(receiver.received).toHaveLength(2);
    const [first, second] = receiver.received;
    expect(first?.headers['webhook-id']).toBe(second?.headers['webhook-id']);
    const [firstAt, secondAt] = [new Date(start), new Date(later(start, 60_000))];
    expect(verifyWebhook(SECRET, first!, firstAt)).toMatchObject({ type: 'case.event_recorded' });
    expect(verifyWebhook(SECRET, second!, secondAt)).toMatchObject({ type: 'case.event_recorded' });
    // Signed with another secret, it is refused: the check can fail.
    const otherSecret = `whsec_${Buffer.from('another secret, thirty-two bytes').toString('base64')}`;
    expect(() => verifyWebhook(otherSecret, first!, firstAt)).toThrow();
    const log = await h.store.listDeliveries('e-flaky', { limit: 10 });
    expect(log.attempts.map((a) => [a.attempt, a.outcome, a.status])).toEqual([
      [2, 'delivered', 200],
      [1, 'failed', 503],
    ]);
    expect((await h.store.getEndpoint('e-flaky'))?.failingSince).toBeUndefined();
  });

  it('an endpoint failing for more than a day is disabled, and its contact emailed once', async () => {
    const start = '2026-03-02T10:00:00.000Z';
    h.setNow(start);
    const receiver = await hookedVisit('down', 'hooks-contact@example.org');
    receiver.answerWith(() => 500);
    await h.notifier.run();
    expect((await h.store.getEndpoint('e-down'))?.failingSince).toBe(start);
    h.setNow(later(start, ENDPOINT_FAILURE_WINDOW_MS)); // a day exactly: not more
    await h.notifier.run();
    expect((await h.store.getEndpoint('e-down'))?.state).toBe('active');
    h.setNow(later(start, ENDPOINT_FAILURE_WINDOW_MS + 3_600_000));
    await h.notifier.run();
    expect((await h.store.getEndpoint('e-down'))?.state).toBe('disabled');
    await h.notifier.run();
    await h.notifier.run();
    const told = await smtp.parsedTo('hooks-contact@example.org');
    expect(told).toHaveLength(1);
    expect(told[0]?.subject).toBe(`Webhook endpoint disabled: ${new URL(receiver.url).host}`);
    // Disabled: the notice is not sent again.
    const attempts = receiver.received.length;
    h.setNow(later(start, 3 * ENDPOINT_FAILURE_WINDOW_MS));
    await h.notifier.run();
    expect(receiver.received).toHaveLength(attempts);
  });

  it('a notifier killed after sending and before booking: sent again with the same id, never lost', async () => {
    const start = '2026-03-05T10:00:00.000Z';
    h.setNow(start);
    const receiver = await hookedVisit('crash');
    const child = spawn('node_modules/.bin/tsx', ['test/notify/support/notifier-child.ts'], {
      env: {
        ...process.env,
        NOTIFY_DYNAMODB: inject('dynamodbEndpoint'),
        NOTIFY_TABLE: db.tables.notifications,
        NOTIFY_NOW: start,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    receiver.answerWith((_, n) => {
      if (n > 1) return 200;
      child.kill('SIGKILL');
      return 'hang';
    });
    const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
    expect({ code, signal }).toEqual({ code: null, signal: 'SIGKILL' });
    expect(output).toBe(''); // it never finished its run
    expect(receiver.received).toHaveLength(1);

    const [noticeId] = (await h.store.dueNoticeIds(new Date(later(start, 60_000)))).filter(
      (id) => id === receiver.received[0]?.headers['webhook-id'],
    );
    expect(noticeId).toBeDefined();
    expect(await h.store.getNotice(noticeId ?? '')).toMatchObject({ status: 'pending', attempts: 1 });

    // The visit was told to the other tests' endpoints too, so the runs' counts are not this notice's alone.
    await h.notifier.run();
    expect(receiver.received).toHaveLength(1); // its retry is not due yet
    h.setNow(later(start, 60_000));
    await h.notifier.run();
    expect(receiver.received).toHaveLength(2);
    expect(receiver.received[1]?.headers['webhook-id']).toBe(receiver.received[0]?.headers['webhook-id']);
    // Both really from the notifier: the child's delivery and the retry carry valid signatures.
    expect(verifyWebhook(SECRET, receiver.received[0]!, new Date(start))).toMatchObject({
      type: 'case.event_recorded',
    });
    expect(verifyWebhook(SECRET, receiver.received[1]!, h.clock())).toMatchObject({
      type: 'case.event_recorded',
    });
    expect(await h.store.getNotice(noticeId ?? '')).toMatchObject({ status: 'delivered', attempts: 2 });
  });
});
