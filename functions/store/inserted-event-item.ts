import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { LEDGER_ITEM_KIND } from '../tables/table-definitions.ts';

/**
 * The item of an event a record of the ledger's stream INSERTed, unmarshalled; undefined for any other record
 * (other items; changes and removals, which are the projector's to report as tampering, never a reader's to
 * follow) and for an image DynamoDB did not write (nothing a retry could mend). What the stream's readers beside
 * the projector (the notifier, the log) each read of it is theirs to check.
 */
export function insertedEventItem(record: DynamoDBRecord): Record<string, unknown> | undefined {
  if (record.eventName !== 'INSERT') return undefined;
  const image = record.dynamodb?.NewImage;
  if (image?.itemKind?.S !== LEDGER_ITEM_KIND.event) return undefined;
  try {
    return unmarshall(image as Record<string, AttributeValue>);
  } catch {
    return undefined;
  }
}
