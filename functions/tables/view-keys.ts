/**
 * Every key of the views table, declared once: the item's index keys, the indexes the table defines, the list
 * planner's choice of index, and the identity a list cursor is bound to all follow from these entries.
 *
 * Adding a list filter is one entry in `listFilterIndexes`; the table then has its index, views are written
 * with its key, the planner may choose it, cursors are bound to it, and the request schema and `ListFilter`
 * demand it (or fail to compile). Plain data and pure functions: the CDK stack imports this too.
 */
import { alertDatesOf } from '../../domain/alerts.ts';
import type { CaseView } from '../../domain/case-view.ts';
import { shardOf } from './shards.ts';

/**
 * A view's own key: one item per case. The registry of groups and the mark of the last whole rebuild share the
 * table under keys no case id can take (case ids start with a letter or digit), and carry no index key, so no
 * list of views can meet them.
 */
export const viewKeys = {
  view: (caseId: string) => ({ caseId }),
  groupRegistry: { caseId: '#groups' },
  rebuildMark: { caseId: '#rebuilt' },
} as const;

interface FilterIndex {
  readonly indexName: string;
  /** The attribute holding the index's partition key: `<prefix>#<value>#<shard>`. */
  readonly keyName: string;
  readonly prefix: string;
  /** Lower narrows more: of several filters, the planner queries the index of the one that narrows most. */
  readonly narrowing: number;
}

/**
 * The list filters, each a field of the view with a sharded index of the views by its value, in the order of
 * the table's indexes and of a cursor's identity. A view whose field is `null` is in no such index.
 */
export const listFilterIndexes = {
  status: { indexName: 'byStatus', keyName: 'statusShard', prefix: 'status', narrowing: 4 },
  groupId: { indexName: 'byGroup', keyName: 'groupShard', prefix: 'group', narrowing: 1 },
  facility: { indexName: 'byFacility', keyName: 'facilityShard', prefix: 'facility', narrowing: 2 },
  nationality: {
    indexName: 'byNationality',
    keyName: 'nationalityShard',
    prefix: 'nationality',
    narrowing: 3,
  },
} as const satisfies { readonly [Field in keyof CaseView]?: FilterIndex };

export type ListFilterField = keyof typeof listFilterIndexes;
export const listFilterFields = Object.keys(listFilterIndexes) as ListFilterField[];

/** What a list may be narrowed by: a value of each filter field, as the view holds it. */
export type ListFilter = { readonly [Field in ListFilterField]?: NonNullable<CaseView[Field]> };

/** The partition of a filter's index that lists the views whose field holds `value`, in one shard. */
export function filterPartition(field: ListFilterField, value: string, shard: number): string {
  return `${listFilterIndexes[field].prefix}#${value}#${shard}`;
}

/** Sorts after every `YYYY-MM-DD`, so cases without a custody term come last in term order. */
const NO_TERM = '~';

/** The indexes every view is in: all cases by id, and all cases by the end of their custody term. */
export const viewOrderIndexes = {
  byAll: {
    indexName: 'byAll',
    keyName: 'allShard',
    sortKeyName: 'caseId',
    partition: (shard: number) => `all#${shard}`,
  },
  byCustodyUntil: {
    indexName: 'byCustodyUntil',
    keyName: 'custodyShard',
    sortKeyName: 'custodySk',
    partition: (shard: number) => `custody#${shard}`,
  },
} as const;

/**
 * The sparse indexes alerts are read from, each sorted by a day so that any threshold is a range: the day of the
 * last visit (or detention), the last day of the custody term, the day of the latest event and the day of the
 * hearing the person may not have been seen at (`alertDatesOf`), of people in custody only; and, for every case with an event whose uncertain date has begun but not yet ended, when it
 * starts to count (an ISO instant), since from then the stored view no longer holds.
 *
 * Each is partitioned by the shard every view already carries (`allShard`, `all#<shard>`) and holds only the
 * items that have its sort key, so a view gains one short attribute per alert date and nothing else: every byte
 * of an item is paid again in each of its index copies. The sort key is the day alone: an index key need not be
 * unique, and alerts read whole ranges, never paging from a cursor.
 */
export const alertIndexes = {
  visit: { indexName: 'byVisitDue', sortKeyName: 'visitDay' },
  term: { indexName: 'byTermDue', sortKeyName: 'termDay' },
  news: { indexName: 'byNewsDue', sortKeyName: 'newsDay' },
  hearing: { indexName: 'byHearingDue', sortKeyName: 'hearingDay' },
  pending: { indexName: 'byPendingUntil', sortKeyName: 'pendingAt' },
} as const;

export type AlertIndexName = keyof typeof alertIndexes;

/** The attribute holding an alert index's partition key, and its value in one shard: those of `byAll`. */
export const alertPartition = {
  keyName: viewOrderIndexes.byAll.keyName,
  of: (shard: number) => viewOrderIndexes.byAll.partition(shard),
} as const;

/** A view's sort keys in the alert indexes; none when it is in no alert index. */
function alertIndexKeys(view: CaseView): Record<string, string> {
  const dates = alertDatesOf(view);
  const keys: Record<string, string> = {};
  if (dates?.visit) keys[alertIndexes.visit.sortKeyName] = dates.visit.day;
  if (dates?.term) keys[alertIndexes.term.sortKeyName] = dates.term;
  if (dates?.news) keys[alertIndexes.news.sortKeyName] = dates.news.day;
  if (dates?.hearing) keys[alertIndexes.hearing.sortKeyName] = dates.hearing.day;
  if (view.pendingUntil !== null) keys[alertIndexes.pending.sortKeyName] = view.pendingUntil;
  return keys;
}

/** The sharded index keys a view is listed under, its alert index keys included. */
export function viewIndexKeys(view: CaseView): Record<string, string> {
  const shard = shardOf(view.caseId);
  const { byAll, byCustodyUntil } = viewOrderIndexes;
  const keys: Record<string, string> = {
    ...alertIndexKeys(view),
    [byAll.keyName]: byAll.partition(shard),
    [byCustodyUntil.keyName]: byCustodyUntil.partition(shard),
    [byCustodyUntil.sortKeyName]: `${view.custodyUntil ?? NO_TERM}#${view.caseId}`,
  };
  for (const field of listFilterFields) {
    const value = view[field];
    if (value !== null) keys[listFilterIndexes[field].keyName] = filterPartition(field, value, shard);
  }
  return keys;
}

/**
 * What a list's cursor is bound to: the order and every filter, so a cursor of one list is refused by another.
 * Field by field in a fixed order, so the same list always has the same identity.
 */
export function listIdentity(
  order: string,
  filter: { readonly [K in keyof ListFilter]?: ListFilter[K] | undefined },
): readonly [name: string, ...parts: (string | null)[]] {
  return ['cases', order, ...listFilterFields.map((field) => filter[field] ?? null)];
}

/**
 * The counts kept by day (`GET /summary`, `GET /summary/series`): items of the views table under keys no case id
 * can take, one per scope (every case, or one group), shard of the case and bucket, and in the sparse `byCounts`
 * index by scope and shard, sorted by bucket. A bucket is a day (`D#YYYY-MM-DD`: the changes of that whole day)
 * or a moment within a day (`M#YYYY-MM-DD#<ISO instant>`: the changes at that moment, so a count as of a
 * moment inside a day reads that day's moments and no case). Changes from the beginning of time (a record with no
 * dated event) go to the day before every day. Sharded like the views so that a busy day is not one hot item.
 */
export const countsIndex = {
  indexName: 'byCounts',
  partitionKeyName: 'countsPartition',
  sortKeyName: 'countsBucket',
} as const;

/** The scope of a count: every case, or the cases of one group. */
export type CountScope = { readonly kind: 'all' } | { readonly kind: 'group'; readonly groupId: string };

/** The day bucket of the changes made at the beginning of time: before every calendar day. */
export const BEFORE_EVERY_DAY = '0000-00-00';

export const countKeys = {
  partition: (scope: CountScope, shard: number) =>
    scope.kind === 'all' ? `all#${shard}` : `group#${scope.groupId}#${shard}`,
  dayBucket: (day: string) => `D#${day}`,
  momentBucket: (day: string, instant: string) => `M#${day}#${instant}`,
  /** The lowest moment bucket of a day: a prefix of all of them. */
  momentsOf: (day: string) => `M#${day}#`,
  item: (partition: string, bucket: string) => ({ caseId: `#counts#${partition}#${bucket}` }),
  /** Counters are attributes named by their count key under this prefix, beside the item's keys. */
  counterPrefix: 'k:',
} as const;
