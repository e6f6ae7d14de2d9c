import { Logger } from '@aws-lambda-powertools/logger';
import { ConfigurationError, loadRuntimeConfig } from '../config.ts';
import { createDynamoDBClients } from '../dynamodb-clients.ts';
import { keyWrapperFrom } from '../personal-data/key-wrapper-from-config.ts';
import { createStores } from '../stores.ts';
import { createApi } from './create-api.ts';
import { CursorSecretReader } from './cursor-secret.ts';

/** What requests reach the function through: API Gateway with its JWT authorizer, or a bare function URL. */
export type LambdaFront = 'api-gateway' | 'function-url';

/**
 * The API as a Lambda instance runs it, whichever way requests reach it (API Gateway, or a function URL that
 * streams): built once per instance, outside any handler, so warm invocations reuse clients and the app.
 * Nothing here waits on the network: the cursor secret is read on the first request, not at start.
 */
export function lambdaApi(front: LambdaFront, env: Record<string, string | undefined> = process.env) {
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
  return {
    app,
    /**
     * Brings the cursor key up to date before a request (from memory, but every few minutes); if it cannot be
     * read at all, only the requests that sign or check a cursor fail, and the rest are answered.
     */
    async beforeRequest(): Promise<void> {
      if (!cursorSecret) return;
      await cursorSecret.refresh().catch((error: unknown) => {
        logger.error('cursor_secret_unavailable', { error });
      });
    },
  };
}
