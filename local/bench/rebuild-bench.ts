import { Writable } from 'node:stream';
import { ScanCommand, type ScanCommandOutput } from '@aws-sdk/lib-dynamodb';
import { createServices } from '../../functions/services.ts';
import { ensureTables } from '../../functions/tables/ensure-tables.ts';
import { LEDGER_ITEM_KIND } from '../../functions/tables/table-definitions.ts';
import { runRebuildViews } from '../cli/commands/rebuild-views.ts';
import { silentProgress } from '../cli/progress.ts';
import type { BenchSizes } from './bench-sizes.ts';
import type { BenchTarget } from './bench-target.ts';
import { type Comparison, compare } from './comparison.ts';
import { timed } from './measure.ts';
import { deleteTables } from './raw-tables.ts';

/** What a parallel `Scan` of the whole ledger table found. */
interface ScanCount {
  readonly items: number;
  readonly events: number;
}

/** Reads every item of a table with a parallel `Scan` of `segments` segments, counting the ledger's events. */
async function parallelScan(target: BenchTarget, tableName: string, segments: number): Promise<ScanCount> {
  const counts = await Promise.all(
    Array.from({ length: segments }, async (_, segment) => {
      let items = 0;
      let events = 0;
      let start: Record<string, unknown> | undefined;
      do {
        const page: ScanCommandOutput = await target.clients.documents.send(
          new ScanCommand({
            TableName: tableName,
            Segment: segment,
            TotalSegments: segments,
            ExclusiveStartKey: start,
          }),
        );
        for (const item of page.Items ?? []) {
          items += 1;
          if (item.itemKind === LEDGER_ITEM_KIND.event) events += 1;
        }
        start = page.LastEvaluatedKey;
      } while (start);
      return { items, events };
    }),
  );
  return counts.reduce(
    (sum, count) => ({ items: sum.items + count.items, events: sum.events + count.events }),
    {
      items: 0,
      events: 0,
    },
  );
}

/**
 * Adds cases of 100 events until the ledger holds at least `minimum` events, so that a rebuild has enough to
 * time even when the families that fill the ledger did not run.
 */
async function seed(target: BenchTarget, present: number, minimum: number): Promise<void> {
  const missing = minimum - present;
  if (missing <= 0) return;
  const cases = Math.ceil(missing / 100);
  target.log(`rebuild: adding ${cases} cases of 100 events, so the ledger holds at least ${minimum} events`);
  const caseIds = await target.openCases('rebuild', cases);
  let next = 0;
  const worker = async () => {
    while (next < caseIds.length) {
      const caseId = caseIds[next++]!;
      for (let appended = 2; appended < 100; appended += 49) await target.appendVisits(caseId, 49);
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
}

const discard = () => new Writable({ write: (_chunk, _encoding, done) => done() });

/**
 * Family 5: rebuild. `ledger rebuild-views` re-projects every case of the whole ledger this run has written,
 * into an empty views table (so every view is folded and written, as after a change of the fold), beside a raw
 * parallel `Scan` that reads every item of the ledger table once. Both as events per second.
 */
export async function benchRebuild(target: BenchTarget, sizes: BenchSizes): Promise<Comparison[]> {
  const segments = sizes.rebuildConcurrency;
  await seed(
    target,
    (await parallelScan(target, target.tables.ledger, segments)).events,
    sizes.rebuildMinEvents,
  );
  await target.projected();
  target.log(`rebuild: raw parallel Scan of the ledger (${segments} segments)`);
  let scanned: ScanCount = { items: 0, events: 0 };
  const scanMs = await timed(async () => {
    scanned = await parallelScan(target, target.tables.ledger, segments);
  });
  const tables = { ...target.tables, views: `${target.prefix}-rebuild-views` };
  await ensureTables(target.clients.client, tables);
  try {
    const { ledger, views, digests, caseKeys } = createServices({ clients: target.clients, tables });
    target.log(
      `rebuild: rebuild-views of ${scanned.events} events into an empty views table, concurrency ${segments}`,
    );
    let report: Awaited<ReturnType<typeof runRebuildViews>> | undefined;
    const rebuildMs = await timed(async () => {
      report = await runRebuildViews(
        {
          ledger,
          views,
          digests,
          caseKeys,
          stdout: discard(),
          stderr: discard(),
          progress: silentProgress,
          clock: () => new Date(),
          ...(target.signal && { signal: target.signal }),
        },
        { concurrency: segments, json: true },
      );
    });
    return [
      compare({
        family: 'rebuild',
        id: 'rebuild.events-per-second',
        name: `re-project ${scanned.events.toLocaleString('en-US')} events of ${report?.cases ?? 0} cases`,
        unit: 'events/s',
        better: 'higher',
        ledger: scanned.events / (rebuildMs / 1000),
        ledgerOf: `rebuild-views, concurrency ${segments}`,
        raw: scanned.events / (scanMs / 1000),
        rawOf: `parallel Scan, ${segments} segments`,
        detail: { events: scanned.events, itemsScanned: scanned.items, rebuildMs, scanMs, report },
      }),
    ];
  } finally {
    await deleteTables(target.clients.client, [tables.views]);
  }
}
