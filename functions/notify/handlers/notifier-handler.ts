import type { DynamoDBBatchResponse } from 'aws-lambda';
import type { RunSummary } from '../notifier.ts';
import { isLedgerStreamEvent } from './notifier-event.ts';
import { notifierOnAws } from './notifier-on-aws.ts';

const { current } = notifierOnAws('notifier');

/**
 * The notifier on Lambda. Invoked by its EventBridge schedule, it runs one pass as of now (alerts raised and
 * resolved, digests due, the outbox); invoked by the ledger's stream (new events only, filtered by the event
 * source), it tells watching subscriptions, failing only the records it could not handle (batch item failures).
 * A failed pass throws, so the errors alarm fires; the next scheduled pass picks up where the outbox stands.
 */
export const handler = async (event: unknown): Promise<RunSummary | DynamoDBBatchResponse> => {
  const notifier = await current();
  if (isLedgerStreamEvent(event)) return notifier.onLedgerRecords(event);
  return notifier.run(new Date());
};
