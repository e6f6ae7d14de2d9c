import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { dayOf } from '../../domain/calendar.ts';
import { ledgerIndexes } from '../tables/ledger-keys.ts';
import { allShards } from '../tables/shards.ts';
import { AuditDays } from './audit-days.ts';
import { queryItems } from './query-items.ts';

/** Where a read of one shard of the case index stopped: DynamoDB's own `LastEvaluatedKey`, kept as it came. */
export type CaseIndexPosition = Record<string, unknown>;

export interface CaseIdPage {
  readonly caseIds: string[];
  /** Where the next page begins; absent after the shard's last page. */
  readonly next?: CaseIndexPosition;
}

/**
 * The case ids a digest reads: whole shards of the sparse `byCase` index page by page (a full digest), or only
 * the cases with events recorded in a span of time, from the audit feed's `byRecordedAt` index (an incremental
 * one). Both indexes are eventually consistent, which is what `DIGEST_SETTLE_MS` and the change margin allow for.
 */
export class DigestCaseIds {
  readonly #documents: DynamoDBDocumentClient;
  readonly #tableName: string;
  readonly #days: AuditDays;

  constructor(options: { documents: DynamoDBDocumentClient; tableName: string }) {
    this.#documents = options.documents;
    this.#tableName = options.tableName;
    this.#days = new AuditDays(options);
  }

  /** One page of a shard of the case index, from `after` on (its start when absent). */
  async page(shard: number, after: CaseIndexPosition | undefined, limit: number): Promise<CaseIdPage> {
    const { Items = [], LastEvaluatedKey } = await this.#documents.send(
      new QueryCommand({
        TableName: this.#tableName,
        IndexName: ledgerIndexes.byCase.indexName,
        KeyConditionExpression: 'caseShard = :k',
        ExpressionAttributeValues: { ':k': ledgerIndexes.byCase.partition(shard) },
        Limit: limit,
        ...(after && { ExclusiveStartKey: after }),
      }),
    );
    return {
      caseIds: Items.map((item) => String(item.streamId)),
      ...(LastEvaluatedKey && { next: LastEvaluatedKey }),
    };
  }

  /**
   * Every case with an event recorded from `from` to `to` (both included), each once: the marked days of the
   * span, every shard of each day at once, only the case id of each event read back.
   */
  async recordedBetween(from: Date, to: Date): Promise<string[]> {
    const cases = new Set<string>();
    const low = from.toISOString();
    // Anything recorded at `to` itself is in range: its position starts with that instant, then `#`.
    const high = `${to.toISOString()}\uffff`;
    for (const day of await this.#days.daysToRead(dayOf(from.getTime()), dayOf(to.getTime()))) {
      await Promise.all(
        allShards().map(async (shard) => {
          for await (const item of queryItems(this.#documents, {
            TableName: this.#tableName,
            IndexName: ledgerIndexes.byRecordedAt.indexName,
            KeyConditionExpression: 'auditPk = :p AND auditSk BETWEEN :lo AND :hi',
            ExpressionAttributeValues: {
              ':p': ledgerIndexes.byRecordedAt.partition(day, shard),
              ':lo': low,
              ':hi': high,
            },
            ProjectionExpression: 'streamId',
          })) {
            cases.add(String(item.streamId));
          }
        }),
      );
    }
    return [...cases];
  }
}
