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
 * A view's own key: one item per case. The registry of groups shares the table under a key no case id can
 * take (case ids start with a letter or digit), and carries no index key, so no list of views can meet it.
 */
export const viewKeys = {
  view: (caseId: string) => ({ caseId }),
  groupRegistry: { caseId: '#groups' },
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
 * The sparse indexes alerts are read from, each sorted `<day>#<caseId>` so that any threshold is a range: the
 * day of the last visit (or detention), the last day of the custody term and the day of the latest event, of
 * people in custody only; and, for every case with an event whose uncertain date has begun but not yet ended,
 * when it starts to count, since from then the stored view no longer holds.
 */
export const alertIndexes = {
  visit: { indexName: 'byVisitDue', keyName: 'visitShard', sortKeyName: 'visitSk', prefix: 'visit' },
  term: { indexName: 'byTermDue', keyName: 'termShard', sortKeyName: 'termSk', prefix: 'term' },
  news: { indexName: 'byNewsDue', keyName: 'newsShard', sortKeyName: 'newsSk', prefix: 'news' },
  pending: {
    indexName: 'byPendingUntil',
    keyName: 'pendingShard',
    sortKeyName: 'pendingSk',
    prefix: 'pending',
  },
} as const;

export type AlertIndexName = keyof typeof alertIndexes;

/** The partition of an alert index in one shard. */
export function alertPartition(index: AlertIndexName, shard: number): string {
  return `${alertIndexes[index].prefix}#${shard}`;
}

/**
 * A view's keys in the alert indexes; none when it is in no alert index. The indexes copy the item's `view`
 * (what an alert reports and the group it is filtered by), so nothing else is added to the item: a copy of those
 * dates would repeat what the view holds, and push a small case's item, and each of its copies, past 1 KB.
 */
function alertIndexKeys(view: CaseView, shard: number): Record<string, string> {
  const dates = alertDatesOf(view);
  const keys: Record<string, string> = {};
  const key = (index: AlertIndexName, first: string) => {
    keys[alertIndexes[index].keyName] = alertPartition(index, shard);
    keys[alertIndexes[index].sortKeyName] = `${first}#${view.caseId}`;
  };
  if (dates?.visit) key('visit', dates.visit.day);
  if (dates?.term) key('term', dates.term);
  if (dates?.news) key('news', dates.news.day);
  if (view.pendingUntil !== null) key('pending', view.pendingUntil);
  return keys;
}

/** The sharded index keys a view is listed under, its alert index keys included. */
export function viewIndexKeys(view: CaseView): Record<string, string> {
  const shard = shardOf(view.caseId);
  const { byAll, byCustodyUntil } = viewOrderIndexes;
  const keys: Record<string, string> = {
    ...alertIndexKeys(view, shard),
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
