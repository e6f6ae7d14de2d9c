import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { DEFAULT_ALERT_THRESHOLDS } from '../../../domain/alerts.ts';
import type { IdentifiedEvent } from '../../../domain/append-rules.ts';
import { alertSources } from '../../../functions/notify/alert-sources.ts';
import { NotificationStore } from '../../../functions/notify/notification-store.ts';
import { createNotifier, type NotifierDeps } from '../../../functions/notify/notifier.ts';
import { signedLinks } from '../../../functions/notify/signed-links.ts';
import { createStores } from '../../../functions/stores.ts';
import { ledgerKeys } from '../../../functions/tables/ledger-keys.ts';
import { projectCases } from '../../support/project-cases.ts';
import { servicesOn } from '../../support/test-services.ts';
import type { TestTables } from '../../support/test-tables.ts';
import { loopbackWebhookSender, renderTestEmail } from './real-delivery.ts';
import type { SmtpSink } from './smtp-sink.ts';
import { testLinks } from './test-links.ts';

/** A logger that keeps what it was told, so a test can look for addresses or secrets in it. */
export function keptLogger() {
  const lines: string[] = [];
  const keep =
    (level: string) =>
    (message: string, ...extra: unknown[]) => {
      lines.push(`${level} ${message} ${JSON.stringify(extra)}`);
    };
  return { lines, info: keep('info'), warn: keep('warn'), error: keep('error') };
}

export const LINK_SECRET = 'the notifier tests link-signing secret, 32+ bytes';

/**
 * The notifier over a real ledger, views and notifications table in DynamoDB Local, a clock the test moves, a
 * real SMTP sink, and the real email renderer and webhook sender. The ledger's clock is the same one, so events are recorded "now".
 */
export function notifierHarness(
  db: TestTables,
  smtp: SmtpSink,
  start: string,
  options: { webhooks?: NotifierDeps['webhooks'] } = {},
) {
  let nowMs = Date.parse(start);
  const clock = () => new Date(nowMs);
  const services = servicesOn(db, { clock });
  const { tamperLog } = createStores({
    clients: db.clients,
    tables: db.tables,
    clock,
    keyWrapper: db.keyWrapper,
  });
  const store = new NotificationStore({
    documents: db.clients.documents,
    tableName: db.tables.notifications,
  });
  const logger = keptLogger();
  const sources = alertSources({
    ledger: services.ledger,
    views: services.views,
    tamperLog,
    thresholds: DEFAULT_ALERT_THRESHOLDS,
  });
  const deps: NotifierDeps = {
    store,
    clock,
    logger,
    ...sources,
    email: smtp.transport,
    renderEmail: renderTestEmail,
    webhooks: options.webhooks ?? { mode: 'direct', sender: loopbackWebhookSender() },
    links: testLinks,
    signer: signedLinks(LINK_SECRET),
  };
  const notifier = createNotifier(deps);

  return {
    deps,
    services,
    store,
    notifier,
    logger,
    clock,
    setNow(iso: string) {
      nowMs = Date.parse(iso);
    },
    /** Appends events to a case (opening it when `expected` is `no_stream`) and projects it. */
    async append(
      caseId: string,
      events: IdentifiedEvent[],
      expected: 'no_stream' | 'stream_exists' = 'stream_exists',
    ) {
      const result = await services.ledger.append({ caseId, events, expected, recordedBy: 'desk-officer-1' });
      await projectCases(services, caseId);
      return result;
    },
    /** The ledger's stream record of an event item, built from the item as stored (as DynamoDB Streams would). */
    async insertRecord(caseId: string, version: number): Promise<DynamoDBRecord> {
      const { Item } = await db.clients.client.send(
        new GetItemCommand({
          TableName: db.tables.ledger,
          Key: marshallKey({ streamId: ledgerKeys.stream(caseId), version }),
        }),
      );
      if (!Item) throw new Error(`no event ${caseId} v${version}`);
      return {
        eventName: 'INSERT',
        dynamodb: {
          Keys: { streamId: { S: caseId }, version: { N: String(version) } },
          NewImage: Item as NonNullable<NonNullable<DynamoDBRecord['dynamodb']>['NewImage']>,
          SequenceNumber: `${caseId}-${version}`,
        },
      };
    },
  };
}

function marshallKey(key: { streamId: string; version: number }) {
  return { streamId: { S: key.streamId }, version: { N: String(key.version) } };
}
