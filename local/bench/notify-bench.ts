import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { CreateTableCommand, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import { QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { DEFAULT_ALERT_THRESHOLDS } from '../../domain/alerts.ts';
import { alertSources } from '../../functions/notify/alert-sources.ts';
import { smtpTransport } from '../../functions/notify/email/smtp-transport.ts';
import { notifierDeps } from '../../functions/notify/handlers/notifier-parts.ts';
import { NotificationStore } from '../../functions/notify/notification-store.ts';
import { createNotifier, type Notifier, type RunSummary } from '../../functions/notify/notifier.ts';
import type { EmailMessage, EmailTransport } from '../../functions/notify/ports.ts';
import { notificationKeys, SK_PREFIX } from '../../functions/notify/store/notification-keys.ts';
import { webhookSender } from '../../functions/notify/webhooks/webhook-sender.ts';
import { TamperLog } from '../../functions/store/tamper-log.ts';
import { notificationsTable } from '../../functions/tables/table-definitions.ts';
import { toCreateTableInput } from '../../functions/tables/to-create-table-input.ts';
import type { BenchSizes } from './bench-sizes.ts';
import { type BenchSmtpSink, startBenchSmtpSink } from './bench-smtp-sink.ts';
import { alternateOptions, type BenchTarget } from './bench-target.ts';
import type { Comparison } from './comparison.ts';
import { alternate, timed } from './measure.ts';
import { createNotifySubscriptions, loadNotifyCases } from './notify-load.ts';
import { type NotifyPass, notifyComparisons } from './notify-report.ts';
import { buildRawPartition, readPartition } from './raw-partition.ts';

/** How long the family waits for a pass's emails to reach the sink before it gives up: a guard, not a figure. */
const EMAIL_WAIT_MS = 120_000;

/**
 * A notifications table of the family's own: the runtime's notifier makes its passes over the runtime's table,
 * and must not baseline or tell the family's subscriptions between (or during) the passes measured here.
 */
async function createNotificationsTable(target: BenchTarget): Promise<string> {
  const tableName = `${target.prefix}-notifications`;
  await target.clients.client.send(new CreateTableCommand(toCreateTableInput(notificationsTable, tableName)));
  await waitUntilTableExists({ client: target.clients.client, maxWaitTime: 60 }, { TableName: tableName });
  return tableName;
}

/** What the notifier's log is told: nothing printed (a pass logs per subscription), its errors kept to report. */
function keptErrors() {
  const errors: string[] = [];
  const quiet = () => {};
  return {
    errors,
    logger: {
      info: quiet,
      warn: quiet,
      error: (message: string, ...extra: unknown[]) => {
        errors.push(`${message} ${JSON.stringify(extra)}`);
      },
    },
  };
}

type Logger = ReturnType<typeof keptErrors>['logger'];

/** The real SMTP transport, keeping each message it sent so the raw figure can send the very same ones. */
function keptMessages(transport: EmailTransport): EmailTransport & { sent: EmailMessage[] } {
  const sent: EmailMessage[] = [];
  return {
    sent,
    async send(message) {
      await transport.send(message);
      sent.push(message);
    },
  };
}

/**
 * The notifier as the local runtime assembles it (`notifierDeps`): the store over the family's table, the real
 * renderer and links, the SMTP transport to the sink; the ledger read through the benchmark's own stores.
 */
function benchNotifier(target: BenchTarget, tableName: string, email: EmailTransport, logger: Logger) {
  const tamperLog = new TamperLog({ documents: target.clients.documents, tableName: target.tables.ledger });
  const deps = notifierDeps({
    documents: target.clients.documents,
    notificationsTable: tableName,
    from: 'Detention Ledger <notices@bench.example.org>',
    appBaseUrl: `${target.apiUrl}/app/`,
    linkSecret: randomBytes(32).toString('base64url'),
    email,
    webhooks: {
      mode: 'direct',
      sender: webhookSender({ policy: { allowHttp: false, allowLoopback: false } }),
    },
    sources: alertSources({
      ledger: target.ledger,
      views: target.views,
      tamperLog,
      thresholds: DEFAULT_ALERT_THRESHOLDS,
    }),
    clock: () => new Date(),
    logger,
  });
  return createNotifier(deps);
}
async function timedPass(notifier: Notifier): Promise<{ ms: number; began: number; summary: RunSummary }> {
  const began = performance.now();
  const summary = await notifier.run(new Date());
  return { ms: performance.now() - began, began, summary };
}

function expectSummary(label: string, summary: RunSummary, expected: Partial<RunSummary>, errors: string[]) {
  const wrong = Object.entries(expected).filter(([key, value]) => summary[key as keyof RunSummary] !== value);
  if (wrong.length > 0 || summary.failed > 0) {
    throw new Error(
      `notify: the ${label} did ${JSON.stringify(summary)}, expected ${JSON.stringify(expected)}` +
        (errors.length > 0 ? `; the notifier logged: ${errors.slice(0, 3).join('; ')}` : ''),
    );
  }
}

/** One stored open-alert item of a subscription, as the template of the raw items. */
async function openAlertItem(target: BenchTarget, tableName: string, subscriptionId: string) {
  const { Items } = await target.clients.documents.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
      ExpressionAttributeValues: {
        ':pk': notificationKeys.subscription(subscriptionId).pk,
        ':p': SK_PREFIX.openAlert,
      },
      Limit: 1,
    }),
  );
  const item = Items?.[0];
  if (!item) throw new Error(`notify: subscription ${subscriptionId} has no open alert after its baseline`);
  return item;
}

/**
 * The raw operations a pass rests on, side by side at concurrency 1 (a pass is one subscription after another,
 * one transaction after another): a consistent `Query` of a partition of as many items, as big, as one
 * subscription's open alerts, and a `TransactWriteItems` of two conditional puts of such items.
 */
async function rawFigures(
  target: BenchTarget,
  sizes: BenchSizes,
  template: Record<string, unknown>,
  items: number,
) {
  const { documents } = target.clients;
  const table = target.raw.items;
  await buildRawPartition(documents, table, 'notify-open-alerts', template, items);
  let next = 0;
  const results = await alternate(
    {
      query: {
        operation: async () => {
          const read = await readPartition(documents, table, 'notify-open-alerts');
          if (read !== items) throw new Error(`the raw partition holds ${read} items, not ${items}`);
        },
      },
      transact: {
        operation: () => {
          next += 2;
          const version = next;
          const put = (v: number) => ({
            Put: {
              TableName: table,
              Item: { ...template, streamId: 'notify-bookings', version: v },
              ConditionExpression: 'attribute_not_exists(streamId)',
            },
          });
          return documents.send(
            new TransactWriteCommand({ TransactItems: [put(version), put(version + 1)] }),
          );
        },
      },
    },
    alternateOptions(target, sizes, 1),
  );
  for (const [name, result] of Object.entries(results)) {
    if (result.errors > 0) throw new Error(`notify: the raw ${name} failed: ${result.firstError}`);
  }
  return { query: results.query.latency, transact: results.transact.latency };
}

/** The emails of a pass sent again, straight through the transport, one after another, until the sink has them. */
async function sendStraight(
  transport: EmailTransport,
  sink: BenchSmtpSink,
  messages: readonly EmailMessage[],
) {
  const before = sink.received();
  return timed(async () => {
    for (const message of messages) await transport.send(message);
    await sink.waitFor(before + messages.length, EMAIL_WAIT_MS);
  });
}

/**
 * Family: notify. Opens `notifyCases` cases in a group of their own, half of them with an overdue visit, and
 * email subscriptions to the group (immediate and daily) in a notifications table of the family's own; then
 * times three passes of the notifier, assembled as the local runtime assembles it and sending to a real SMTP
 * server on loopback: the first (which baselines every subscription, a transaction per open alert), a quiet
 * one, and one after `notifyResolved` of the alerts resolve at once (a visit recorded for each), with the lag
 * from that pass's start to its last email received. Beside them, the raw operations a pass rests on.
 */
export async function benchNotify(target: BenchTarget, sizes: BenchSizes): Promise<Comparison[]> {
  const tableName = await createNotificationsTable(target);
  const store = new NotificationStore({ documents: target.clients.documents, tableName });
  const sink = await startBenchSmtpSink();
  try {
    const { errors, logger } = keptErrors();
    const transport = smtpTransport({ url: sink.url, from: 'notices@bench.example.org' });
    const email = keptMessages(transport);
    const notifier = benchNotifier(target, tableName, email, logger);
    const { notifyCases: cases, notifyImmediate: immediate, notifyDaily: daily } = sizes;
    const { alerting } = await loadNotifyCases(target, cases);
    const subscriptionIds = await createNotifySubscriptions(store, { immediate, daily }, new Date());
    const subscriptions = subscriptionIds.length;
    target.log(
      `notify: ${cases} cases (${alerting.length} alerting), ${immediate} immediate + ${daily} daily subscriptions`,
    );
    if (target.signal?.aborted) return [];

    const first = await timedPass(notifier);
    expectSummary('first pass', first.summary, { raised: 0, resolved: 0, digests: 0, delivered: 0 }, errors);
    const template = await openAlertItem(target, tableName, subscriptionIds[0]!);
    const baselined = (await store.listOpenAlerts(subscriptionIds.at(-1)!)).length;
    if (baselined !== alerting.length) {
      throw new Error(`notify: the first pass booked ${baselined} open alerts, not ${alerting.length}`);
    }
    target.log(`notify: first pass ${Math.round(first.ms)} ms`);
    if (target.signal?.aborted) return [];

    const quiet = await timedPass(notifier);
    expectSummary('quiet pass', quiet.summary, { raised: 0, resolved: 0, digests: 0, delivered: 0 }, errors);
    target.log(`notify: quiet pass ${Math.round(quiet.ms)} ms`);
    if (target.signal?.aborted) return [];

    const resolved = Math.min(sizes.notifyResolved, alerting.length);
    await Promise.all(alerting.slice(0, resolved).map((caseId) => target.appendVisits(caseId, 1)));
    await target.projected();
    const emails = immediate * resolved;
    const mailedBefore = sink.received();
    email.sent.length = 0;
    const resolve = await timedPass(notifier);
    expectSummary(
      'pass after the visits',
      resolve.summary,
      { raised: 0, resolved: subscriptions * resolved, digests: 0, delivered: emails },
      errors,
    );
    await sink.waitFor(mailedBefore + emails, EMAIL_WAIT_MS);
    const lagMs = emails > 0 ? (sink.lastReceivedAt() ?? Number.NaN) - resolve.began : Number.NaN;
    target.log(
      `notify: ${resolved} resolved: pass ${Math.round(resolve.ms)} ms, last email at ${Math.round(lagMs)} ms`,
    );
    if (target.signal?.aborted) return [];

    const raw = await rawFigures(target, sizes, template, alerting.length);
    const emailsMs = await sendStraight(transport, sink, email.sent);
    const pass = (timedRun: typeof first, bookings: number): NotifyPass => ({
      ms: timedRun.ms,
      summary: timedRun.summary,
      bookings,
    });
    return notifyComparisons({
      cases,
      alerting: alerting.length,
      immediate,
      daily,
      resolved,
      first: pass(first, subscriptions * alerting.length),
      quiet: pass(quiet, 0),
      resolve: pass(resolve, subscriptions * resolved),
      lagMs,
      emails,
      raw: { ...raw, emailsMs },
    });
  } finally {
    await sink.stop();
  }
}
