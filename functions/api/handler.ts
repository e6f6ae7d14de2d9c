import { Logger } from '@aws-lambda-powertools/logger';
import { handle } from 'hono/aws-lambda';
import { loadRuntimeConfig } from '../config.ts';
import { createDynamoDBClients } from '../dynamodb-clients.ts';
import { keyWrapperFrom } from '../personal-data/key-wrapper-from-config.ts';
import { createStores } from '../stores.ts';
import { createApi } from './create-api.ts';
import { CursorSecretReader } from './cursor-secret.ts';

// Built once per Lambda instance, outside the handler, so warm invocations reuse clients and the app. Nothing
// here waits on the network: the cursor secret is read on the first request, not at start.
const config = loadRuntimeConfig();
const logger = new Logger({ serviceName: 'detention-ledger' });
const cursorSecret = config.cursorSecretArn
  ? new CursorSecretReader({ secretId: config.cursorSecretArn })
  : undefined;
const stores = createStores({
  clients: createDynamoDBClients(config.dynamodb),
  tables: config.tables,
  keyWrapper: keyWrapperFrom(config.keyWrapping, config.dynamodb.region),
});
const app = createApi(stores, {
  alertThresholds: config.alerts,
  auth: config.auth,
  logger,
  ...(cursorSecret
    ? { cursorSecret: () => cursorSecret.current }
    : config.cursorSecret && { cursorSecret: config.cursorSecret }),
});
const serve = handle(app);

/**
 * The API behind API Gateway (HTTP API, payload format 2.0). Before each request the cursor key is brought up
 * to date (from memory, but every few minutes); if it cannot be read at all, only the requests that sign or
 * check a cursor fail, and the rest are answered.
 */
export const handler: typeof serve = async (event, context) => {
  if (cursorSecret) {
    await cursorSecret.refresh().catch((error: unknown) => {
      logger.error('cursor_secret_unavailable', { error });
    });
  }
  return serve(event, context);
};
