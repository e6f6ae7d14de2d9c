import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { TamperSignal } from '../../domain/alerts.ts';
import { ledgerIndexes, ledgerKeys } from '../tables/ledger-keys.ts';
import { allShards } from '../tables/shards.ts';
import { LEDGER_ITEM_KIND } from '../tables/table-definitions.ts';
import { queryItems } from './query-items.ts';

/**
 * Tamper signals, kept in the ledger table beside what they are about: appended, never rewritten, protected
 * by the ledger's resource policy and point-in-time recovery, and untouched by a rebuild of the views.
 */
export class TamperLog {
  readonly #documents: DynamoDBDocumentClient;
  readonly #tableName: string;

  constructor(options: { documents: DynamoDBDocumentClient; tableName: string }) {
    this.#documents = options.documents;
    this.#tableName = options.tableName;
  }

  /**
   * Keeps a signal. Its key names the change and the stream record, so the same record delivered twice is
   * kept once, while a second, later change of the same event is a second signal.
   *
   * @returns `true` when the signal is new; `false` when this record's signal was kept already (a redelivery,
   *   or a restarted local runtime reading its stream again from the start).
   */
  async record(signal: TamperSignal, sequenceNumber: string): Promise<boolean> {
    // The SDK retries a put that timed out, and the first try may have been written: the retry carries the same
    // write id and passes the condition, so a new signal is never taken for one kept before (and its alarm lost).
    const writeId = randomUUID();
    try {
      await this.#documents.send(
        new PutCommand({
          TableName: this.#tableName,
          Item: {
            ...ledgerKeys.tamperSignal(signal, sequenceNumber),
            itemKind: LEDGER_ITEM_KIND.tamperSignal,
            ...ledgerIndexes.byTamper.keysOf(signal.caseId),
            signal,
            writeId,
          },
          ConditionExpression: 'attribute_not_exists(streamId) OR writeId = :writeId',
          ExpressionAttributeValues: { ':writeId': writeId },
        }),
      );
      return true;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      return false;
    }
  }

  /** Every signal kept, from all shards of the ledger's tamper index. */
  async signals(): Promise<TamperSignal[]> {
    const signals: TamperSignal[] = [];
    for (const shard of allShards()) {
      for await (const item of queryItems(this.#documents, {
        TableName: this.#tableName,
        IndexName: ledgerIndexes.byTamper.indexName,
        KeyConditionExpression: 'tamperShard = :k',
        ExpressionAttributeValues: { ':k': ledgerIndexes.byTamper.partition(shard) },
      })) {
        signals.push(item.signal as TamperSignal);
      }
    }
    return signals;
  }
}
