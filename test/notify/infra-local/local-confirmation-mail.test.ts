import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Subscription } from '../../../domain/notifications/subscription.ts';
import { createDynamoDBClients } from '../../../functions/dynamodb-clients.ts';
import { signedLinks } from '../../../functions/notify/signed-links.ts';
import { type LocalConfig, loadLocalConfig } from '../../../local/local-config.ts';
import { localNotifier } from '../../../local/local-notifier.ts';
import { type LocalRuntime, startLocalRuntime } from '../../../local/local-runtime.ts';

/** `npm start` as a person trying notifications meets it: no mail server, so their mail lands in a folder. */

let dataDir: string;
let config: LocalConfig;
let runtime: LocalRuntime;
const clients = createDynamoDBClients({ endpoint: inject('dynamodbEndpoint') });

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'ledger-local-mail-'));
  const suffix = randomBytes(4).toString('hex');
  config = loadLocalConfig({
    DYNAMODB_ENDPOINT: inject('dynamodbEndpoint'),
    LEDGER_TABLE: `mail-ledger-${suffix}`,
    VIEWS_TABLE: `mail-views-${suffix}`,
    KEYS_TABLE: `mail-keys-${suffix}`,
    NOTIFICATIONS_TABLE: `mail-notifications-${suffix}`,
    LEDGER_DATA_DIR: dataDir,
    PORT: '0',
    LEDGER_WEB: 'off',
    LEDGER_JWT_SECRET: 'local-mail-test-secret-0123456789abcdef',
    LEDGER_MASTER_KEY: randomBytes(32).toString('base64'),
    // Passes are run by the test; the interval's own would come only after it ended.
    NOTIFY_INTERVAL_SECONDS: '3600',
  });
  runtime = await startLocalRuntime(config, { logger: () => undefined });
});

afterAll(async () => {
  await runtime?.stop();
  clients.client.destroy();
  await rm(dataDir, { recursive: true, force: true });
});

const pending: Subscription = {
  id: 'sub-local-1',
  owner: 'desk-officer-7',
  ownerRoles: ['viewer'],
  state: 'pending',
  createdAt: '2026-01-05T09:00:00.000Z',
  scope: { kind: 'cases', caseIds: ['C-1042'] },
  alertKinds: ['consular_visit_overdue'],
  eventTypes: [],
  channel: { kind: 'email', address: 'desk@ngo.example', language: 'en' },
  cadence: { kind: 'immediate' },
};

describe('the local runtime without SMTP_URL', () => {
  it('writes a confirmation email as an .eml file in <data dir>/mail/, its link signed for this runtime', async () => {
    expect(runtime.mail).toEqual({ kind: 'folder', folder: join(dataDir, 'mail') });
    // The subscription and its confirmation as the API makes them, through the notifier's own code.
    const { notifier } = await localNotifier({
      notify: config.notify,
      clients,
      tables: config.tables,
      alerts: config.alerts,
      dataDir,
      appBaseUrl: `${runtime.url}/app/`,
    });
    const { NotificationStore } = await import('../../../functions/notify/notification-store.ts');
    await new NotificationStore({
      documents: clients.documents,
      tableName: config.tables.notifications,
    }).createSubscription(pending);
    await notifier.requestConfirmation(pending);

    await runtime.notifyNow();

    const files = await readdir(join(dataDir, 'mail'));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/\.eml$/);
    const mail = await simpleParser(await readFile(join(dataDir, 'mail', files[0]!)));
    expect(mail.to && 'text' in mail.to ? mail.to.text : '').toBe('desk@ngo.example');
    expect(mail.from?.text).toBe('detention-ledger@localhost');
    const link = /http:\/\/127\.0\.0\.1:\d+\/app\/confirm\?token=([\w.%-]+)/.exec(mail.text ?? '');
    expect(link?.[0].startsWith(`${runtime.url}/app/confirm?token=`)).toBe(true);
    // Signed with the key the runtime keeps in its data directory, so the link outlives a restart.
    const secret = (await readFile(join(dataDir, 'notify-link.secret'), 'utf8')).trim();
    expect(signedLinks(secret).verify(decodeURIComponent(link![1]!), 'confirm', new Date())).toBe(pending.id);

    // A second pass sends nothing again: the notice left the outbox.
    await runtime.notifyNow();
    expect(await readdir(join(dataDir, 'mail'))).toHaveLength(1);
  });
});
