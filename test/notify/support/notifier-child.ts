/**
 * A notifier in a process of its own, for the crash test: one run at `NOTIFY_NOW` over the notifications table
 * named by `NOTIFY_TABLE` in the DynamoDB at `NOTIFY_DYNAMODB`, delivering webhooks directly. The test's receiver
 * kills this process with SIGKILL when the webhook arrives, so that the run dies after sending and before booking.
 */
import { createDynamoDBClients } from '../../../functions/dynamodb-clients.ts';
import { NotificationStore } from '../../../functions/notify/notification-store.ts';
import { createNotifier } from '../../../functions/notify/notifier.ts';
import { signedLinks } from '../../../functions/notify/signed-links.ts';
import { loopbackWebhookSender, renderTestEmail } from './real-delivery.ts';
import { testLinks } from './test-links.ts';

const { NOTIFY_DYNAMODB, NOTIFY_TABLE, NOTIFY_NOW } = process.env;
if (!NOTIFY_DYNAMODB || !NOTIFY_TABLE || !NOTIFY_NOW)
  throw new Error('NOTIFY_DYNAMODB, NOTIFY_TABLE, NOTIFY_NOW');
const now = new Date(NOTIFY_NOW);
const { documents } = createDynamoDBClients({ endpoint: NOTIFY_DYNAMODB });
const notifier = createNotifier({
  store: new NotificationStore({ documents, tableName: NOTIFY_TABLE }),
  clock: () => now,
  // Progress to stderr: stdout carries only the run's summary, printed if the run ever ends.
  logger: { info: console.error, warn: console.error, error: console.error },
  currentAlerts: async () => [],
  caseGroup: async () => null,
  email: {
    send: async () => {
      throw new Error('no email in this process');
    },
  },
  renderEmail: renderTestEmail,
  webhooks: { mode: 'direct', sender: loopbackWebhookSender() },
  links: testLinks,
  signer: signedLinks('the crash test child link-signing secret, 32+ bytes'),
});
const summary = await notifier.run(now);
process.stdout.write(`${JSON.stringify(summary)}\n`);
