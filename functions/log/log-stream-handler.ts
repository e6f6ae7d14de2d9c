import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { LEDGER_ITEM_KIND } from '../tables/table-definitions.ts';
import type { LogCandidate, LogIntegrator } from './integrator.ts';

/**
 * The event an INSERT record of the ledger's stream holds, as the log takes it in; undefined for any other record
 * (other items; changes and removals are the projector's to report as tampering, never the log's to follow).
 */
export function candidateOf(record: DynamoDBRecord): LogCandidate | undefined {
  if (record.eventName !== 'INSERT') return undefined;
  const image = record.dynamodb?.NewImage;
  if (image?.itemKind?.S !== LEDGER_ITEM_KIND.event) return undefined;
  let item: Record<string, unknown>;
  try {
    item = unmarshall(image as Record<string, AttributeValue>);
  } catch {
    return undefined;
  }
  if (typeof item.eventId !== 'string' || typeof item.hash !== 'string') return undefined;
  return { eventId: item.eventId, hash: item.hash };
}

/**
 * The log's reader of the ledger's stream (the live feed): the batch's new events, in the order the stream
 * delivers them, integrated and published before the batch is acknowledged. A failure fails the whole batch,
 * from its first record, so it is delivered again and the next step finishes what this one left.
 */
export function logRecordsHandler(
  integrator: Pick<LogIntegrator, 'integrate'>,
  logger?: { error(message: string, extra?: object): void },
) {
  return async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    const candidates = event.Records.map(candidateOf).filter((c): c is LogCandidate => c !== undefined);
    if (candidates.length === 0) return { batchItemFailures: [] };
    try {
      const result = await integrator.integrate(candidates);
      for (const refused of result.refused) {
        logger?.error('an event with a hash that is no entry was left out of the log', {
          eventId: refused.eventId,
        });
      }
      return { batchItemFailures: [] };
    } catch (error) {
      logger?.error('the log could not take in a batch of the ledger stream', {
        error: error instanceof Error ? error.message : String(error),
      });
      const first = event.Records[0]?.dynamodb?.SequenceNumber;
      return { batchItemFailures: first === undefined ? [] : [{ itemIdentifier: first }] };
    }
  };
}
