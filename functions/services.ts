import { Logger } from '@aws-lambda-powertools/logger';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { type ApiOptions, createApi } from './api/create-api.ts';
import { linksNotConfigured } from './api/notifications/links-not-configured.ts';
import { notificationDependencies } from './api/notifications/notification-dependencies.ts';
import { createLogReads } from './log/log-reads.ts';
import type { NoteSigner, TileStore, WitnessConfig } from './log/ports.ts';
import { createProjector } from './projector/create-projector.ts';
import { createStores, type StoreOptions } from './stores.ts';

export interface ServiceOptions extends StoreOptions, ApiOptions {
  /** Where the transparency log is kept and whose key signs it: the `/log/` routes serve it from there. */
  readonly logParts?: {
    readonly tiles: TileStore;
    readonly signer: Pick<NoteSigner, 'name' | 'publicKey'>;
    readonly witnesses?: readonly WitnessConfig[];
  };
}

export type StreamBatchHandler = (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse>;

/**
 * The whole system in one process: the stores, the API app and the projector over one set of clients and
 * tables, as the local runtime, the command line and the tests run it. Each Lambda entry point builds only what
 * it serves instead (`createApi`, `createProjector` or the stores alone), so no function bundles another's code.
 */
export function createServices(options: ServiceOptions) {
  const stores = createStores(options);
  const { clock, ledger, views, digests, caseKeys, subjects, tamperLog } = stores;
  const logger = options.logger ?? new Logger({ serviceName: 'detention-ledger' });
  // The notification routes over the notifications table; whoever runs the notifier passes its signer and
  // confirmation request (`notifications`), else links are refused and confirmations wait for the notifier.
  const notifications =
    options.notifications ??
    notificationDependencies({
      documents: options.clients.documents,
      tableName: options.tables.notifications,
      links: linksNotConfigured,
    });
  const log =
    options.log ??
    (options.logParts === undefined ? undefined : createLogReads({ store: stores.log, ...options.logParts }));
  const app = createApi(stores, { ...options, logger, notifications, ...(log && { log }) });
  const projector: StreamBatchHandler = createProjector({ ledger, views, tamperLog, clock, logger });
  return {
    ledger,
    views,
    digests,
    caseKeys,
    subjects,
    app,
    projector,
    logStore: stores.log,
    audit: stores.audit,
  };
}

export type Services = ReturnType<typeof createServices>;
