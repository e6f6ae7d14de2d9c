import { LEDGER_ITEM_KIND } from '../../functions/tables/table-definitions.ts';

/**
 * Lambda event filter patterns for the ledger's stream: a record invokes the projector when it inserts an event
 * or modifies or removes one. Items that are not events (the event-id guards) never invoke it, so they cost
 * no invocation. A modification or removal is matched on the old image, the item as it was, since what was
 * an event must be reported whatever it became.
 */
export const PROJECTOR_STREAM_FILTERS = [
  { eventName: ['INSERT'], dynamodb: { NewImage: { itemKind: { S: [LEDGER_ITEM_KIND.event] } } } },
  {
    eventName: ['MODIFY', 'REMOVE'],
    dynamodb: { OldImage: { itemKind: { S: [LEDGER_ITEM_KIND.event] } } },
  },
] as const;
