import { isAbsolute, relative, resolve } from 'node:path';
import { loadRuntimeConfig } from '../../functions/config.ts';
import type { DynamoDBConnection } from '../../functions/dynamodb-clients.ts';
import type { TableNames } from '../../functions/tables/ensure-tables.ts';
import { LocalError } from '../local-error.ts';
import { readRuntimeFile, runtimeFilePath } from '../runtime-file.ts';

/** Where the command-line tool reads and writes, and how it found out. */
export interface CliTarget {
  readonly connection: DynamoDBConnection;
  readonly tables: TableNames;
  /**
   * `endpoint`: DYNAMODB_ENDPOINT was set. `local-runtime`: a running `npm start` was found through its
   * runtime file. `aws`: DynamoDB on AWS, with the SDK's default credentials.
   */
  readonly via: 'endpoint' | 'local-runtime' | 'aws';
  /** For `local-runtime`: the runtime file it was found through, and the runtime's process. */
  readonly runtime?: {
    readonly file: string;
    readonly pid: number;
    readonly apiUrl?: string;
    readonly dataDir?: string;
  };
}

/** Nothing says where the ledger is: no endpoint, no running local runtime, no sign of AWS. */
export class NoLedgerFoundError extends LocalError {
  readonly code = 'no_ledger_found';
  constructor(runtimeFile: string, stalePid: number | undefined) {
    super(
      [
        'No ledger to connect to.',
        ...(stalePid === undefined
          ? []
          : [`(${runtimeFile} names a local runtime, pid ${stalePid}, that is no longer running.)`]),
        'Either:',
        `  - start the local runtime in this directory: npm start (the CLI finds it through ${runtimeFile});`,
        '  - or point at a DynamoDB: DYNAMODB_ENDPOINT=http://127.0.0.1:8000 (with LEDGER_TABLE and VIEWS_TABLE',
        '    when they are not ledger and views);',
        '  - or use AWS: AWS_REGION (and AWS_PROFILE or other AWS credentials), LEDGER_TABLE and VIEWS_TABLE as',
        '    deployed.',
      ].join('\n'),
    );
    this.name = 'NoLedgerFoundError';
  }
}

export interface ResolveTargetOptions {
  readonly env?: Record<string, string | undefined>;
  /** Against which a relative LEDGER_DATA_DIR is resolved. */
  readonly cwd?: string;
  /** Whether a process is running; `process.kill(pid, 0)` by default. */
  readonly isRunning?: (pid: number) => boolean;
}

function processIsRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const isSet = (value: string | undefined): value is string => value !== undefined && value !== '';

/**
 * Decides where the CLI connects, from the same variables as the API (`loadRuntimeConfig`):
 *
 * 1. `DYNAMODB_ENDPOINT` set: that DynamoDB, with `LEDGER_TABLE` and `VIEWS_TABLE`.
 * 2. A local runtime running from `LEDGER_DATA_DIR` (`.ledger-data/` by default): its DynamoDB Local and its
 *    tables, unless `LEDGER_TABLE` or `VIEWS_TABLE` name others.
 * 3. `AWS_REGION` or `AWS_PROFILE` set: DynamoDB on AWS with the SDK's default credential chain.
 *
 * Otherwise it refuses rather than guess: a tool that writes must not reach AWS because a profile happened to
 * be lying around.
 *
 * @throws {ConfigurationError} when a variable is malformed.
 * @throws {NoLedgerFoundError} when nothing says where the ledger is.
 */
export async function resolveTarget(options: ResolveTargetOptions = {}): Promise<CliTarget> {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const config = loadRuntimeConfig(env);
  if (config.dynamodb.endpoint !== undefined) {
    return { connection: config.dynamodb, tables: config.tables, via: 'endpoint' };
  }
  const dataDir = resolve(cwd, isSet(env.LEDGER_DATA_DIR) ? env.LEDGER_DATA_DIR : '.ledger-data');
  const runtime = await readRuntimeFile(dataDir);
  const absolute = runtimeFilePath(dataDir);
  const shorter = relative(cwd, absolute);
  const file = shorter.startsWith('..') || isAbsolute(shorter) ? absolute : shorter;
  if (runtime && (options.isRunning ?? processIsRunning)(runtime.pid)) {
    return {
      connection: { endpoint: runtime.dynamodbEndpoint },
      tables: {
        ledger: isSet(env.LEDGER_TABLE) ? config.tables.ledger : runtime.tables.ledger,
        views: isSet(env.VIEWS_TABLE) ? config.tables.views : runtime.tables.views,
        keys: isSet(env.KEYS_TABLE) ? config.tables.keys : (runtime.tables.keys ?? config.tables.keys),
        notifications: isSet(env.NOTIFICATIONS_TABLE)
          ? config.tables.notifications
          : (runtime.tables.notifications ?? config.tables.notifications),
        log: isSet(env.LOG_TABLE) ? config.tables.log : (runtime.tables.log ?? config.tables.log),
      },
      via: 'local-runtime',
      runtime: { file, pid: runtime.pid, apiUrl: runtime.apiUrl, dataDir },
    };
  }
  if (isSet(env.AWS_REGION) || isSet(env.AWS_PROFILE)) {
    return { connection: config.dynamodb, tables: config.tables, via: 'aws' };
  }
  throw new NoLedgerFoundError(file, runtime?.pid);
}

/** One line for stderr at the start of each command: where it works, and on which tables. */
export function describeTarget(target: CliTarget, region?: string): string {
  const tables = `tables ${target.tables.ledger} and ${target.tables.views}`;
  switch (target.via) {
    case 'endpoint':
      return `ledger: DynamoDB at ${target.connection.endpoint} (DYNAMODB_ENDPOINT), ${tables}`;
    case 'local-runtime':
      return `ledger: local runtime (pid ${target.runtime?.pid}, from ${target.runtime?.file}), DynamoDB Local at ${target.connection.endpoint}, ${tables}`;
    case 'aws':
      return `ledger: AWS ${region ?? target.connection.region ?? '(default region)'}, ${tables}`;
  }
}
