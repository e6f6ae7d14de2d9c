import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { EventMention } from '../../domain/notifications/notice.ts';
import { eventMentionOf, watchesEvent } from '../../domain/notifications/notice-audience.ts';
import { noticeIds } from '../../domain/notifications/notice-ids.ts';
import type { Subscription } from '../../domain/notifications/subscription.ts';
import { LEDGER_ITEM_KIND } from '../tables/table-definitions.ts';
import type { NotifierDeps } from './notifier-deps.ts';
import { noticeFor } from './watch-alerts.ts';

/**
 * The event an INSERT record of the ledger's stream holds, as a mention (ids, type, dates: nothing of its data);
 * undefined for any other record (non-event items, changes, removals: those are the projector's to report).
 */
function insertedEvent(record: DynamoDBRecord): Omit<EventMention, 'groupId'> | undefined {
  if (record.eventName !== 'INSERT') return undefined;
  const image = record.dynamodb?.NewImage;
  if (image?.itemKind?.S !== LEDGER_ITEM_KIND.event) return undefined;
  let item: Record<string, unknown>;
  try {
    item = unmarshall(image as Record<string, AttributeValue>);
  } catch {
    // Not an image DynamoDB wrote: nothing a retry could mend.
    return undefined;
  }
  const fields = ['streamId', 'eventId', 'type', 'occurredAt', 'recordedAt'] as const;
  if (fields.some((field) => typeof item[field] !== 'string') || !Number.isInteger(item.version))
    return undefined;
  const { groupId: _none, ...mention } = eventMentionOf(
    {
      streamId: item.streamId as string,
      eventId: item.eventId as string,
      version: item.version as number,
      type: item.type as EventMention['type'],
      occurredAt: item.occurredAt as string,
      recordedAt: item.recordedAt as string,
    },
    null,
  );
  return mention;
}

/**
 * Tells subscriptions of the events appended to the cases they watch: for an `immediate` one a `case_event`
 * notice, for a `daily` one an entry for its digest. Both are keyed by the subscription and the event's id, so a
 * stream record delivered again (retries, replays) finds its notice written and writes nothing. A record that
 * fails comes back as a batch item failure, and only it is retried.
 */
export function ledgerRecordsHandler(deps: NotifierDeps) {
  return async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    let subscriptions: Promise<Subscription[]> | undefined;
    const watching = () => {
      subscriptions ??= deps.store
        .listSubscriptions()
        .then((all) => all.filter((subscription) => subscription.eventTypes.length > 0));
      return subscriptions;
    };

    const handleRecord = async (record: DynamoDBRecord): Promise<void> => {
      const inserted = insertedEvent(record);
      if (!inserted) return;
      const candidates = await watching();
      if (candidates.length === 0) return;
      const mention: EventMention = { ...inserted, groupId: await deps.caseGroup(inserted.caseId) };
      const now = deps.clock();
      for (const subscription of candidates) {
        if (!watchesEvent(subscription, mention)) continue;
        const part =
          subscription.cadence.kind === 'daily'
            ? deps.store.parts.putPendingEntry(
                subscription.id,
                mention.recordedAt,
                `event#${mention.eventId}`,
                {
                  kind: 'event',
                  event: mention,
                },
              )
            : deps.store.parts.putNotice(
                noticeFor(
                  subscription,
                  noticeIds.caseEvent(subscription.id, mention.eventId),
                  { kind: 'case_event', event: mention },
                  now,
                ),
                { kind: 'subscription' },
                now,
              );
        const outcome = await deps.store.transact([part]);
        if (outcome === 'written')
          deps.logger.info('case event booked', {
            subscriptionId: subscription.id,
            caseId: mention.caseId,
            version: mention.version,
            type: mention.type,
          });
      }
    };

    const processor = new BatchProcessor(EventType.DynamoDBStreams);
    return processPartialResponse(event, handleRecord, processor, { throwOnFullBatchFailure: false });
  };
}
