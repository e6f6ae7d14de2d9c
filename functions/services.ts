import { randomBytes, randomUUID } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { type AlertThresholds, DEFAULT_ALERT_THRESHOLDS } from '../domain/alerts.ts';
import { createApp } from './api/app.ts';
import {
  type Authenticator,
  apiGatewayAuthenticator,
  sharedSecretAuthenticator,
} from './api/auth/authenticators.ts';
import { CursorCodec } from './api/cursor.ts';
import type { AuthOptions } from './config.ts';
import { createProjector } from './projector/create-projector.ts';
import { createStores, type StoreOptions } from './stores.ts';

export interface ServiceOptions extends StoreOptions {
  /** Makes event and case ids; tests pass their own. */
  readonly newId?: () => string;
  /** Default alert thresholds; the configuration's, or the design's defaults. */
  readonly alertThresholds?: AlertThresholds;
  /** The key that signs pagination cursors, or what gives the current one; random per process when absent. */
  readonly cursorSecret?: string | (() => string);
  /** How callers are authenticated; without it, tokens signed with a random secret: nobody gets in. */
  readonly auth?: AuthOptions;
  /** Structured JSON logs; Powertools' logger by default. */
  readonly logger?: Logger;
}

export type StreamBatchHandler = (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse>;

/**
 * Wires the stores, the API app and the projector over one set of clients and tables. The API's Lambda entry
 * point, the local runtime and the tests build the system through here, so they run the same code; the
 * projector's and the digest's entry points take only `createStores`, which this builds on.
 */
export function createServices(options: ServiceOptions) {
  const { clock, ledger, views, digests, audit, caseKeys, subjects, tamperLog } = createStores(options);
  const newId = options.newId ?? randomUUID;
  const logger = options.logger ?? new Logger({ serviceName: 'detention-ledger' });
  const cursors = new CursorCodec({ clock, ...(options.cursorSecret && { secret: options.cursorSecret }) });
  const alertThresholds = options.alertThresholds ?? DEFAULT_ALERT_THRESHOLDS;
  const authenticate = authenticatorFor(options.auth ?? { mode: 'jwt-secret', rolesClaim: 'cognito:groups' });
  const app = createApp({
    authenticate,
    ledger,
    views,
    digests,
    audit,
    subjects,
    tamperLog,
    clock,
    newId,
    logger,
    cursors,
    alertThresholds,
  });
  const projector: StreamBatchHandler = createProjector({ ledger, views, tamperLog, clock, logger });
  return { ledger, views, digests, caseKeys, subjects, app, projector };
}

export type Services = ReturnType<typeof createServices>;

function authenticatorFor(auth: AuthOptions): Authenticator {
  if (auth.mode === 'api-gateway') return apiGatewayAuthenticator({ rolesClaim: auth.rolesClaim });
  return sharedSecretAuthenticator({
    secret: auth.secret ?? randomBytes(32).toString('base64url'),
    rolesClaim: auth.rolesClaim,
  });
}
