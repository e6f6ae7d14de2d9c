import { randomUUID } from 'node:crypto';
import { createDynamoDBClients, type DynamoDBClients } from '../../functions/dynamodb-clients.ts';
import { LocalKeyWrapper, masterKeyFrom } from '../../functions/personal-data/local-key-wrapper.ts';
import { createServices, type Services } from '../../functions/services.ts';
import type { TableNames } from '../../functions/tables/ensure-tables.ts';
import { mintToken } from '../tokens.ts';
import { BenchApi } from './bench-api.ts';
import { openingEvents, visitsNow, withIds } from './bench-events.ts';
import type { BenchRuntime } from './bench-runtime.ts';
import type { BenchSizes } from './bench-sizes.ts';
import type { AlternateOptions } from './measure.ts';
import { ProjectionTracker } from './projection-tracker.ts';
import { createRawTables, type RawTables, rawTableNames } from './raw-tables.ts';

/**
 * What every family of measurements works against: the system as it runs (its tables, served by the local
 * runtime's API and projector), the benchmark's own clients and stores over the same DynamoDB, and raw tables
 * for the raw operations.
 */
export interface BenchTarget {
  /** The benchmark's own clients, to the DynamoDB the system uses. */
  readonly clients: DynamoDBClients;
  readonly endpoint: string;
  /** The tables the system serves. */
  readonly tables: TableNames;
  /** The ledger's stores, built as the system builds them, in the benchmark's process. */
  readonly ledger: Services['ledger'];
  readonly views: Services['views'];
  /** The runtime's HTTP API. */
  readonly api: BenchApi;
  /** Where the runtime listens (the API, and the web application under `/app/`), e.g. `http://127.0.0.1:41234`. */
  readonly apiUrl: string;
  /** The bearer token `api` sends (recorder, viewer, auditor): for callers that speak HTTP themselves. */
  readonly apiToken: string;
  readonly raw: RawTables;
  /** Prefix for tables a family makes for itself. */
  readonly prefix: string;
  /** Every append the benchmark makes is noted here, so `projected` knows what to wait for. */
  readonly projection: ProjectionTracker;
  /** Resolves once the system's projector has caught up with every event appended so far. */
  projected(): Promise<void>;
  /** Appends `count` consular visits to a case through the store; the new version. */
  appendVisits(caseId: string, count: number): Promise<number>;
  /** Opens `count` cases through the store, `concurrency` at a time; their ids. */
  openCases(label: string, count: number, concurrency?: number): Promise<string[]>;
  /** Progress, to stderr. */
  log(message: string): void;
  readonly signal?: AbortSignal;
}

export interface BenchTargetOptions {
  readonly log: (message: string) => void;
  readonly signal?: AbortSignal;
}

/** The target over a started runtime: clients, stores, a token for the API, and the raw tables. */
export async function createBenchTarget(
  runtime: BenchRuntime,
  options: BenchTargetOptions,
): Promise<BenchTarget> {
  const clients = createDynamoDBClients({ endpoint: runtime.dynamodbEndpoint });
  const { ledger, views } = createServices({
    clients,
    tables: runtime.tables,
    keyWrapper: new LocalKeyWrapper(masterKeyFrom(runtime.masterKey)),
  });
  const projection = new ProjectionTracker({ documents: clients.documents, tableName: runtime.tables.views });
  const token = await mintToken({
    secret: runtime.jwtSecret,
    subject: 'bench',
    roles: ['recorder', 'viewer', 'auditor'],
  });
  const api = new BenchApi((path, init) => fetch(`${runtime.apiUrl}${path}`, init), token, {
    onAppended: (caseId, version) => projection.note(caseId, version),
  });
  const prefix = `bench-${Date.now().toString(36)}`;
  const raw = rawTableNames(prefix);
  await createRawTables(clients.client, raw);

  const appendVisits = async (caseId: string, count: number) => {
    const { version } = await ledger.append({
      caseId,
      events: withIds(visitsNow(count)),
      expected: 'stream_exists',
      recordedBy: 'bench',
    });
    projection.note(caseId, version);
    return version;
  };
  const openCases = async (label: string, count: number, concurrency = 8) => {
    const caseIds = Array.from({ length: count }, () => `bench-${label}-${randomUUID()}`);
    let next = 0;
    const worker = async () => {
      while (next < caseIds.length) {
        const caseId = caseIds[next++]!;
        const opened = await ledger.append({
          caseId,
          events: withIds(openingEvents()),
          expected: 'no_stream',
          recordedBy: 'bench',
        });
        projection.note(caseId, opened.version);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    return caseIds;
  };
  return {
    clients,
    endpoint: runtime.dynamodbEndpoint,
    tables: runtime.tables,
    ledger,
    views,
    api,
    apiUrl: runtime.apiUrl,
    apiToken: token,
    raw,
    prefix,
    projection,
    projected: () => projection.caughtUp(),
    appendVisits,
    openCases,
    log: options.log,
    ...(options.signal && { signal: options.signal }),
  };
}

/** How a family alternates its contenders on the target: the run's round sizes, its Ctrl-C. */
export function alternateOptions(
  target: BenchTarget,
  sizes: BenchSizes,
  concurrency: number,
): AlternateOptions {
  return {
    concurrency,
    roundMs: sizes.roundMs,
    rounds: sizes.rounds,
    warmupMs: sizes.warmupMs,
    ...(target.signal && { signal: target.signal }),
  };
}
