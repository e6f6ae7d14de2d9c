import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { addDays } from '../../domain/calendar.ts';
import { ledgerIndexes, ledgerKeys } from '../tables/ledger-keys.ts';
import { allShards } from '../tables/shards.ts';
import { LEDGER_ITEM_KIND } from '../tables/table-definitions.ts';
import { queryItems } from './query-items.ts';

/**
 * The days on which the ledger recorded events, so that the audit feed reads only those days' buckets of the
 * `byRecordedAt` index instead of every day of a range (eight queries a day, one per shard).
 *
 * One small item per recorded day, in a partition of its own (`#audit-days`, sorted by the day as the number
 * `YYYYMMDD`), so a year of days is one `Query`. The ledger writes a day's marker before the transaction of the
 * first append it makes that day, so no event is ever visible without its day's marker — the marker is never
 * missed, the latest minutes included; a marker for a day whose append then failed only costs a reader one
 * empty day. Each process writes a day's marker once (a conditional put; a concurrent writer's is as good).
 *
 * Ledgers that held events before markers existed: the first marker also writes `markedSince`, the day from
 * which every recorded day is marked (the day after the first marking). Days before it are read bucket by
 * bucket, as they always were; when no case had been opened before (a new ledger), `markedSince` is the first
 * day of all.
 */
const sinceKey = ledgerKeys.auditDaysSince;
/** `markedSince` of a ledger that has held markers from its first event on. */
const FIRST_DAY = '0000-01-01';

/** The day of a marker, from its key: an item overwritten behind the application can change its fields, never its key. */
const dayOfNumber = (version: unknown) => {
  const digits = String(version).padStart(8, '0');
  return `${digits.slice(0, 4)}-${digits.slice(4, 6)}-${digits.slice(6, 8)}`;
};

function auditDayItem(day: string) {
  return {
    ...ledgerKeys.auditDay(day),
    itemKind: LEDGER_ITEM_KIND.auditDay,
    day,
  };
}

/**
 * What each client (one per process, as a rule) has written or found written in each table: the days marked,
 * and whether `markedSince` exists. Markers are durable facts of a table, never removed by the application, so
 * what one store knows to be written every store on the same client may rely on: the cost is two requests per
 * process and day, not per store.
 */
const writtenBy = new WeakMap<DynamoDBDocumentClient, Map<string, { days: Set<string>; since: boolean }>>();

export class AuditDays {
  readonly #documents: DynamoDBDocumentClient;
  readonly #tableName: string;

  constructor(options: { documents: DynamoDBDocumentClient; tableName: string }) {
    this.#documents = options.documents;
    this.#tableName = options.tableName;
  }

  get #written() {
    let tables = writtenBy.get(this.#documents);
    if (tables === undefined) {
      tables = new Map();
      writtenBy.set(this.#documents, tables);
    }
    let written = tables.get(this.#tableName);
    if (written === undefined) {
      written = { days: new Set(), since: false };
      tables.set(this.#tableName, written);
    }
    return written;
  }

  /**
   * Records that `days` (`YYYY-MM-DD`) hold events: call before the events are written. Idempotent. `today`
   * is the writer's day, from which on (with a day's margin for processes of an earlier version still
   * writing) a ledger that held events before markers existed has every recorded day marked.
   */
  async mark(days: Iterable<string>, today: string): Promise<void> {
    const written = this.#written;
    for (const day of days) {
      if (written.days.has(day)) continue;
      if (!written.since) {
        if ((await this.#since()) === undefined) {
          // Complete from the start if the ledger holds no case yet; else from tomorrow on.
          const markedSince = (await this.#holdsAnyCase()) ? addDays(today, 1) : FIRST_DAY;
          await this.#putOnce({ ...sinceKey, itemKind: LEDGER_ITEM_KIND.auditDay, markedSince });
        }
        written.since = true;
      }
      await this.#putOnce(auditDayItem(day));
      written.days.add(day);
    }
  }

  /**
   * The days from `first` to `last` (inclusive, `YYYY-MM-DD`, in order) that may hold events: the marked ones,
   * and every day before the markers began. Two requests (and a few more on a ledger that has never marked).
   */
  async daysToRead(first: string, last: string): Promise<string[]> {
    const [since, marked] = await Promise.all([this.#since(), this.#markedBetween(first, last)]);
    const readFrom = since ?? ((await this.#holdsAnyCase()) ? undefined : FIRST_DAY);
    if (readFrom === undefined) return everyDay(first, last);
    const unmarked = readFrom > first ? everyDay(first, min(addDays(readFrom, -1), last)) : [];
    return [...unmarked, ...marked.filter((day) => day >= readFrom)];
  }

  async #since(): Promise<string | undefined> {
    const { Item } = await this.#documents.send(
      new GetCommand({
        TableName: this.#tableName,
        Key: sinceKey,
        ConsistentRead: true,
      }),
    );
    return Item === undefined ? undefined : String(Item.markedSince);
  }

  async #markedBetween(first: string, last: string): Promise<string[]> {
    const days: string[] = [];
    for await (const item of queryItems(this.#documents, {
      TableName: this.#tableName,
      KeyConditionExpression: 'streamId = :p AND version BETWEEN :lo AND :hi',
      ExpressionAttributeValues: {
        ':p': ledgerKeys.auditDays,
        ':lo': ledgerKeys.dayNumber(first),
        ':hi': ledgerKeys.dayNumber(last),
      },
      ProjectionExpression: 'version',
      ConsistentRead: true,
    })) {
      days.push(dayOfNumber(item.version));
    }
    return days;
  }

  /** Whether any case was ever opened: the sparse case index, one item read per shard at most. */
  async #holdsAnyCase(): Promise<boolean> {
    const found = await Promise.all(
      allShards().map((shard) =>
        this.#documents.send(
          new QueryCommand({
            TableName: this.#tableName,
            IndexName: ledgerIndexes.byCase.indexName,
            KeyConditionExpression: 'caseShard = :k',
            ExpressionAttributeValues: { ':k': ledgerIndexes.byCase.partition(shard) },
            Limit: 1,
          }),
        ),
      ),
    );
    return found.some((page) => (page.Items ?? []).length > 0);
  }

  async #putOnce(item: Record<string, unknown>): Promise<void> {
    try {
      await this.#documents.send(
        new PutCommand({
          TableName: this.#tableName,
          Item: item,
          ConditionExpression: 'attribute_not_exists(streamId)',
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}

function everyDay(first: string, last: string): string[] {
  const days: string[] = [];
  for (let day = first; day <= last; day = addDays(day, 1)) days.push(day);
  return days;
}

const min = (a: string, b: string) => (a < b ? a : b);
