import type { DynamoDBRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNotifier } from '../../functions/notify/notifier.ts';
import { consularVisit, detained, opening } from '../support/sample-events.ts';
import { createTestTables, type TestTables } from '../support/test-tables.ts';
import { notifierHarness } from './support/notifier-harness.ts';
import { anEndpoint, aSubscription } from './support/notify-fixtures.ts';
import { loopbackWebhookSender } from './support/real-delivery.ts';
import { type SmtpSink, startSmtpSink } from './support/smtp-sink.ts';
import { startWebhookReceiver, verifyWebhook, type WebhookReceiver } from './support/webhook-receiver.ts';

/** Hostile and odd stream records change nothing; in queue mode webhooks are handed on once per retry time. */
let db: TestTables;
let smtp: SmtpSink;
let receiver: WebhookReceiver;
let h: ReturnType<typeof notifierHarness>;
const enqueued: string[] = [];

beforeAll(async () => {
  db = await createTestTables('notify-inputs');
  smtp = await startSmtpSink();
  receiver = await startWebhookReceiver();
  h = notifierHarness(db, smtp, '2026-03-01T09:00:00.000Z', {
    webhooks: { mode: 'queue', enqueue: async (id) => void enqueued.push(id) },
  });
  await h.append('C-4001', [opening(), detained('2026-02-01')], 'no_stream');
  await h.store.createEndpoint(anEndpoint('e-q', { url: receiver.url }));
  await h.store.createSubscription(
    aSubscription('s-q', {
      alertKinds: [],
      eventTypes: ['ConsularVisit'],
      channel: { kind: 'webhook', endpointId: 'e-q' },
    }),
  );
});
afterAll(async () => {
  await receiver.stop();
  await smtp.stop();
  await db.drop();
});

describe('stream records the notifier ignores', () => {
  it('changes, removals, other items, missing images and malformed fields: no failure, no notice', async () => {
    const { events } = await h.append('C-4001', [consularVisit('2026-02-20')]);
    const real = await h.insertRecord('C-4001', events[0]?.version ?? 0);
    const image = real.dynamodb?.NewImage ?? {};
    const hostile: DynamoDBRecord[] = [
      { ...real, eventName: 'MODIFY' },
      { ...real, eventName: 'REMOVE' },
      { eventName: 'INSERT' },
      { eventName: 'INSERT', dynamodb: {} },
      { eventName: 'INSERT', dynamodb: { NewImage: { ...image, itemKind: { S: 'event-id-guard' } } } },
      { eventName: 'INSERT', dynamodb: { NewImage: { ...image, eventId: { N: '7' } } } },
      { eventName: 'INSERT', dynamodb: { NewImage: { ...image, version: { S: 'x' } } } },
      { eventName: 'INSERT', dynamodb: { NewImage: { itemKind: { S: 'event' } } } },
      { eventName: 'INSERT', dynamodb: { NewImage: { ...image, note: { X: 'not a type' } as never } } },
    ];
    expect(await h.notifier.onLedgerRecords({ Records: hostile })).toEqual({ batchItemFailures: [] });
    expect(await h.store.dueNoticeIds(new Date('2030-01-01T00:00:00Z'))).toEqual([]);
    expect(await h.notifier.onLedgerRecords({ Records: [real] })).toEqual({ batchItemFailures: [] });
    expect(await h.store.dueNoticeIds(h.clock())).toHaveLength(1);
  });
});

describe('queue mode', () => {
  it('hands a webhook notice to the queue once per retry time; the consumer delivers it', async () => {
    const now = h.clock();
    await h.notifier.run(now);
    await h.notifier.run(now);
    expect(enqueued).toHaveLength(1);
    // Lost by the queue: due again after the retry's delay, handed on again.
    await h.notifier.run(new Date(now.getTime() + 60_000));
    expect(enqueued).toHaveLength(2);
    const consumer = createNotifier({
      ...h.deps,
      webhooks: { mode: 'direct', sender: loopbackWebhookSender() },
    });
    expect(await consumer.deliverNotice(enqueued[0] ?? '', now)).toBe('delivered');
    expect(await consumer.deliverNotice(enqueued[1] ?? '', now)).toBe('skipped');
    expect(receiver.received).toHaveLength(1);
    const secret = anEndpoint('e-q').secrets[0]?.secret ?? '';
    expect(verifyWebhook(secret, receiver.received[0]!, now)).toMatchObject({ type: 'case.event_recorded' });
    expect(await consumer.deliverNotice('msg_not_a_notice', now)).toBe('skipped');
  });
});

describe('two notifiers at once', () => {
  it('tell an alert once and deliver it once', async () => {
    await h.store.createSubscription(
      aSubscription('s-race', { channel: { kind: 'email', address: 'race@example.org', language: 'en' } }),
    );
    await h.notifier.run(new Date('2026-03-02T09:00:00.000Z')); // the first run: records what stands
    const now = new Date('2026-03-25T09:00:00.000Z'); // 33 days since the visit of 20 February
    const other = createNotifier(h.deps);
    const [a, b] = await Promise.all([h.notifier.run(now), other.run(now)]);
    expect(a.raised + b.raised).toBe(1);
    expect(a.delivered + b.delivered).toBe(1);
    expect(smtp.to('race@example.org')).toHaveLength(1);
  });
});
