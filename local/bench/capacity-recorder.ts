import type { ConsumedCapacity, DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** The operations that take `ReturnConsumedCapacity`: every other request costs no capacity units. */
const METERED = new Set([
  'GetItemCommand',
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'QueryCommand',
  'ScanCommand',
  'BatchGetItemCommand',
  'BatchWriteItemCommand',
  'TransactGetItemsCommand',
  'TransactWriteItemsCommand',
]);

const READS = new Set([
  'GetItemCommand',
  'QueryCommand',
  'ScanCommand',
  'BatchGetItemCommand',
  'TransactGetItemsCommand',
]);

/** Capacity units one table or index consumed, as DynamoDB reported them. */
export interface ReportedUnits {
  readonly table: string;
  /** The index, or `table` for the table's own items. */
  readonly index: string;
  readonly readUnits: number;
  readonly writeUnits: number;
}

/** A request that consumed capacity DynamoDB did not report (a refused conditional write, an error). */
export interface UnreportedRequest {
  readonly command: string;
  readonly table: string | undefined;
  readonly error: string;
}

/** What the requests sent since the last `take()` consumed. */
export interface CapacityTally {
  readonly units: readonly ReportedUnits[];
  /** Metered requests, by command. */
  readonly requests: Readonly<Record<string, number>>;
  readonly unreported: readonly UnreportedRequest[];
}

function tableOf(input: Record<string, unknown>): string | undefined {
  return typeof input.TableName === 'string' ? input.TableName : undefined;
}

/**
 * Asks DynamoDB for the capacity of every metered request a client sends (`ReturnConsumedCapacity: INDEXES`) and
 * adds it up by table and index: what DynamoDB itself reports, per step of a measurement. A request that fails
 * comes back without a report, so it is listed as unreported rather than counted as free.
 */
export function recordCapacity(client: DynamoDBClient) {
  const units = new Map<string, { table: string; index: string; read: number; write: number }>();
  const requests = new Map<string, number>();
  let unreported: UnreportedRequest[] = [];

  const add = (command: string, table: string, index: string, capacity: number | undefined) => {
    if (capacity === undefined) return;
    const key = `${table}\u0000${index}`;
    const entry = units.get(key) ?? { table, index, read: 0, write: 0 };
    if (READS.has(command)) entry.read += capacity;
    else entry.write += capacity;
    units.set(key, entry);
  };
  const addConsumed = (command: string, consumed: ConsumedCapacity) => {
    const table = consumed.TableName ?? '?';
    if (consumed.Table === undefined && consumed.GlobalSecondaryIndexes === undefined) {
      add(command, table, 'table', consumed.CapacityUnits);
      return;
    }
    add(command, table, 'table', consumed.Table?.CapacityUnits);
    for (const [index, capacity] of Object.entries(consumed.GlobalSecondaryIndexes ?? {})) {
      add(command, table, index, capacity.CapacityUnits);
    }
  };

  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = String(context.commandName);
      if (!METERED.has(command)) return next(args);
      const input = args.input as Record<string, unknown>;
      input.ReturnConsumedCapacity = 'INDEXES';
      requests.set(command, (requests.get(command) ?? 0) + 1);
      try {
        const result = await next(args);
        const consumed = (result.output as { ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[] })
          .ConsumedCapacity;
        for (const each of Array.isArray(consumed) ? consumed : consumed ? [consumed] : []) {
          addConsumed(command, each);
        }
        return result;
      } catch (error) {
        unreported.push({
          command,
          table: tableOf(input),
          error: error instanceof Error ? error.name : String(error),
        });
        throw error;
      }
    },
    { step: 'initialize', name: `capacityRecorder${Math.random()}` },
  );

  return {
    /** What was consumed since the last call, and a fresh start. */
    take(): CapacityTally {
      const tally: CapacityTally = {
        units: [...units.values()].map(({ table, index, read, write }) => ({
          table,
          index,
          readUnits: read,
          writeUnits: write,
        })),
        requests: Object.fromEntries(requests),
        unreported,
      };
      units.clear();
      requests.clear();
      unreported = [];
      return tally;
    },
  };
}
