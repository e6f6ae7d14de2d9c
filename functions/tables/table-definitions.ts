/**
 * The one definition of the ledger's and the views' DynamoDB tables: keys, indexes and stream.
 *
 * The local runtime turns it into `CreateTable` input (`to-create-table-input.ts`) and the CDK stack into
 * `TableV2` props, so the two can never drift apart. It is plain data on purpose: no AWS SDK and no CDK here,
 * so both sides may import it.
 *
 * @example
 * ```ts
 * import { ledgerTable } from '../functions/tables/table-definitions.ts';
 * ledgerTable.partitionKey.name; // 'streamId'
 * ```
 */

import {
  alertIndexes,
  alertPartition,
  countsIndex,
  listFilterFields,
  listFilterIndexes,
  viewOrderIndexes,
} from './view-keys.ts';

export type KeyType = 'S' | 'N';

export interface KeyAttribute {
  readonly name: string;
  readonly type: KeyType;
}

export interface IndexDefinition {
  readonly indexName: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
  /**
   * `ALL` copies every attribute into the index, so a list page is served by the index alone; `include` copies
   * only the keys and the attributes named, so a write of the item costs each index copy what that copy needs.
   */
  readonly projection: 'ALL' | 'KEYS_ONLY' | { readonly include: readonly string[] };
}

export interface TableDefinition {
  /** What the table is for, used in descriptions and logs. */
  readonly purpose: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
  readonly globalSecondaryIndexes: readonly IndexDefinition[];
  /** `NEW_AND_OLD_IMAGES` so that a modification or removal of an event can be seen and reported as tampering. */
  readonly stream?: 'NEW_AND_OLD_IMAGES';
}

/**
 * The append-only ledger: one item per event, keyed by the case's stream and the event's version.
 *
 * It also holds items that are not events, each in a partition whose key starts with `#` (case ids may
 * not): the `eventId` guards that make appends idempotent, ledger digests and their leaves, tamper
 * signals, and the markers of the days that hold events (for the audit feed). Every item carries `itemKind` so that stream consumers can tell events from the rest.
 */
export const ledgerTable = {
  purpose: 'append-only ledger of detention events',
  partitionKey: { name: 'streamId', type: 'S' },
  sortKey: { name: 'version', type: 'N' },
  globalSecondaryIndexes: [
    {
      // The audit feed: events by recording time, in day buckets split into shards so that a busy day is not
      // one hot partition. Readers fan out over the shards of each day and merge by `auditSk`.
      indexName: 'byRecordedAt',
      partitionKey: { name: 'auditPk', type: 'S' },
      sortKey: { name: 'auditSk', type: 'S' },
      projection: 'ALL',
    },
    {
      // Every case id, from the first event of each stream only (a sparse index), for digests over all heads.
      indexName: 'byCase',
      partitionKey: { name: 'caseShard', type: 'S' },
      sortKey: { name: 'streamId', type: 'S' },
      projection: 'KEYS_ONLY',
    },
    {
      // Tamper signals: the projector's record of every event item changed or removed behind the application's
      // back. In the ledger, not the views, so they are kept, protected and restored like the events.
      indexName: 'byTamper',
      partitionKey: { name: 'tamperShard', type: 'S' },
      sortKey: { name: 'streamId', type: 'S' },
      projection: 'ALL',
    },
  ],
  stream: 'NEW_AND_OLD_IMAGES',
} as const satisfies TableDefinition;

/**
 * What a list index copies of a view item: the view, all that a list page or a CSV export reads (the keys come
 * with every index). Not the timeline, the part of a long case's item that grows, nor the moment and revision of
 * the fold: they stay in the base item, written once per projection instead of once more in each of six list
 * indexes, and `ViewStore.storedPages` reads them from there for the callers that fold (summaries, past alerts).
 * Every byte an index holds is paid again on every write of the view, 1 KB a unit.
 */
const LIST_PAGE = { include: ['view'] } as const;

/**
 * The views: one item per case, the fold of its events. Disposable: rebuilt from the ledger at will. Its
 * indexes follow from the views' keys (`view-keys.ts`).
 *
 * Lists are served by `Query` on sharded indexes (`all#3`, `status#detained#5`, `group#G#1`, `facility#F#2`,
 * `nationality#N#0`, `custody#4`), never by `Scan`; alerts by `Query` ranges of days on the sparse alert
 * indexes, partitioned by the same shards as `byAll`. Facility and nationality are keyed as the view holds them now.
 */
export const viewsTable = {
  purpose: 'case views derived from the ledger',
  partitionKey: { name: 'caseId', type: 'S' },
  globalSecondaryIndexes: [
    listedByCaseId(viewOrderIndexes.byAll),
    ...listFilterFields.map((field) => listedByCaseId(listFilterIndexes[field])),
    {
      // "Whose term runs out next": every case, by `custodyUntil` then case id; cases without a term sort last
      // (what `GET /cases?sort=custodyUntil` promises, so this index is not sparse). A list page, like the others.
      indexName: viewOrderIndexes.byCustodyUntil.indexName,
      partitionKey: { name: viewOrderIndexes.byCustodyUntil.keyName, type: 'S' },
      sortKey: { name: viewOrderIndexes.byCustodyUntil.sortKeyName, type: 'S' },
      projection: LIST_PAGE,
    },
    // The alert indexes: sparse (people in custody; cases with a pending date), copying only the view (what an
    // alert reports, under 1 KB), so `GET /alerts` reads the cases that alert and no view item.
    ...Object.values(alertIndexes).map((index) => ({
      indexName: index.indexName,
      partitionKey: { name: alertPartition.keyName, type: 'S' as const },
      sortKey: { name: index.sortKeyName, type: 'S' as const },
      projection: { include: ['view'] },
    })),
    {
      // The counts kept by day: only count items carry its keys. Each item is a few counters, read whole.
      indexName: countsIndex.indexName,
      partitionKey: { name: countsIndex.partitionKeyName, type: 'S' },
      sortKey: { name: countsIndex.sortKeyName, type: 'S' },
      projection: 'ALL',
    },
  ],
} as const satisfies TableDefinition;

/** A views index of case ids, each page served by the index alone. */
function listedByCaseId<const Name extends string>(index: { indexName: Name; keyName: string }) {
  return {
    indexName: index.indexName,
    partitionKey: { name: index.keyName, type: 'S' },
    sortKey: { name: 'caseId', type: 'S' },
    projection: LIST_PAGE,
  } as const satisfies IndexDefinition;
}

/**
 * The case keys: one item per case holding its data key, wrapped by the master key (KMS on AWS, a
 * configured key locally). Erasing a case deletes its item, and with it every way to read the case's subject.
 *
 * Deliberately without point-in-time recovery or backups, and without a stream: a restorable copy of a key
 * would undo an erasure. Losing this table loses the subjects (names), never the record of what happened.
 */
export const caseKeysTable = {
  purpose: 'per-case data keys for personal data, destroyed on erasure',
  partitionKey: { name: 'caseId', type: 'S' },
  globalSecondaryIndexes: [],
} as const satisfies TableDefinition;

/**
 * The notifications: subscriptions, webhook endpoints, each subscription's open alerts, the outbox of notices
 * and the delivery log. Not derived from the ledger (a subscription is nobody's evidence) and not disposable
 * like the views: a rebuild of the views must not forget who asked to be told, nor what was sent. Every item is
 * `pk`/`sk`; the indexes are sparse, each holding only the items that carry its key.
 */
export const notificationsTable = {
  purpose: 'subscriptions, webhook endpoints, alert states and the outbox of notices',
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  globalSecondaryIndexes: [
    {
      // A person's own subscriptions, newest first: what the web application lists.
      indexName: 'byOwner',
      partitionKey: { name: 'ownerPk', type: 'S' },
      sortKey: { name: 'ownerSk', type: 'S' },
      projection: 'ALL',
    },
    {
      // Every subscription or endpoint (`kindPk` = subscription | endpoint): there are few, and the notifier
      // reads them all on each run.
      indexName: 'byKind',
      partitionKey: { name: 'kindPk', type: 'S' },
      sortKey: { name: 'kindSk', type: 'S' },
      projection: 'ALL',
    },
    {
      // The outbox: notices not yet delivered, by when they are next due, sharded (`due#<n>`); a delivered
      // notice drops its keys and leaves the index.
      indexName: 'byDue',
      partitionKey: { name: 'duePk', type: 'S' },
      sortKey: { name: 'dueSk', type: 'S' },
      projection: 'ALL',
    },
  ],
} as const satisfies TableDefinition;

/**
 * The transparency log's bookkeeping (docs/log.md): the integrator's checkpoint state, which every integration
 * moves by a compare-and-swap, each event's index in the log, the leaf hashes by index, the signed checkpoints
 * and their witnesses' cosignatures, and, for `npx ledger witness`, nothing (a witness keeps its own file).
 * Hashes and event ids only, never personal data. Not derived from the ledger in a way a rebuild could redo:
 * the index an event was given is a promise to everyone holding a proof, so it is kept like the ledger.
 */
export const logTable = {
  purpose: "the transparency log's state, event indexes, leaves, checkpoints and cosignatures",
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  globalSecondaryIndexes: [],
} as const satisfies TableDefinition;

/** The item kinds in the ledger table; only `event` items are projected. */
export const LEDGER_ITEM_KIND = {
  event: 'event',
  eventIdGuard: 'event-id-guard',
  digest: 'digest',
  digestLeaves: 'digest-leaves',
  tamperSignal: 'tamper-signal',
  auditDay: 'audit-day',
} as const;
export type LedgerItemKind = (typeof LEDGER_ITEM_KIND)[keyof typeof LEDGER_ITEM_KIND];
