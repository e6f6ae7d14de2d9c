import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBClients } from '../functions/dynamodb-clients.ts';
import { alertSources } from '../functions/notify/alert-sources.ts';
import { smtpTransport } from '../functions/notify/email/smtp-transport.ts';
import { notifierDeps } from '../functions/notify/handlers/notifier-parts.ts';
import { createNotifier, type Notifier } from '../functions/notify/notifier.ts';
import type { NotifyConfig } from '../functions/notify/notify-config.ts';
import { webhookSender } from '../functions/notify/webhooks/webhook-sender.ts';
import { createStores } from '../functions/stores.ts';
import type { TableNames } from '../functions/tables/ensure-tables.ts';
import type { Logger } from './json-lines-logger.ts';
import { mailFolderTransport } from './mail-folder.ts';
import { startNotifierLoop } from './notifier-loop.ts';
import { localLinkSecret } from './notify-link-secret-file.ts';
import { startStreamPoller } from './stream-poller.ts';

export interface LocalNotifierOptions {
  readonly notify: NotifyConfig;
  readonly clients: DynamoDBClients;
  readonly tables: TableNames;
  readonly alerts: Parameters<typeof alertSources>[0]['thresholds'];
  /** The data directory; unset in memory. The mail folder and the link key are kept in it. */
  readonly dataDir: string | undefined;
  /** Where the runtime serves the web application, when `APP_BASE_URL` does not say. */
  readonly appBaseUrl: string;
  readonly clock?: () => Date;
  /** Where the notifier's own lines go; JSON Lines on stderr in the runtime. */
  readonly logger?: Logger;
}

/** Where local emails went: a mail server, or a folder of `.eml` files. */
export type LocalMail =
  | { readonly kind: 'smtp'; readonly server: string }
  | { readonly kind: 'folder'; readonly folder: string };

/** The notifier's log calls (Powertools' shape) as the runtime's JSON lines; its run summaries at info. */
function notifierLogger(logger: Logger | undefined) {
  const line =
    (level: 'info' | 'warn' | 'error') =>
    (message: string, ...extra: unknown[]) =>
      logger?.({ level, message, ...Object.assign({}, ...extra.filter((e) => typeof e === 'object')) });
  return { info: line('info'), warn: line('warn'), error: line('error') };
}

/** The notifier over the runtime's tables, as the local runtime and `npx ledger notify` run it. */
export async function localNotifier(
  options: LocalNotifierOptions,
): Promise<{ notifier: Notifier; mail: LocalMail }> {
  const { notify } = options;
  const clock = options.clock ?? (() => new Date());
  const { ledger, views, tamperLog } = createStores({
    clients: options.clients,
    tables: options.tables,
    clock,
  });
  const mail: LocalMail =
    notify.email.kind === 'smtp'
      ? { kind: 'smtp', server: new URL(notify.email.url).host }
      : {
          kind: 'folder',
          folder: join(options.dataDir ?? join(tmpdir(), `detention-ledger-${process.pid}`), 'mail'),
        };
  const email =
    notify.email.kind === 'smtp'
      ? smtpTransport({ url: notify.email.url, from: notify.from })
      : mailFolderTransport({ folder: (mail as { folder: string }).folder, from: notify.from, clock });
  const deps = notifierDeps({
    documents: options.clients.documents,
    notificationsTable: options.tables.notifications,
    from: notify.from,
    appBaseUrl: notify.appBaseUrl ?? options.appBaseUrl,
    linkSecret: await localLinkSecret(notify.linkSecret, options.dataDir),
    email,
    webhooks: { mode: 'direct', sender: webhookSender({ policy: notify.webhookPolicy }) },
    sources: alertSources({ ledger, views, tamperLog, thresholds: options.alerts }),
    clock,
    logger: notifierLogger(options.logger),
  });
  return { notifier: createNotifier(deps), mail };
}

/**
 * The notifier in the local runtime: a pass every `NOTIFY_INTERVAL_SECONDS` (as the schedule on AWS) and a
 * second reader of the ledger's stream feeding it new events (as its stream source on AWS). Stopped with the
 * runtime, after the pass or batch in hand.
 */
export async function startLocalNotifier(
  options: LocalNotifierOptions & { readonly streamsClient: DynamoDBStreamsClient; readonly logger: Logger },
) {
  const { notifier, mail } = await localNotifier(options);
  const poller = await startStreamPoller({
    client: options.clients.client,
    streamsClient: options.streamsClient,
    tableName: options.tables.ledger,
    handler: (event) => notifier.onLedgerRecords(event),
    logger: options.logger,
  });
  const loop = startNotifierLoop({
    run: (now) => notifier.run(now),
    intervalMs: options.notify.intervalSeconds * 1000,
    ...(options.clock && { clock: options.clock }),
    logger: options.logger,
  });
  return {
    notifier,
    mail,
    /** A pass now, after the one in hand. */
    runNow: () => loop.runNow(),
    /** Every ledger record so far has reached the notifier. */
    caughtUp: () => poller.idle(),
    async stop() {
      await loop.stop();
      await poller.stop();
    },
  };
}
