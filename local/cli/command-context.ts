import type { DynamoDBClients } from '../../functions/dynamodb-clients.ts';
import type { Services } from '../../functions/services.ts';
import type { TableNames } from '../../functions/tables/ensure-tables.ts';
import type { ProgressFactory } from './progress.ts';

/**
 * What every command works with: the stores of one ledger, where to write, and how to count. The program
 * builds it from the environment; tests build it over their own tables and streams.
 */
export interface CommandContext {
  readonly ledger: Services['ledger'];
  readonly views: Services['views'];
  readonly digests: Services['digests'];
  /** The keys table, wrapped keys only: the command line holds no master key. */
  readonly caseKeys: Services['caseKeys'];
  /** Results: what a script would pipe on (the export, a report, JSON). */
  readonly stdout: NodeJS.WritableStream;
  /** Where the command connected, progress, final counts and errors. */
  readonly stderr: NodeJS.WritableStream;
  readonly progress: ProgressFactory;
  readonly clock: () => Date;
  /** Aborted by Ctrl-C: long commands stop taking new work. */
  readonly signal?: AbortSignal;
  /**
   * For commands that build more than the stores (`notify`): the clients and tables of the target, the
   * environment, and the local runtime's address when that is what was found.
   */
  readonly target?: {
    readonly clients: DynamoDBClients;
    readonly tables: TableNames;
    readonly env: Record<string, string | undefined>;
    readonly via: 'endpoint' | 'local-runtime' | 'aws';
    readonly dataDir?: string;
    readonly apiUrl?: string;
  };
}

/** How many cases `verify --all` and `rebuild-views` work on at once unless told otherwise. */
export const DEFAULT_CONCURRENCY = 8;

/**
 * How many cases `import` writes at once unless told otherwise: fewer, since each batch is a transaction, and
 * DynamoDB Local on disk times out waiting for its lock when many run together (seen at 16).
 */
export const DEFAULT_IMPORT_CONCURRENCY = 4;
