import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Notice } from '../../../domain/notifications/notice.ts';
import { createQueuedDeliveries, deliverWith } from '../../../functions/notify/handlers/queued-deliveries.ts';
import { retryDelaySeconds } from '../../../functions/notify/handlers/retry-delay.ts';
import { webhookMessageBody } from '../../../functions/notify/handlers/webhook-message.ts';
import { NotificationStore } from '../../../functions/notify/notification-store.ts';
import { loadNotifyConfig } from '../../../functions/notify/notify-config.ts';
import { localNotifier } from '../../../local/local-notifier.ts';
import { createTestTables, type TestTables } from '../../support/test-tables.ts';
import { anEndpoint, aSubscription } from '../support/notify-fixtures.ts';

/** The webhook queue's consumer over the real notifier, table and a receiver on loopback. */

let db: TestTables;
let receiver: Server;
let url: string;
/** What the receiver answers next, in order; 200 once the list is used up. */
const answers: number[] = [];
const received: { headers: Record<string, string>; body: string }[] = [];

beforeAll(async () => {
  db = await createTestTables('webhook-queue');
  receiver = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      received.push({ headers: request.headers as Record<string, string>, body });
      response.writeHead(answers.shift() ?? 200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/ledger`;
});
afterAll(async () => {
  await new Promise((resolve) => receiver.close(resolve));
  await db.drop();
});

function record(body: string, receiveCount: number, id = 'm-1'): SQSRecord {
  return {
    messageId: id,
    receiptHandle: `receipt-${id}-${receiveCount}`,
    body,
    attributes: {
      ApproximateReceiveCount: String(receiveCount),
      SentTimestamp: '0',
      SenderId: 'notifier',
      ApproximateFirstReceiveTimestamp: '0',
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:eu-west-1:123456789012:webhooks',
    awsRegion: 'eu-west-1',
  };
}
const event = (...records: SQSRecord[]): SQSEvent => ({ Records: records });

describe('the webhook queue consumer', () => {
  it('keeps the message of a delivery worth retrying, hidden longer, and lets it go once delivered', async () => {
    const store = new NotificationStore({
      documents: db.clients.documents,
      tableName: db.tables.notifications,
    });
    const endpoint = anEndpoint('ep-1', { url });
    await store.createEndpoint(endpoint);
    await store.createSubscription(
      aSubscription('sub-1', { channel: { kind: 'webhook', endpointId: 'ep-1' }, eventTypes: ['Released'] }),
    );
    // Now: receivers refuse signatures whose timestamp is far from their own clock.
    const now = new Date();
    const notice: Notice = {
      id: 'n-C-1042-released',
      subscriptionId: 'sub-1',
      createdAt: now.toISOString(),
      language: 'en',
      body: {
        kind: 'case_event',
        event: {
          caseId: 'C-1042',
          groupId: 'harbour-2025',
          eventId: 'e-1',
          version: 4,
          type: 'Released',
          occurredAt: '2026-01-31',
          recordedAt: now.toISOString(),
        },
      },
    };
    await store.transact([store.parts.putNotice(notice, { kind: 'subscription' }, now)]);

    const { notifier } = await localNotifier({
      notify: loadNotifyConfig(
        {
          WEBHOOKS_ALLOW_LOOPBACK: '1',
          WEBHOOKS_ALLOW_HTTP: '1',
          NOTIFY_LINK_SECRET: 'webhook queue test link key, 32+ chars',
        },
        'local',
      ),
      clients: db.clients,
      tables: db.tables,
      alerts: { consularVisitDays: 30, custodyExpiringDays: 14, noNewsDays: 60 },
      dataDir: undefined,
      appBaseUrl: 'http://127.0.0.1:3000/app/',
    });
    let clock = now;
    const delays: [string, number][] = [];
    const consume = createQueuedDeliveries({
      deliver: deliverWith(notifier),
      delay: async (receipt, seconds) => {
        delays.push([receipt, seconds]);
      },
      clock: () => clock,
      logger: { error: () => undefined, warn: () => undefined },
    });

    answers.push(503);
    const unreadable = record('{"notice":"<script>"}', 1, 'm-bad');
    const first = await consume(event(record(webhookMessageBody(notice.id), 1), unreadable));
    expect(first.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(['m-1', 'm-bad']);
    expect(delays).toEqual([['receipt-m-1-1', retryDelaySeconds(1)]]);
    expect(received).toHaveLength(1);

    // The second receive, after the wait: the receiver answers, and the message may be deleted.
    clock = new Date(now.getTime() + 60_000);
    const second = await consume(event(record(webhookMessageBody(notice.id), 2)));
    expect(second.batchItemFailures).toEqual([]);
    expect(received).toHaveLength(2);
    const delivered = received[1]!;
    const payload = new Webhook(endpoint.secrets[0]!.secret).verify(delivered.body, delivered.headers) as {
      type: string;
    };
    expect(payload.type).toBe('case.event_recorded');
    expect(delivered.headers['webhook-id']).toBe(notice.id);

    // A copy of the message (SQS delivers at least once) finds the notice delivered: nothing sent, nothing kept.
    const again = await consume(event(record(webhookMessageBody(notice.id), 1, 'm-copy')));
    expect(again.batchItemFailures).toEqual([]);
    expect(received).toHaveLength(2);
  });

  it('spreads tries from a minute to at most 12 hours, about 18 hours over eight', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map(retryDelaySeconds)).toEqual([
      60, 180, 540, 1620, 4860, 14_580, 43_200, 43_200,
    ]);
    expect([1, 2, 3, 4, 5, 6, 7].map(retryDelaySeconds).reduce((a, b) => a + b) / 3600).toBeGreaterThan(17);
  });
});
