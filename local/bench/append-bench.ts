import { randomUUID } from 'node:crypto';
import { PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { toGuardItem } from '../../functions/store/ledger-items.ts';
import { visitsNow } from './bench-events.ts';
import type { BenchSizes } from './bench-sizes.ts';
import { alternateOptions, type BenchTarget } from './bench-target.ts';
import { type Comparison, compare } from './comparison.ts';
import { alternate, type LoadResult, type Operation } from './measure.ts';
import { eventItemTemplate } from './raw-tables.ts';

const APPEND_ONLY = 'attribute_not_exists(streamId)';

/**
 * Raw items shaped and sized like the ledger's event item, each worker in a partition of its own; partitions
 * of their own for each measurement, too, so that no conditional write meets an item of an earlier one.
 */
function rawItems(template: Record<string, unknown>, label: string) {
  const run = randomUUID().slice(0, 8);
  let version = 0;
  return (worker: number) => ({ ...template, streamId: `raw-${label}-${run}-${worker}`, version: ++version });
}

/**
 * Raw writes of `count` items like the ledger's, conditional like the ledger's: one `PutItem` for one event,
 * one `TransactWriteItems` for several — the raw figure an append is judged against.
 */
function rawWrites(target: BenchTarget, template: Record<string, unknown>, count: number): Operation {
  const item = rawItems(template, `append${count}`);
  const put = (worker: number) => ({
    Put: { TableName: target.raw.items, Item: item(worker), ConditionExpression: APPEND_ONLY },
  });
  if (count === 1) {
    return (worker) => target.clients.documents.send(new PutCommand(put(worker).Put));
  }
  return (worker) =>
    target.clients.documents.send(
      new TransactWriteCommand({ TransactItems: Array.from({ length: count }, () => put(worker)) }),
    );
}

/**
 * The one write an append makes, made raw: a `TransactWriteItems` of an event item and an id guard item per
 * event, each put conditional, on a table defined as the ledger's (indexes and stream included). An append
 * must be one transaction to record an event and claim its id atomically, so this is the floor of any append.
 */
function rawAppendTransaction(
  target: BenchTarget,
  template: Record<string, unknown>,
  count: number,
): Operation {
  const item = rawItems(template, `transaction${count}`);
  const table = target.raw.ledgerLike;
  const fingerprint = 'f'.repeat(64);
  return (worker) =>
    target.clients.documents.send(
      new TransactWriteCommand({
        TransactItems: Array.from({ length: count }, () => randomUUID()).flatMap((id) => [
          { Put: { TableName: table, Item: item(worker), ConditionExpression: APPEND_ONLY } },
          {
            Put: {
              TableName: table,
              Item: toGuardItem(
                {
                  eventId: id,
                  caseId: `raw-transaction-${worker}`,
                  eventVersion: 0,
                  type: 'ConsularVisit',
                  fingerprint,
                },
                new Date().toISOString(),
              ),
              ConditionExpression: APPEND_ONLY,
            },
          },
        ]),
      }),
    );
}

function warnOnErrors(target: BenchTarget, what: string, result: LoadResult): void {
  if (result.errors > 0) target.log(`  ${what}: ${result.errors} failed (first: ${result.firstError})`);
}

interface AppendRow {
  readonly id: string;
  readonly name: string;
  readonly ledgerOf: string;
  readonly ledger: LoadResult;
  readonly rawOf: string;
  readonly raw: LoadResult;
}

/**
 * Family 1: appends of one and of several events per request, at each concurrency, through the store and
 * through the HTTP API, each beside raw writes of as many items of the same size; and the append's own
 * transaction made raw, beside the same raw writes, for the floor an atomic append sits on. Every worker appends to a case of its own (as independent clients do); after each ledger round
 * the projector catches up, untimed, so no round pays for the one before.
 */
export async function benchAppend(target: BenchTarget, sizes: BenchSizes): Promise<Comparison[]> {
  const workers = Math.max(...sizes.appendConcurrency);
  const caseIds = await target.openCases('append', workers);
  const version = await target.appendVisits(caseIds[0]!, 1);
  const template = await eventItemTemplate(
    target.clients.documents,
    target.tables.ledger,
    caseIds[0]!,
    version,
  );
  const settle = () => target.projected();
  const comparisons: Comparison[] = [];
  for (const count of sizes.appendEvents) {
    const per = count === 1 ? '1 event' : `${count} events`;
    const rawOf = count === 1 ? 'PutItem' : `TransactWriteItems of ${count}`;
    for (const concurrency of sizes.appendConcurrency) {
      if (target.signal?.aborted) return comparisons;
      target.log(`append: ${per} per request, concurrency ${concurrency}`);
      const results = await alternate(
        {
          raw: { operation: rawWrites(target, template, count) },
          transaction: { operation: rawAppendTransaction(target, template, count) },
          store: { operation: (worker) => target.appendVisits(caseIds[worker]!, count), settle },
          api: {
            operation: (worker) => target.api.append(caseIds[worker]!, visitsNow(count)),
            settle,
          },
        },
        alternateOptions(target, sizes, concurrency),
      );
      for (const [name, result] of Object.entries(results)) warnOnErrors(target, name, result);
      const rows: AppendRow[] = [
        {
          id: `append.store.${count}.c${concurrency}`,
          name: `${per} per request, store, c=${concurrency}`,
          ledgerOf: 'LedgerStore.append',
          ledger: results.store,
          rawOf,
          raw: results.raw,
        },
        {
          id: `append.api.${count}.c${concurrency}`,
          name: `${per} per request, HTTP API, c=${concurrency}`,
          ledgerOf: 'POST /cases/{id}/events',
          ledger: results.api,
          rawOf,
          raw: results.raw,
        },
        {
          // Not the ledger's code at all: how far below the raw write the atomic write an append needs already is.
          id: `append.transaction.${count}.c${concurrency}`,
          name: `${per} per request, the append's transaction alone (raw), c=${concurrency}`,
          ledgerOf: `TransactWriteItems of ${2 * count} (events + id guards), on a table like the ledger's`,
          ledger: results.transaction,
          rawOf,
          raw: results.raw,
        },
      ];
      for (const row of rows) {
        comparisons.push(
          compare({
            family: 'append',
            id: row.id,
            name: row.name,
            unit: 'req/s',
            better: 'higher',
            ledger: row.ledger.perSecond,
            ledgerOf: row.ledgerOf,
            raw: row.raw.perSecond,
            rawOf: row.rawOf,
            detail: { eventsPerRequest: count, concurrency, ledger: row.ledger, raw: row.raw },
          }),
        );
      }
    }
  }
  return comparisons;
}
