import type { DynamoDBRecord } from 'aws-lambda';
import { MAX_EVENTS_PER_APPEND } from '../../domain/append-rules.ts';
import type { Services } from '../../functions/services.ts';
import { LEDGER_ITEM_KIND } from '../../functions/tables/table-definitions.ts';
import { openingEvents, visitAt, withIds } from './bench-events.ts';

/** A stream record of an inserted event, as the projector gets it from the stream. */
export function insertRecord(caseId: string, version: number): DynamoDBRecord {
  return {
    eventName: 'INSERT',
    dynamodb: {
      Keys: { streamId: { S: caseId }, version: { N: String(version) } },
      NewImage: { itemKind: { S: LEDGER_ITEM_KIND.event } },
      SequenceNumber: `${caseId}-${version}`,
    },
  };
}

/**
 * A case of `events` events through the store: the opening, then consular visits a minute apart that end ten
 * days ago, so every later visit (dated now) comes after them all.
 */
export async function buildCase(ledger: Services['ledger'], caseId: string, events: number): Promise<void> {
  await ledger.append({
    caseId,
    events: withIds(openingEvents().slice(0, 1)),
    expected: 'no_stream',
    recordedBy: 'bench',
  });
  const end = Date.now() - 10 * 86_400_000;
  for (let version = 1; version < events; ) {
    const count = Math.min(MAX_EVENTS_PER_APPEND, events - version);
    const visits = Array.from({ length: count }, (_, index) =>
      visitAt(new Date(end - (events - version - index) * 60_000)),
    );
    await ledger.append({ caseId, events: withIds(visits), expected: 'stream_exists', recordedBy: 'bench' });
    version += count;
  }
}
