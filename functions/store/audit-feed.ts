import { type DynamoDBDocumentClient, QueryCommand, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import { dayOf } from '../../domain/calendar.ts';
import type { StoredEvent } from '../../domain/stored-event.ts';
import { ledgerIndexes } from '../tables/ledger-keys.ts';
import { allShards } from '../tables/shards.ts';
import { AuditDays } from './audit-days.ts';
import { fromEventItem } from './ledger-items.ts';

export interface AuditRequest {
  /** Recorded at or after this moment. */
  readonly from: Date;
  /** Recorded at or before this moment. */
  readonly to: Date;
  readonly limit: number;
  /** Continue after this position (the `continueAfter` of the previous page). */
  readonly after?: string;
}

export interface AuditPage {
  readonly events: StoredEvent[];
  readonly continueAfter?: string;
}

/**
 * The audit feed: every event recorded in a time range, across all cases, from the
 * ledger's `byRecordedAt` index — one partition per UTC day and shard, merged — never a `Scan`. Only the days
 * that hold events are read (`AuditDays`): a page costs two requests to find them, and one query per shard for
 * each such day until the page is full, however long and empty the range.
 *
 * Order: by `recordedAt` (the API's clock at the append, to the millisecond), then case id, then version. The
 * events of one append share their `recordedAt` and come out in version order. The index is eventually
 * consistent: an event appears in it a moment after its append returns, so a range that ends in the last
 * few seconds may not yet be complete.
 */
export class AuditFeed {
  readonly #documents: DynamoDBDocumentClient;
  readonly #tableName: string;
  readonly #days: AuditDays;

  constructor(options: { documents: DynamoDBDocumentClient; tableName: string }) {
    this.#documents = options.documents;
    this.#tableName = options.tableName;
    this.#days = new AuditDays(options);
  }

  async page(request: AuditRequest): Promise<AuditPage> {
    const low = request.after ?? request.from.toISOString();
    // Anything recorded at `to` itself is in range: its position starts with that instant, then `#`.
    const high = `${request.to.toISOString()}\uffff`;
    const events: StoredEvent[] = [];
    let positions: string[] = [];
    const days = await this.#days.daysToRead(
      dayOf(Date.parse(low.slice(0, 24))),
      dayOf(request.to.getTime()),
    );
    for (const day of days) {
      const wanted = request.limit + 1 - events.length;
      const perShard = await Promise.all(
        allShards().map((shard) =>
          this.#queryShard(
            ledgerIndexes.byRecordedAt.partition(day, shard),
            low,
            high,
            request.after !== undefined,
            wanted,
          ),
        ),
      );
      const merged = perShard.flat().sort((a, b) => (a.position < b.position ? -1 : 1));
      for (const item of merged.slice(0, wanted)) {
        events.push(item.event);
        positions.push(item.position);
      }
      if (events.length > request.limit) break;
    }
    const page = events.slice(0, request.limit);
    positions = positions.slice(0, request.limit);
    return {
      events: page,
      ...(events.length > request.limit && { continueAfter: positions.at(-1)! }),
    };
  }

  async #queryShard(
    partition: string,
    low: string,
    high: string,
    exclusive: boolean,
    wanted: number,
  ): Promise<Array<{ event: StoredEvent; position: string }>> {
    const found: Array<{ event: StoredEvent; position: string }> = [];
    let exclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const result: QueryCommandOutput = await this.#documents.send(
        new QueryCommand({
          TableName: this.#tableName,
          IndexName: ledgerIndexes.byRecordedAt.indexName,
          KeyConditionExpression: 'auditPk = :p AND auditSk BETWEEN :lo AND :hi',
          ExpressionAttributeValues: {
            ':p': partition,
            ':lo': exclusive ? `${low}\u0000` : low,
            ':hi': high,
          },
          Limit: wanted - found.length,
          ExclusiveStartKey: exclusiveStartKey,
        }),
      );
      for (const item of result.Items ?? []) {
        found.push({ event: fromEventItem(item), position: String(item.auditSk) });
      }
      exclusiveStartKey = result.LastEvaluatedKey;
    } while (exclusiveStartKey && found.length < wanted);
    return found;
  }
}
