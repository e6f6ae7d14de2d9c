import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { StoredEvent } from '../../domain/stored-event.ts';
import { AuditDays } from './audit-days.ts';
import { toEventItem, toGuardItem } from './ledger-items.ts';

/** Whether a transaction was refused because another writer took its versions or its event ids first. */
export function isLostRace(error: unknown): boolean {
  return (
    error instanceof TransactionCanceledException &&
    (error.CancellationReasons ?? []).some(
      (reason) => reason.Code === 'ConditionalCheckFailed' || reason.Code === 'TransactionConflict',
    )
  );
}

/**
 * The one way events enter the ledger, for appends and imports alike: each event with its id guard, all in one
 * transaction of conditional puts, so that nothing is ever overwritten — no item at the next versions, no guard
 * for these event ids — and the conditions are the check as well as the write.
 */
export class LedgerWrites {
  readonly #documents: DynamoDBDocumentClient;
  readonly #tableName: string;
  readonly #clock: () => Date;
  readonly #auditDays: AuditDays;

  constructor(options: {
    readonly documents: DynamoDBDocumentClient;
    readonly tableName: string;
    readonly clock: () => Date;
  }) {
    this.#documents = options.documents;
    this.#tableName = options.tableName;
    this.#clock = options.clock;
    this.#auditDays = new AuditDays(options);
  }

  /** Writes chained events and their guards, `fingerprints[i]` being what event `i` was submitted as. */
  async write(fingerprints: readonly string[], stored: readonly StoredEvent[]): Promise<void> {
    const condition = 'attribute_not_exists(streamId)';
    const puts = stored.flatMap((event, index) => {
      const guard = {
        eventId: event.eventId,
        caseId: event.streamId,
        eventVersion: event.version,
        type: event.type,
        fingerprint: fingerprints[index]!,
      };
      return [
        { Put: { TableName: this.#tableName, Item: toEventItem(event), ConditionExpression: condition } },
        {
          Put: {
            TableName: this.#tableName,
            Item: toGuardItem(guard, event.recordedAt),
            ConditionExpression: condition,
          },
        },
      ];
    });
    // Before the events, so the audit feed never misses a day that holds one (see AuditDays). An append's
    // events share one day; an import's keep the days they were first recorded on.
    await this.#auditDays.mark(
      new Set(stored.map((event) => event.recordedAt.slice(0, 10))),
      this.#clock().toISOString().slice(0, 10),
    );
    await this.#documents.send(new TransactWriteCommand({ TransactItems: puts }));
  }
}
