import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { directoryTileStore } from '../../functions/log/directory-tile-store.ts';
import { createLogIntegrator, type LogIntegrator } from '../../functions/log/integrator.ts';
import { backfillLog } from '../../functions/log/log-backfill.ts';
import type { LogStore } from '../../functions/log/log-store.ts';
import { logRecordsHandler } from '../../functions/log/log-stream-handler.ts';
import type { NoteSigner, TileStore, Witnesses } from '../../functions/log/ports.ts';
import type { AuditFeed } from '../../functions/store/audit-feed.ts';
import { describeError, type Logger } from '../json-lines-logger.ts';
import { openLogKey } from '../log-key-file.ts';
import { startStreamPoller } from '../stream-poller.ts';

export interface LocalLogPartsOptions {
  readonly origin: string;
  /** `LOG_DIR`; undefined in memory: a temporary directory, removed by `cleanup`. */
  readonly logDir: string | undefined;
  /** `LOG_KEY_FILE`; undefined for the default beside the master keys, or a key for the run in memory. */
  readonly keyFile: string | undefined;
  readonly masterKeysHome: string | undefined;
  readonly dataDir: string | undefined;
}

/** The log's tile store and key on this machine: what the routes read and the integrator writes and signs with. */
export interface LocalLogParts {
  readonly tiles: TileStore;
  readonly signer: NoteSigner;
  /** Where the tiles are: `LOG_DIR`, `<data dir>/log`, or a temporary directory. */
  readonly directory: string;
  /** Removes the temporary directory of an in-memory run; nothing otherwise. */
  cleanup(): Promise<void>;
}

export async function localLogParts(options: LocalLogPartsOptions): Promise<LocalLogParts> {
  const temporary =
    options.logDir === undefined ? await mkdtemp(join(tmpdir(), 'detention-ledger-log-')) : undefined;
  const directory = options.logDir ?? temporary!;
  try {
    const signer = await openLogKey({
      name: options.origin,
      keyFile: options.keyFile,
      masterKeysHome: options.masterKeysHome,
      dataDir: options.dataDir,
    });
    return {
      tiles: directoryTileStore(directory),
      signer,
      directory,
      cleanup: async () => {
        if (temporary !== undefined) await rm(temporary, { recursive: true, force: true });
      },
    };
  } catch (error) {
    if (temporary !== undefined) await rm(temporary, { recursive: true, force: true });
    throw error;
  }
}

export interface LocalLogOptions {
  readonly parts: LocalLogParts;
  readonly store: LogStore;
  readonly audit: Pick<AuditFeed, 'page'>;
  readonly client: DynamoDBClient;
  readonly streamsClient: DynamoDBStreamsClient;
  readonly ledgerTable: string;
  readonly witnesses?: Witnesses;
  readonly clock: () => Date;
  readonly logger: Logger;
}

export interface LocalLog {
  readonly integrator: LogIntegrator;
  /** Resolves when the backfill at start is done and every ledger record so far is integrated and published. */
  caughtUp(): Promise<void>;
  /** Stops the backfill (between rounds) and the stream reader. */
  stop(): Promise<void>;
}

/**
 * The transparency log in the local runtime (docs/log.md): a reader of the ledger's stream of its own (the live
 * feed, a third reader with the projector and the notifier, as on AWS), and a backfill from the audit feed at
 * start for the events recorded while the log was not running.
 */
export async function startLocalLog(options: LocalLogOptions): Promise<LocalLog> {
  const { logger } = options;
  const integrator = createLogIntegrator({
    store: options.store,
    tiles: options.parts.tiles,
    signer: options.parts.signer,
    ...(options.witnesses && { witnesses: options.witnesses }),
    clock: options.clock,
    logger: {
      info: (message, extra) => logger({ level: 'info', message, ...extra }),
      warn: (message, extra) => logger({ level: 'warn', message, ...extra }),
    },
  });
  let stopping = false;
  const backfill = backfillLog({
    audit: options.audit,
    store: options.store,
    integrator,
    clock: options.clock,
    stopRequested: () => stopping,
  }).then(
    (result) => {
      if (result.integrated > 0) {
        logger({ level: 'info', message: 'the log took in events recorded before it ran', ...result });
      }
    },
    (error: unknown) => {
      // The next start runs it again from where it stopped; the live feed goes on meanwhile.
      logger({ level: 'error', message: 'the log backfill failed', error: describeError(error) });
    },
  );
  const poller = await startStreamPoller({
    client: options.client,
    streamsClient: options.streamsClient,
    tableName: options.ledgerTable,
    // At most 49 events a transaction: a batch of 98 is two steps and one checkpoint.
    batchSize: 98,
    handler: logRecordsHandler(integrator, {
      error: (message, extra) => logger({ level: 'error', message, ...extra }),
    }),
    logger,
  });
  return {
    integrator,
    async caughtUp() {
      await backfill;
      await poller.idle();
    },
    async stop() {
      stopping = true;
      await poller.stop();
      await backfill;
    },
  };
}
