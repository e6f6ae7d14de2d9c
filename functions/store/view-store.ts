import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { CaseStatus } from '../../domain/case-status.ts';
import { type CaseView, caseViewSchema } from '../../domain/case-view.ts';
import { allShards, shardOf } from '../tables/shards.ts';
import type { viewsTable } from '../tables/table-definitions.ts';

export interface ViewStoreOptions {
  readonly documents: DynamoDBDocumentClient;
  readonly tableName: string;
}

/** A view as stored: the view and the projection revision that wrote it. */
export interface StoredView {
  readonly view: CaseView;
  readonly projectionRevision: number;
}

export interface ListFilter {
  readonly status?: CaseStatus;
  readonly groupId?: string;
}

export interface ListRequest extends ListFilter {
  readonly limit: number;
  /** Continue after this case id (the last of the previous page). */
  readonly afterCaseId?: string;
}

export interface ListPage {
  readonly views: CaseView[];
  /** The case id to continue after; absent on the last page. */
  readonly continueAfter?: string;
}

/**
 * A stored view, read back through its schema: DynamoDB maps keep no key order, and a view written by an
 * older projection revision must not leak fields the contract no longer has.
 */
function fromItem(item: Record<string, unknown>): CaseView {
  return caseViewSchema.parse(item.view);
}

type IndexName = (typeof viewsTable.globalSecondaryIndexes)[number]['indexName'];

/** The sharded index keys a view is listed under. */
function indexKeys(view: CaseView) {
  const shard = shardOf(view.caseId);
  return {
    allShard: `all#${shard}`,
    statusShard: `status#${view.status}#${shard}`,
    ...(view.groupId !== null && { groupShard: `group#${view.groupId}#${shard}` }),
  };
}

/**
 * Picks the index that narrows a list most — group before status before all — and the filter for the rest.
 */
function plan(filter: ListFilter): {
  indexName: IndexName;
  keyName: string;
  keyOf: (shard: number) => string;
} {
  if (filter.groupId !== undefined) {
    const groupId = filter.groupId;
    return { indexName: 'byGroup', keyName: 'groupShard', keyOf: (shard) => `group#${groupId}#${shard}` };
  }
  if (filter.status !== undefined) {
    const status = filter.status;
    return { indexName: 'byStatus', keyName: 'statusShard', keyOf: (shard) => `status#${status}#${shard}` };
  }
  return { indexName: 'byAll', keyName: 'allShard', keyOf: (shard) => `all#${shard}` };
}

/**
 * The views table (DESIGN §2): one item per case, written only forward. Lists are `Query`s over the shards of
 * an index, merged by case id, so no list ever scans the table.
 */
export class ViewStore {
  readonly #documents: DynamoDBDocumentClient;
  readonly #tableName: string;

  constructor(options: ViewStoreOptions) {
    this.#documents = options.documents;
    this.#tableName = options.tableName;
  }

  /**
   * Writes a view if it is newer than the stored one: a higher version, or the same version from a newer
   * projection revision. Returns `false` when the stored view is as new or newer (nothing written), so
   * duplicated, late and replayed stream records can never move a view backwards.
   */
  async put(view: CaseView, projectionRevision: number): Promise<boolean> {
    try {
      await this.#documents.send(
        new PutCommand({
          TableName: this.#tableName,
          Item: { caseId: view.caseId, version: view.version, projectionRevision, view, ...indexKeys(view) },
          ConditionExpression:
            'attribute_not_exists(caseId) OR version < :v OR (version = :v AND projectionRevision < :r)',
          ExpressionAttributeValues: { ':v': view.version, ':r': projectionRevision },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** Reaches the table with one cheap read; throws when it cannot. */
  async ping(): Promise<void> {
    await this.get('#health');
  }

  async get(caseId: string): Promise<StoredView | undefined> {
    const { Item } = await this.#documents.send(
      new GetCommand({ TableName: this.#tableName, Key: { caseId } }),
    );
    return Item ? { view: fromItem(Item), projectionRevision: Number(Item.projectionRevision) } : undefined;
  }

  /**
   * A page of views in case-id order. Each shard is queried for up to `limit` matches after the cursor, in
   * parallel, and the results merged; the page is the first `limit` of the merge.
   */
  async list(request: ListRequest): Promise<ListPage> {
    const { indexName, keyName, keyOf } = plan(request);
    const perShard = await Promise.all(
      allShards().map((shard) => this.#queryShard(indexName, keyName, keyOf(shard), request)),
    );
    const merged = perShard.flat().sort((a, b) => (a.caseId < b.caseId ? -1 : a.caseId > b.caseId ? 1 : 0));
    // Each shard gave up to limit + 1 matches or all it had, so a longer merge means another page exists.
    const views = merged.slice(0, request.limit);
    const last = views.at(-1);
    return { views, ...(merged.length > request.limit && last && { continueAfter: last.caseId }) };
  }

  async #queryShard(
    indexName: IndexName,
    keyName: string,
    key: string,
    request: ListRequest,
  ): Promise<CaseView[]> {
    const values: Record<string, unknown> = { ':k': key };
    let condition = '#k = :k';
    if (request.afterCaseId !== undefined) {
      condition += ' AND caseId > :after';
      values[':after'] = request.afterCaseId;
    }
    const filters: string[] = [];
    if (request.status !== undefined && indexName !== 'byStatus') {
      filters.push('#view.#status = :status');
      values[':status'] = request.status;
    }
    const wanted = request.limit + 1;
    const found: CaseView[] = [];
    let exclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const input: QueryCommandInput = {
        TableName: this.#tableName,
        IndexName: indexName,
        KeyConditionExpression: condition,
        ExpressionAttributeNames: {
          '#k': keyName,
          ...(filters.length > 0 && { '#view': 'view', '#status': 'status' }),
        },
        ExpressionAttributeValues: values,
        ...(filters.length > 0 && { FilterExpression: filters.join(' AND ') }),
        Limit: wanted - found.length,
        ExclusiveStartKey: exclusiveStartKey,
      };
      const result = await this.#documents.send(new QueryCommand(input));
      found.push(...(result.Items ?? []).map(fromItem));
      exclusiveStartKey = result.LastEvaluatedKey;
    } while (exclusiveStartKey && found.length < wanted);
    return found;
  }
}
