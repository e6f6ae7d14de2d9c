import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { StoredEvent } from '../../domain/stored-event.ts';
import { ledgerIndexes, ledgerKeys } from '../tables/ledger-keys.ts';
import { allShards } from '../tables/shards.ts';
import { fromEventItem } from './ledger-items.ts';
import { queryItems } from './query-items.ts';

export interface StreamHead {
  readonly version: number;
  readonly hash: string;
}

export interface EventPage {
  readonly events: StoredEvent[];
  /** The version to continue after; absent on the last page. */
  readonly continueAfter?: number;
}

/** What a head read projects: the version (the sort key) and the hash, a reserved word. */
const HEAD_PROJECTION = { ProjectionExpression: 'version, #h', ExpressionAttributeNames: { '#h': 'hash' } };

/** Reads of the ledger's streams and its case index; strongly consistent wherever a table read can be. */
export class LedgerReads {
  readonly #documents: DynamoDBDocumentClient;
  readonly #tableName: string;

  constructor(options: { readonly documents: DynamoDBDocumentClient; readonly tableName: string }) {
    this.#documents = options.documents;
    this.#tableName = options.tableName;
  }

  /** The last event's version and hash: one strongly consistent read, however long the stream. */
  async head(caseId: string): Promise<StreamHead | undefined> {
    const { Items } = await this.#documents.send(
      new QueryCommand({
        TableName: this.#tableName,
        KeyConditionExpression: 'streamId = :s',
        ExpressionAttributeValues: { ':s': ledgerKeys.stream(caseId) },
        ...HEAD_PROJECTION,
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    const item = Items?.[0];
    return item ? { version: Number(item.version), hash: String(item.hash) } : undefined;
  }

  /** The head as the ledger stood at `at`: the last event recorded by then; usually the first item read. */
  async headAt(caseId: string, at: Date): Promise<StreamHead | undefined> {
    for await (const item of queryItems(this.#documents, {
      TableName: this.#tableName,
      KeyConditionExpression: 'streamId = :s',
      FilterExpression: 'recordedAt <= :at',
      ExpressionAttributeValues: { ':s': ledgerKeys.stream(caseId), ':at': at.toISOString() },
      ...HEAD_PROJECTION,
      ScanIndexForward: false,
      ConsistentRead: true,
      Limit: 10,
    })) {
      return { version: Number(item.version), hash: String(item.hash) };
    }
    return undefined;
  }

  /**
   * One page of a case's events in version order, after `afterVersion`. With `knownAt`, only events recorded
   * by then; the page is filled up to `limit` across DynamoDB pages.
   */
  async readPage(
    caseId: string,
    options: { afterVersion?: number; limit?: number; knownAt?: Date } = {},
  ): Promise<EventPage> {
    const limit = options.limit ?? 100;
    const events: StoredEvent[] = [];
    let after = options.afterVersion ?? 0;
    for (;;) {
      const input: QueryCommandInput = {
        TableName: this.#tableName,
        KeyConditionExpression: 'streamId = :s AND version > :v',
        ExpressionAttributeValues: { ':s': ledgerKeys.stream(caseId), ':v': after },
        Limit: limit - events.length,
        ConsistentRead: true,
      };
      if (options.knownAt) {
        input.FilterExpression = 'recordedAt <= :k';
        input.ExpressionAttributeValues = {
          ...input.ExpressionAttributeValues,
          ':k': options.knownAt.toISOString(),
        };
      }
      const { Items = [], LastEvaluatedKey } = await this.#documents.send(new QueryCommand(input));
      events.push(...Items.map(fromEventItem));
      if (!LastEvaluatedKey) return { events };
      after = Number(LastEvaluatedKey.version);
      if (events.length >= limit) return { events, continueAfter: after };
    }
  }

  /** Every event of a case, in version order. */
  async readStream(caseId: string, options: { knownAt?: Date } = {}): Promise<StoredEvent[]> {
    const events: StoredEvent[] = [];
    for await (const page of this.pages(caseId, options)) events.push(...page);
    return events;
  }

  /** A case's events in version order, a page at a time, for exports that must not hold a whole stream. */
  async *pages(
    caseId: string,
    options: { knownAt?: Date; pageSize?: number } = {},
  ): AsyncGenerator<StoredEvent[]> {
    let afterVersion: number | undefined = 0;
    while (afterVersion !== undefined) {
      const page: EventPage = await this.readPage(caseId, {
        afterVersion,
        limit: options.pageSize ?? 1000,
        ...(options.knownAt && { knownAt: options.knownAt }),
      });
      if (page.events.length > 0) yield page.events;
      afterVersion = page.continueAfter;
    }
  }

  /** The event at one version (the opening is version 1): one strongly consistent GetItem. */
  async eventAt(caseId: string, version: number): Promise<StoredEvent | undefined> {
    const { Item } = await this.#documents.send(
      new GetCommand({
        TableName: this.#tableName,
        Key: { streamId: ledgerKeys.stream(caseId), version },
        ConsistentRead: true,
      }),
    );
    return Item ? fromEventItem(Item) : undefined;
  }

  /** The events with versions from `first` to `last`, inclusive. */
  async readRange(caseId: string, first: number, last: number): Promise<StoredEvent[]> {
    const events: StoredEvent[] = [];
    for await (const item of queryItems(this.#documents, {
      TableName: this.#tableName,
      KeyConditionExpression: 'streamId = :s AND version BETWEEN :a AND :b',
      ExpressionAttributeValues: { ':s': ledgerKeys.stream(caseId), ':a': first, ':b': last },
      ConsistentRead: true,
    })) {
      events.push(fromEventItem(item));
    }
    return events;
  }

  /**
   * The case's `Erased` event, if its stream (up to version `upTo`, all of it by default) holds one. What the
   * ledger records is the authority on erasure: a key that reappears — a restored table, an interrupted
   * request — is destroyed again because of it. Only the match comes back over the wire.
   */
  async erasureOf(caseId: string, upTo?: number): Promise<StoredEvent | undefined> {
    for await (const item of queryItems(this.#documents, {
      TableName: this.#tableName,
      KeyConditionExpression: upTo === undefined ? 'streamId = :s' : 'streamId = :s AND version <= :u',
      FilterExpression: '#t = :erased',
      ExpressionAttributeNames: { '#t': 'type' },
      ExpressionAttributeValues: {
        ':s': ledgerKeys.stream(caseId),
        ':erased': 'Erased',
        ...(upTo !== undefined && { ':u': upTo }),
      },
      ConsistentRead: true,
    })) {
      return fromEventItem(item);
    }
    return undefined;
  }

  /**
   * Every case id, a shard at a time, from the sparse case index (eventually consistent: a case opened in the
   * last moment may be missing). Never a `Scan`.
   */
  async *caseIds(): AsyncGenerator<string> {
    for (const shard of allShards()) {
      for await (const item of queryItems(this.#documents, {
        TableName: this.#tableName,
        IndexName: ledgerIndexes.byCase.indexName,
        KeyConditionExpression: 'caseShard = :k',
        ExpressionAttributeValues: { ':k': ledgerIndexes.byCase.partition(shard) },
      })) {
        yield String(item.streamId);
      }
    }
  }
}
