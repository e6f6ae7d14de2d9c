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
import type { DynamoDBClients } from './dynamodb-clients.ts';
import { CaseKeys } from './personal-data/case-keys.ts';
import type { KeyWrapper } from './personal-data/key-wrapper.ts';
import { noKeyWrapper } from './personal-data/no-key-wrapper.ts';
import { SubjectVault } from './personal-data/subject-vault.ts';
import { createProjector } from './projector/create-projector.ts';
import { AuditFeed } from './store/audit-feed.ts';
import { DigestStore } from './store/digest-store.ts';
import { LedgerStore } from './store/ledger-store.ts';
import { TamperLog } from './store/tamper-log.ts';
import { ViewStore } from './store/view-store.ts';
import type { TableNames } from './tables/ensure-tables.ts';

export interface ServiceOptions {
  readonly clients: DynamoDBClients;
  readonly tables: TableNames;
  /** The transaction-time clock; tests pass their own. */
  readonly clock?: () => Date;
  /** Makes event and case ids; tests pass their own. */
  readonly newId?: () => string;
  /** Default alert thresholds (DESIGN §3); the configuration's, or the design's defaults. */
  readonly alertThresholds?: AlertThresholds;
  /** The key that signs pagination cursors; random per process when absent. */
  readonly cursorSecret?: string;
  /** How callers are authenticated; without it, tokens signed with a random secret: nobody gets in. */
  readonly auth?: AuthOptions;
  /** Structured JSON logs; Powertools' logger by default. */
  readonly logger?: Logger;
  /**
   * Wraps the per-case keys of personal data (issue 6). Without one the process holds no key: it cannot open
   * cases or show subjects, as the projector, digest function and command line need not.
   */
  readonly keyWrapper?: KeyWrapper;
}

export type StreamBatchHandler = (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse>;

/**
 * Wires the stores, the API app and the projector over one set of clients and tables. The Lambda entry points,
 * the local runtime and the tests all build the system through here, so they run the same code.
 */
export function createServices(options: ServiceOptions) {
  const clock = options.clock ?? (() => new Date());
  const newId = options.newId ?? randomUUID;
  const logger = options.logger ?? new Logger({ serviceName: 'detention-ledger' });
  const subjects = new SubjectVault(
    new CaseKeys({
      documents: options.clients.documents,
      tableName: options.tables.keys,
      wrapper: options.keyWrapper ?? noKeyWrapper,
      clock,
    }),
  );
  const ledger = new LedgerStore({
    documents: options.clients.documents,
    tableName: options.tables.ledger,
    clock,
    subjects,
  });
  const views = new ViewStore({ documents: options.clients.documents, tableName: options.tables.views });
  const cursors = new CursorCodec({ clock, ...(options.cursorSecret && { secret: options.cursorSecret }) });
  const alertThresholds = options.alertThresholds ?? DEFAULT_ALERT_THRESHOLDS;
  const digests = new DigestStore({ documents: options.clients.documents, ledger });
  const audit = new AuditFeed({ documents: options.clients.documents, tableName: options.tables.ledger });
  const tamperLog = new TamperLog({ documents: options.clients.documents, tableName: options.tables.ledger });
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
  return { ledger, views, digests, subjects, app, projector };
}

export type Services = ReturnType<typeof createServices>;

function authenticatorFor(auth: AuthOptions): Authenticator {
  if (auth.mode === 'api-gateway') return apiGatewayAuthenticator({ rolesClaim: auth.rolesClaim });
  return sharedSecretAuthenticator({
    secret: auth.secret ?? randomBytes(32).toString('base64url'),
    rolesClaim: auth.rolesClaim,
  });
}
