import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { CaseView } from '../../domain/case-view.ts';
import type { Counters, DayCounters } from '../../domain/kept-counts.ts';
import { COUNTS_KEPT_FROM_REVISION, PROJECTION_REVISION } from '../../domain/projection-revision.ts';
import { allShards } from '../tables/shards.ts';
import {
  type AlertIndexName,
  type CountScope,
  viewIndexKeys,
  viewKeys,
  viewOrderIndexes,
} from '../tables/view-keys.ts';
import { casesDueBefore, type DueCase } from './alert-index-reads.ts';
import { countersAsOf, dayCountersUpTo } from './count-reads.ts';
import { writeCountedView } from './counted-view-write.ts';
import { type Projection, type StoredView, toStored, VIEW_ONLY, viewOfItem } from './stored-view.ts';
import { storedViewsOf } from './stored-view-batches.ts';
import {
  type ListFilter,
  type ListOrder,
  type ListPage,
  type ListRequest,
  plan,
  type QueryPlan,
} from './view-query-plan.ts';

export interface ViewStoreOptions {
  readonly documents: DynamoDBDocumentClient;
  readonly tableName: string;
  /** Count updates per transaction of a view write; lower only to test writes too large for one. */
  readonly maxCountUpdatesPerWrite?: number;
}

/** One matching item of a shard's query: the view the index copies and its position in the index order. */
interface Listed {
  readonly view: CaseView;
  readonly sortKey: string;
}

/**
 * The views table: one item per case, written only forward. Lists are `Query`s over the shards of
 * an index, merged by case id, so no list ever scans the table.
 */
export class ViewStore {
  readonly #documents: DynamoDBDocumentClient;
  readonly #tableName: string;
  /** Groups this store has put in the registry already: a warm projector writes each one once. */
  readonly #registered = new Set<string>();
  readonly #maxUpdatesPerWrite: number | undefined;
  #countsReady = false;

  constructor(options: ViewStoreOptions) {
    this.#documents = options.documents;
    this.#tableName = options.tableName;
    this.#maxUpdatesPerWrite = options.maxCountUpdatesPerWrite;
  }

  /**
   * Writes a view if it is newer than the stored one: a higher version, the same version from a newer
   * projection revision, or the same fold taken at a later moment. Returns `false` when the stored view is as
   * new or newer (nothing written), so duplicated, late and replayed stream records never move a view backwards.
   * The counts kept by day move with it, in the same transaction (`counted-view-write.ts`).
   */
  async put({ view, timeline, projectedAt }: Projection, projectionRevision: number): Promise<boolean> {
    // The group is registered before its view is written, so a view can never be stored with its group
    // missing from the registry, whatever fails between the two writes.
    if (view.groupId !== null) await this.registerGroup(view.groupId);
    return writeCountedView(
      {
        documents: this.#documents,
        tableName: this.#tableName,
        maxUpdatesPerWrite: this.#maxUpdatesPerWrite,
      },
      {
        ...viewKeys.view(view.caseId),
        version: view.version,
        projectionRevision,
        view,
        timeline,
        projectedAt: projectedAt.toISOString(),
        ...viewIndexKeys(view),
      },
    );
  }

  /** Every group a stored view belongs to, sorted: one read of the registry, never a `Scan`. */
  async groupIds(): Promise<string[]> {
    const { Item } = await this.#documents.send(
      new GetCommand({ TableName: this.#tableName, Key: viewKeys.groupRegistry, ConsistentRead: true }),
    );
    const ids = Item?.groupIds;
    return ids instanceof Set ? [...ids].map(String).sort() : [];
  }

  /**
   * Adds a group to the registry; adding to a string set is idempotent, so a replay changes nothing. Every view
   * write does it; `ledger rebuild-views` also does it for views already current, which were written before
   * the registry existed.
   */
  async registerGroup(groupId: string): Promise<void> {
    if (this.#registered.has(groupId)) return;
    await this.#documents.send(
      new UpdateCommand({
        TableName: this.#tableName,
        Key: viewKeys.groupRegistry,
        UpdateExpression: 'ADD groupIds :g',
        ExpressionAttributeValues: { ':g': new Set([groupId]) },
      }),
    );
    this.#registered.add(groupId);
  }

  /**
   * The projection revision that every view was last brought to as a whole: by a complete `ledger
   * rebuild-views`, or when the table was made empty. Views a live projector writes are always of the current
   * revision, so from then on none is older. `undefined`: never marked (a table from before the mark existed).
   */
  async rebuiltRevision(): Promise<number | undefined> {
    const { Item } = await this.#documents.send(
      new GetCommand({ TableName: this.#tableName, Key: viewKeys.rebuildMark, ConsistentRead: true }),
    );
    return typeof Item?.revision === 'number' ? Item.revision : undefined;
  }

  /** Marks every view as of `revision`; a mark never moves back, so an older rebuild finishing late is a no-op. */
  async markRebuilt(revision: number, at: Date): Promise<void> {
    try {
      await this.#documents.send(
        new PutCommand({
          TableName: this.#tableName,
          Item: { ...viewKeys.rebuildMark, revision, at: at.toISOString() },
          ConditionExpression: 'attribute_not_exists(caseId) OR revision <= :revision',
          ExpressionAttributeValues: { ':revision': revision },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  /**
   * The cases of an alert index keyed before `before` (a day, or for `pending` an instant), of one group or of
   * all: what alerts as of now, read without reading a view.
   */
  casesDue(index: AlertIndexName, before: string, groupId?: string): Promise<DueCase[]> {
    return casesDueBefore(this.#documents, this.#tableName, index, before, groupId);
  }

  /**
   * Whether summaries may be read from the counts kept by day: every view has been written by a revision that
   * keeps them (the rebuild mark says so). A table with no view at all is marked now, since none of its views can
   * be older; one with older views stays unmarked until `ledger rebuild-views` runs. Once ready, always ready:
   * the mark never moves back, so the answer is kept.
   */
  async countsReady(): Promise<boolean> {
    if (this.#countsReady) return true;
    const revision = await this.rebuiltRevision();
    if (revision === undefined && (await this.#holdsNoView())) {
      await this.markRebuilt(PROJECTION_REVISION, new Date());
      this.#countsReady = true;
    } else this.#countsReady = revision !== undefined && revision >= COUNTS_KEPT_FROM_REVISION;
    return this.#countsReady;
  }

  async #holdsNoView(): Promise<boolean> {
    const { byAll } = viewOrderIndexes;
    const found = await Promise.all(
      allShards().map(async (shard) => {
        const { Items } = await this.#documents.send(
          new QueryCommand({
            TableName: this.#tableName,
            IndexName: byAll.indexName,
            KeyConditionExpression: '#k = :k',
            ExpressionAttributeNames: { '#k': byAll.keyName },
            ExpressionAttributeValues: { ':k': byAll.partition(shard) },
            Limit: 1,
            ProjectionExpression: 'caseId',
          }),
        );
        return (Items ?? []).length;
      }),
    );
    return found.every((count) => count === 0);
  }

  /** The kept counts of every case or of a group as of `at` (epoch ms): no case is read. */
  keptCounters(scope: CountScope, at: number): Promise<Counters> {
    return countersAsOf(this.#documents, this.#tableName, scope, at);
  }

  /** Each day's kept changes of the counts, up to `to` (a day, inclusive). */
  keptDayCounters(scope: CountScope, to: string): Promise<DayCounters[]> {
    return dayCountersUpTo(this.#documents, this.#tableName, scope, to);
  }

  /** Reaches the table with one cheap read; throws when it cannot. */
  async ping(): Promise<void> {
    await this.get('#health');
  }

  /**
   * A case's stored view. `{ timeline: false }` leaves the timeline unread, for readers that show only the view:
   * a long case's timeline is most of its item, and reading and checking it would be most of their cost.
   */
  async get(caseId: string, options: { timeline?: boolean } = {}): Promise<StoredView | undefined> {
    const { Item } = await this.#documents.send(
      new GetCommand({
        TableName: this.#tableName,
        Key: viewKeys.view(caseId),
        ...(options.timeline === false && VIEW_ONLY),
      }),
    );
    // An item without a view is a write staged on a case not yet shown (`counted-view-write.ts`).
    return Item?.view !== undefined ? toStored(Item) : undefined;
  }

  /**
   * A page of views in the requested order. Each shard is queried for up to `limit + 1` matches after the
   * cursor, in parallel, and the results merged; the page is the first `limit` of the merge.
   */
  async list(request: ListRequest): Promise<ListPage> {
    const listed = await this.#listMerged(request);
    const page = listed.slice(0, request.limit);
    const last = page.at(-1);
    return {
      views: page.map((item) => item.view),
      // Each shard gave up to limit + 1 matches or all it had, so a longer merge means another page exists.
      ...(listed.length > request.limit && last && { continueAfter: last.sortKey }),
    };
  }

  /**
   * Every view a filter matches, a page at a time, for exports; still no `Scan`. From the index alone, which
   * copies the view and nothing else.
   */
  async *pages(filter: ListFilter & { order?: ListOrder }, pageSize = 100): AsyncGenerator<CaseView[]> {
    for await (const page of this.#indexPages(filter, pageSize)) yield page.map((item) => item.view);
  }

  /**
   * Every stored view a filter matches, with its timeline, moment and revision, a page at a time, for the
   * callers that fold (summaries, alerts at a past moment). The index finds the cases; their base items, read
   * 100 to a `BatchGetItem`, give the rest, since the indexes do not copy it: one more read per page, paid only
   * here, so that no view write pays for the timeline in six indexes. What is yielded is the base item's, view
   * included, so a view and its timeline are always of the same fold.
   */
  async *storedPages(
    filter: ListFilter & { order?: ListOrder },
    pageSize = 100,
  ): AsyncGenerator<StoredView[]> {
    for await (const page of this.#indexPages(filter, pageSize)) {
      const stored = await storedViewsOf(
        this.#documents,
        this.#tableName,
        page.map((item) => item.view.caseId),
      );
      if (stored.length > 0) yield stored;
    }
  }

  async *#indexPages(filter: ListFilter & { order?: ListOrder }, pageSize: number): AsyncGenerator<Listed[]> {
    let after: string | undefined;
    do {
      const listed = await this.#listMerged({
        ...filter,
        limit: pageSize,
        ...(after !== undefined && { after }),
      });
      const page = listed.slice(0, pageSize);
      if (page.length > 0) yield page;
      after = listed.length > pageSize ? page.at(-1)?.sortKey : undefined;
    } while (after !== undefined);
  }

  async #listMerged(request: ListRequest): Promise<Listed[]> {
    const query = plan(request);
    const perShard = await Promise.all(
      allShards().map((shard) => this.#queryShard(query, shard, request.limit, request.after)),
    );
    return perShard.flat().sort(bySortKey);
  }

  async #queryShard(
    query: QueryPlan,
    shard: number,
    limit: number,
    after: string | undefined,
  ): Promise<Listed[]> {
    const names: Record<string, string> = { '#k': query.keyName };
    const values: Record<string, unknown> = { ':k': query.keyOf(shard) };
    let condition = '#k = :k';
    if (after !== undefined) {
      condition += ' AND #sk > :after';
      names['#sk'] = query.sortKeyName;
      values[':after'] = after;
    }
    const filters = query.residual.map(({ field, value }, i) => {
      names['#view'] = 'view';
      names[`#f${i}`] = field;
      values[`:f${i}`] = value;
      return `#view.#f${i} = :f${i}`;
    });
    const wanted = limit + 1;
    const found: Listed[] = [];
    let exclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const input: QueryCommandInput = {
        TableName: this.#tableName,
        IndexName: query.indexName,
        KeyConditionExpression: condition,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ...(filters.length > 0 && { FilterExpression: filters.join(' AND ') }),
        Limit: wanted - found.length,
        ExclusiveStartKey: exclusiveStartKey,
      };
      const result = await this.#documents.send(new QueryCommand(input));
      for (const item of result.Items ?? []) {
        found.push({ view: viewOfItem(item), sortKey: String(item[query.sortKeyName]) });
      }
      exclusiveStartKey = result.LastEvaluatedKey;
    } while (exclusiveStartKey && found.length < wanted);
    return found;
  }
}

function bySortKey(a: { sortKey: string }, b: { sortKey: string }): number {
  return a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0;
}
