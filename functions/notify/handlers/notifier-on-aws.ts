import { Logger } from '@aws-lambda-powertools/logger';
import { SQSClient } from '@aws-sdk/client-sqs';
import { loadRuntimeConfig } from '../../config.ts';
import { createDynamoDBClients } from '../../dynamodb-clients.ts';
import { createStores } from '../../stores.ts';
import { alertSources } from '../alert-sources.ts';
import { sesTransport } from '../email/ses-transport.ts';
import { createNotifier, type Notifier, type NotifierDeps } from '../notifier.ts';
import { loadNotifyConfig } from '../notify-config.ts';
import { webhookSender } from '../webhooks/webhook-sender.ts';
import { linkSecretReader } from './link-secret.ts';
import { notifierDeps } from './notifier-parts.ts';
import { sqsWebhookQueue } from './sqs-webhook-queue.ts';

/** How long one webhook attempt may take, well inside the consumer's 60 s for a batch of five. */
const WEBHOOK_TIMEOUT_MS = 10_000;

/** The webhook consumer reads no alerts: it only delivers notices already made. */
const NO_ALERTS: Pick<NotifierDeps, 'currentAlerts' | 'caseGroup'> = {
  currentAlerts: () => Promise.reject(new Error('the webhook consumer reads no alerts')),
  caseGroup: () => Promise.reject(new Error('the webhook consumer reads no cases')),
};

/**
 * The notifier as a Lambda function builds it from its environment (`notify-config.ts`, place `aws`): SES as
 * the configured identity, webhooks handed to the queue (the notifier) or sent directly (the queue's consumer),
 * the link key from Secrets Manager. The configuration is read once per instance, so a wrong one fails every
 * invocation with the same plain-words error; the key is read per invocation (cached for 5 minutes) and the
 * notifier made again only when it changed.
 */
export function notifierOnAws(role: 'notifier' | 'webhooks') {
  const runtime = loadRuntimeConfig();
  const notify = loadNotifyConfig(process.env, 'aws');
  const logger = new Logger({ serviceName: 'detention-ledger' });
  const clients = createDynamoDBClients(runtime.dynamodb);
  const queue =
    notify.webhooks.mode === 'queue'
      ? sqsWebhookQueue(new SQSClient({}), notify.webhooks.queueUrl)
      : undefined;
  const clock = () => new Date();
  const sources =
    role === 'notifier'
      ? (() => {
          const { ledger, views, tamperLog } = createStores({ clients, tables: runtime.tables });
          return alertSources({ ledger, views, tamperLog, thresholds: runtime.alerts });
        })()
      : NO_ALERTS;
  const email = sesTransport({ from: notify.from });
  const webhooks: NotifierDeps['webhooks'] =
    role === 'notifier' && queue
      ? { mode: 'queue', enqueue: queue.enqueue }
      : {
          mode: 'direct',
          sender: webhookSender({ policy: notify.webhookPolicy, timeoutMs: WEBHOOK_TIMEOUT_MS }),
        };
  const readSecret = linkSecretReader(notify.linkSecret);

  let made: { secret: string; notifier: Notifier } | undefined;
  const current = async (): Promise<Notifier> => {
    const secret = await readSecret();
    if (made?.secret !== secret) {
      const deps = notifierDeps({
        documents: clients.documents,
        notificationsTable: runtime.tables.notifications,
        from: notify.from,
        appBaseUrl: notify.appBaseUrl!,
        linkSecret: secret,
        email,
        webhooks,
        sources,
        clock,
        logger,
      });
      made = { secret, notifier: createNotifier(deps) };
    }
    return made.notifier;
  };
  return { current, logger, clock, queue };
}
