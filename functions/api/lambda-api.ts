import { Logger } from '@aws-lambda-powertools/logger';
import { ConfigurationError, loadRuntimeConfig } from '../config.ts';
import { createDynamoDBClients } from '../dynamodb-clients.ts';
import { loadLogAwsConfig } from '../log/handlers/log-aws-config.ts';
import { type LogAwsClients, logPartsOnAws } from '../log/handlers/log-parts-on-aws.ts';
import { createLogReads } from '../log/log-reads.ts';
import { currentLinkSigner } from '../notify/current-link-signer.ts';
import { linkSecretReader } from '../notify/handlers/link-secret.ts';
import type { LinkSecretSource } from '../notify/notify-config.ts';
import { keyWrapperFrom } from '../personal-data/key-wrapper-from-config.ts';
import { createStores } from '../stores.ts';
import { createApi } from './create-api.ts';
import { CursorSecretReader } from './cursor-secret.ts';
import { linksNotConfigured } from './notifications/links-not-configured.ts';
import { notificationDependencies } from './notifications/notification-dependencies.ts';

/**
 * The key of email links as the API functions are given it: the stack sets `NOTIFY_LINK_SECRET_ARN` only when
 * notifications are on; without it, subscribing works and links are refused (no email is sent to confirm).
 */
function linkSecretSourceOf(env: Record<string, string | undefined>): LinkSecretSource {
  if (env.NOTIFY_LINK_SECRET) return { kind: 'value', secret: env.NOTIFY_LINK_SECRET };
  if (env.NOTIFY_LINK_SECRET_ARN) return { kind: 'secrets-manager', arn: env.NOTIFY_LINK_SECRET_ARN };
  return { kind: 'unset' };
}

/** What requests reach the function through: API Gateway with its JWT authorizer, or a bare function URL. */
export type LambdaFront = 'api-gateway' | 'function-url';

/**
 * The API as a Lambda instance runs it, whichever way requests reach it (API Gateway, or a function URL that
 * streams): built once per instance, outside any handler, so warm invocations reuse clients and the app.
 * Nothing here waits on the network: the cursor and link keys are read on the first request, not at start.
 */
export function lambdaApi(
  front: LambdaFront,
  env: Record<string, string | undefined> = process.env,
  /** Where the log's tiles and key are reached; unset: the region's S3 and KMS. */
  logClients: LogAwsClients = {},
) {
  const config = loadRuntimeConfig(env);
  // `api-gateway` trusts claims an authorizer has checked; behind a function URL nothing checked them, and any
  // caller could claim any role.
  if (front === 'function-url' && config.auth.mode === 'api-gateway') {
    throw new ConfigurationError([
      'AUTH_MODE: api-gateway trusts an authorizer in front, and none stands in front of a function URL; use a mode in which the app verifies tokens itself',
    ]);
  }
  const logger = new Logger({ serviceName: 'detention-ledger' });
  const cursorSecret = config.cursorSecretArn
    ? new CursorSecretReader({ secretId: config.cursorSecretArn })
    : undefined;
  const clients = createDynamoDBClients(config.dynamodb);
  const links = linkSecretSourceOf(env);
  const readLinkSecret = links.kind === 'unset' ? undefined : linkSecretReader(links);
  let linkSecret: string | undefined;
  const stores = createStores({
    clients,
    tables: config.tables,
    keyWrapper: keyWrapperFrom(config.keyWrapping, config.dynamodb.region),
  });
  // The log's tiles bucket and key, when the stack gave them; without them the `/log/` routes answer 503.
  const logAws = loadLogAwsConfig(env);
  const log =
    logAws && createLogReads({ store: stores.log, ...logPartsOnAws(config.log, logAws, logClients) });
  const app = createApi(stores, {
    ...(log && { log }),
    alertThresholds: config.alerts,
    auth: config.auth,
    logger,
    // Webhook targets are checked as on AWS: https, public addresses only (the default policy).
    notifications: notificationDependencies({
      documents: clients.documents,
      tableName: config.tables.notifications,
      links: readLinkSecret ? currentLinkSigner(() => linkSecret) : linksNotConfigured,
    }),
    ...(cursorSecret
      ? { cursorSecret: () => cursorSecret.current }
      : config.cursorSecret && { cursorSecret: config.cursorSecret }),
  });
  return {
    app,
    /**
     * Brings the cursor key up to date before a request (from memory, but every few minutes); if it cannot be
     * read at all, only the requests that sign or check a cursor fail, and the rest are answered.
     */
    async beforeRequest(): Promise<void> {
      await Promise.all([
        cursorSecret?.refresh().catch((error: unknown) => {
          logger.error('cursor_secret_unavailable', { error });
        }),
        readLinkSecret?.().then(
          (key) => {
            linkSecret = key;
          },
          (error: unknown) => logger.error('notify_link_secret_unavailable', { error }),
        ),
      ]);
    },
  };
}
