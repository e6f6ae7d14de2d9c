import type { DynamoDBStreamEvent } from 'aws-lambda';

/**
 * Whether the notifier was invoked by the ledger's stream (records of `aws:dynamodb`) rather than by its
 * schedule (an EventBridge event). Anything else is taken as a scheduled run: a run is safe to repeat, since
 * the notices it builds have stable ids and the outbox refuses a copy.
 */
export function isLedgerStreamEvent(event: unknown): event is DynamoDBStreamEvent {
  if (typeof event !== 'object' || event === null) return false;
  const { Records } = event as { Records?: unknown };
  return (
    Array.isArray(Records) &&
    Records.length > 0 &&
    Records.every(
      (record) =>
        typeof record === 'object' &&
        record !== null &&
        (record as { eventSource?: unknown }).eventSource === 'aws:dynamodb',
    )
  );
}
