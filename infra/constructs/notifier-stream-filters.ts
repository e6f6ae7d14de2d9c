import { LEDGER_ITEM_KIND } from '../../functions/tables/table-definitions.ts';

/**
 * The notifier hears of new events only: an INSERT of an event item. Guards, digests, tamper signals and day
 * markers never invoke it, and a MODIFY or REMOVE (tampering) is the projector's to report, not a thing that
 * happened to a person.
 */
export const NOTIFIER_STREAM_FILTERS = [
  { eventName: ['INSERT'], dynamodb: { NewImage: { itemKind: { S: [LEDGER_ITEM_KIND.event] } } } },
] as const;
