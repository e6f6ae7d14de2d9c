import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import type { LedgerStore } from '../../functions/store/ledger-store.ts';

/**
 * Projects cases as the projector would on their newest stream record, without waiting for a stream: the
 * record is shaped like the ones DynamoDB Streams delivers. Throws when any record comes back failed.
 */
export async function projectCases(
  services: {
    ledger: LedgerStore;
    projector: (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse>;
  },
  ...caseIds: string[]
): Promise<void> {
  const records = await Promise.all(
    caseIds.map(async (caseId) => {
      const head = await services.ledger.head(caseId);
      return {
        eventName: 'INSERT' as const,
        dynamodb: {
          Keys: { streamId: { S: caseId }, version: { N: String(head?.version) } },
          NewImage: { itemKind: { S: 'event' } },
          SequenceNumber: `${caseId}-${head?.version}`,
        },
      };
    }),
  );
  const result = await services.projector({ Records: records });
  if (result.batchItemFailures.length > 0) {
    throw new Error(`projection failed: ${JSON.stringify(result.batchItemFailures)}`);
  }
}
