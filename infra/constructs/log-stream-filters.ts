import { LEDGER_ITEM_KIND } from '../../functions/tables/table-definitions.ts';

/**
 * The log's integrator takes in new events only: an INSERT of an event item. Guards, digests, tamper signals
 * and day markers are no events; and a MODIFY or REMOVE is tampering, the projector's to report. The log must
 * never give an index to the hash of an event changed behind the application's back.
 */
export const LOG_STREAM_FILTERS = [
  { eventName: ['INSERT'], dynamodb: { NewImage: { itemKind: { S: [LEDGER_ITEM_KIND.event] } } } },
] as const;
