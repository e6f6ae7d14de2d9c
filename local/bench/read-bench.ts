import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { MAX_EVENTS_PER_APPEND } from '../../domain/append-rules.ts';
import { VIEW_ONLY } from '../../functions/store/stored-view.ts';
import type { BenchSizes } from './bench-sizes.ts';
import { alternateOptions, type BenchTarget } from './bench-target.ts';
import { type Comparison, compare } from './comparison.ts';
import { alternate, type Contender, type LoadResult } from './measure.ts';

/** A projected case of the opening, the detention and consular visits: `events` events in all. */
async function caseWithEvents(target: BenchTarget, events: number): Promise<string> {
  const [caseId] = await target.openCases('read', 1);
  for (let remaining = events - 2; remaining > 0; remaining -= MAX_EVENTS_PER_APPEND) {
    await target.appendVisits(caseId!, Math.min(MAX_EVENTS_PER_APPEND, remaining));
  }
  await target.projected();
  return caseId!;
}

interface ReadPair {
  readonly id: string;
  readonly name: string;
  readonly rawOf: string;
  readonly raw: Contender;
  readonly api: { readonly of: string; readonly contender: Contender };
  readonly store: { readonly of: string; readonly contender: Contender };
}

async function measurePair(target: BenchTarget, sizes: BenchSizes, pair: ReadPair): Promise<Comparison[]> {
  const comparisons: Comparison[] = [];
  for (const concurrency of sizes.readConcurrency) {
    if (target.signal?.aborted) break;
    target.log(`read: ${pair.name}, concurrency ${concurrency}`);
    const results = await alternate(
      { raw: pair.raw, api: pair.api.contender, store: pair.store.contender },
      alternateOptions(target, sizes, concurrency),
    );
    const row = (path: 'api' | 'store', ledger: LoadResult, of: string) =>
      compare({
        family: 'read',
        id: `read.${pair.id}.${path}.c${concurrency}`,
        name: `${pair.name}, ${path === 'api' ? 'HTTP API' : 'store'}, c=${concurrency}`,
        unit: 'req/s',
        better: 'higher',
        ledger: ledger.perSecond,
        ledgerOf: of,
        raw: results.raw.perSecond,
        rawOf: pair.rawOf,
        detail: { concurrency, ledger, raw: results.raw },
      });
    comparisons.push(row('api', results.api, pair.api.of), row('store', results.store, pair.store.of));
  }
  return comparisons;
}

/**
 * Family 2: reading a case view, against a raw `GetItem` of the very item that holds it; and reading a page of
 * a case's history, against a raw `Query` of the very items on that page. Through the HTTP API and the store.
 */
export async function benchRead(target: BenchTarget, sizes: BenchSizes): Promise<Comparison[]> {
  const page = sizes.historyPage;
  const caseId = await caseWithEvents(target, page);
  const { documents } = target.clients;
  const rawQuery = () =>
    documents.send(
      new QueryCommand({
        TableName: target.tables.ledger,
        KeyConditionExpression: 'streamId = :s AND version > :v',
        ExpressionAttributeValues: { ':s': caseId, ':v': 0 },
        Limit: page,
        ConsistentRead: true,
      }),
    );
  // Apples to apples: the raw query and the API's page hold the same events.
  const [rawPage, apiPage] = await Promise.all([rawQuery(), target.api.history(caseId, page)]);
  if (rawPage.Items?.length !== page || apiPage.events.length !== page) {
    throw new Error(
      `history page of ${page}: raw Query gave ${rawPage.Items?.length}, the API ${apiPage.events.length}`,
    );
  }
  const view = await measurePair(target, sizes, {
    id: 'view',
    name: 'case view',
    // The API reads the view's attributes of the item, not the case's timeline beside them: so does the raw read.
    rawOf: 'GetItem of the view item (the attributes the API reads)',
    raw: {
      operation: () =>
        documents.send(new GetCommand({ TableName: target.tables.views, Key: { caseId }, ...VIEW_ONLY })),
    },
    api: { of: 'GET /cases/{id}', contender: { operation: () => target.api.caseView(caseId) } },
    store: {
      of: 'ViewStore.get',
      contender: { operation: () => target.views.get(caseId, { timeline: false }) },
    },
  });
  const history = await measurePair(target, sizes, {
    id: 'history',
    name: `history page of ${page} events`,
    rawOf: `Query, ${page} items`,
    raw: { operation: rawQuery },
    api: { of: 'GET /cases/{id}/events', contender: { operation: () => target.api.history(caseId, page) } },
    store: {
      of: 'LedgerStore.readPage',
      contender: { operation: () => target.ledger.readPage(caseId, { limit: page }) },
    },
  });
  return [...view, ...history];
}
