import type { CaseView } from '../../domain/case-view.ts';
import type { viewsTable } from '../tables/table-definitions.ts';
import {
  filterPartition,
  type ListFilter,
  listFilterFields,
  listFilterIndexes,
  viewOrderIndexes,
} from '../tables/view-keys.ts';

export type { ListFilter } from '../tables/view-keys.ts';

/** The orders a list can come in; each is the sort key of an index. */
export const listOrders = ['caseId', 'custodyUntil'] as const;
export type ListOrder = (typeof listOrders)[number];

export interface ListRequest extends ListFilter {
  readonly limit: number;
  /** `caseId` (the default) or `custodyUntil`, soonest first, cases without a term last. */
  readonly order?: ListOrder;
  /** Continue after this sort key (the `continueAfter` of the previous page). */
  readonly after?: string;
}

export interface ListPage {
  readonly views: CaseView[];
  /** The sort key to continue after; absent on the last page. */
  readonly continueAfter?: string;
}

type IndexName = (typeof viewsTable.globalSecondaryIndexes)[number]['indexName'];

export interface QueryPlan {
  readonly indexName: IndexName;
  readonly keyName: string;
  readonly keyOf: (shard: number) => string;
  readonly sortKeyName: 'caseId' | 'custodySk';
  /** The filters the index key does not already apply, as paths into the stored `view` map. */
  readonly residual: ReadonlyArray<{ field: keyof ListFilter & keyof CaseView; value: string }>;
}

/** The filter fields, the one that narrows a list most first. */
const byNarrowing = [...listFilterFields].sort(
  (a, b) => listFilterIndexes[a].narrowing - listFilterIndexes[b].narrowing,
);

/**
 * Picks the index that narrows a list most — the filter that narrows most, else all — or, for term order,
 * the term index; the filters its key does not apply become a `FilterExpression` on the same `Query`.
 */
export function plan(request: ListRequest): QueryPlan {
  const filters = byNarrowing.flatMap((field) => {
    const value = request[field];
    return value === undefined ? [] : [{ field, value }];
  });
  if (request.order === 'custodyUntil') {
    const { indexName, keyName, sortKeyName, partition } = viewOrderIndexes.byCustodyUntil;
    return { indexName, keyName, keyOf: partition, sortKeyName, residual: filters };
  }
  const [first, ...rest] = filters;
  if (first === undefined) {
    const { indexName, keyName, sortKeyName, partition } = viewOrderIndexes.byAll;
    return { indexName, keyName, keyOf: partition, sortKeyName, residual: [] };
  }
  const { indexName, keyName } = listFilterIndexes[first.field];
  return {
    indexName,
    keyName,
    keyOf: (shard) => filterPartition(first.field, first.value, shard),
    sortKeyName: 'caseId',
    residual: rest,
  };
}
