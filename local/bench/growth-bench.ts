import { randomBytes } from 'node:crypto';
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { foldCaseWithTimeline } from '../../domain/fold-case.ts';
import { LocalKeyWrapper } from '../../functions/personal-data/local-key-wrapper.ts';
import { createProjector, type ProjectionOutcome } from '../../functions/projector/create-projector.ts';
import { createServices } from '../../functions/services.ts';
import { TamperLog } from '../../functions/store/tamper-log.ts';
import { ensureTables, type TableNames } from '../../functions/tables/ensure-tables.ts';
import { visitsNow, withIds } from './bench-events.ts';
import type { BenchSizes } from './bench-sizes.ts';
import type { BenchTarget } from './bench-target.ts';
import type { Comparison } from './comparison.ts';
import { buildCase, insertRecord } from './growth-case.ts';
import { type GrowthCase, type GrowthSamples, growthComparisons } from './growth-report.ts';
import { timed } from './measure.ts';
import { buildRawPartition, readPartition } from './raw-partition.ts';
import { deleteTables, eventItemTemplate } from './raw-tables.ts';

/** Counts how each case was projected: `continued`, `unchanged`, or `refolded: <reason>`. */
function outcomeCounter() {
  const counts = new Map<string, Map<string, number>>();
  return {
    count(outcome: ProjectionOutcome) {
      const kinds = counts.get(outcome.caseId) ?? new Map<string, number>();
      const kind = outcome.kind === 'refolded' ? `refolded: ${outcome.reason}` : outcome.kind;
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
      counts.set(outcome.caseId, kinds);
    },
    of(caseId: string): Record<string, number> {
      return Object.fromEntries(counts.get(caseId) ?? []);
    },
  };
}

/**
 * Family 4: growth. Cases of each length on tables of their own, with no stream reader: the benchmark calls the
 * projector itself, so it times exactly one projection of exactly one new event. At each length it times an
 * append of one event and the projection of it, beside a raw `PutItem` into a partition of as many items and
 * the least any projector must do (read the view, read the new item, write the view); and a whole-stream fold,
 * beside a raw read of the whole partition — what every projection cost before the projector folded only what
 * is new, and what it still costs when an event lands in the past (the projector's refold).
 */
export async function benchGrowth(target: BenchTarget, sizes: BenchSizes): Promise<Comparison[]> {
  const { documents } = target.clients;
  const tables: TableNames = {
    ledger: `${target.prefix}-growth-ledger`,
    views: `${target.prefix}-growth-views`,
    keys: `${target.prefix}-growth-keys`,
    notifications: `${target.prefix}-growth-notifications`,
    log: `${target.prefix}-growth-log`,
  };
  await ensureTables(target.clients.client, tables);
  const clock = () => new Date();
  const keyWrapper = new LocalKeyWrapper(randomBytes(32));
  const { ledger, views } = createServices({ clients: target.clients, tables, clock, keyWrapper });
  const outcomes = outcomeCounter();
  const projector = createProjector({
    ledger,
    views,
    tamperLog: new TamperLog({ documents, tableName: tables.ledger }),
    clock,
    onProjected: (outcome) => outcomes.count(outcome),
  });
  try {
    const cases: GrowthCase[] = [];
    for (const events of sizes.growthEvents) {
      if (target.signal?.aborted) return [];
      target.log(`growth: a case of ${events} events, and a raw partition of as many items`);
      const caseId = `bench-growth-${events}-${Date.now()}`;
      await buildCase(ledger, caseId, events);
      const template = await eventItemTemplate(documents, tables.ledger, caseId, events);
      const rawStreamId = `raw-growth-${events}-${Date.now()}`;
      await buildRawPartition(documents, target.raw.items, rawStreamId, template, events);
      await projector({ Records: [insertRecord(caseId, events)] });
      cases.push({ events, caseId, rawStreamId, template });
    }
    const samples = new Map<number, GrowthSamples>(
      cases.map((c) => [
        c.events,
        { append: [], project: [], rawPut: [], rawProject: [], refold: [], rawReadAll: [] },
      ]),
    );
    target.log(`growth: ${sizes.growthSamples} appends and projections at each length`);
    for (let sample = 0; sample < sizes.growthSamples && !target.signal?.aborted; sample++) {
      for (const c of cases) {
        const s = samples.get(c.events)!;
        let version = 0;
        s.append.push(
          await timed(async () => {
            const events = withIds(visitsNow(1));
            ({ version } = await ledger.append({
              caseId: c.caseId,
              events,
              expected: 'stream_exists',
              recordedBy: 'bench',
            }));
          }),
        );
        s.project.push(await timed(() => projector({ Records: [insertRecord(c.caseId, version)] })));
        const rawVersion = c.events + sample + 1;
        s.rawPut.push(
          await timed(() =>
            documents.send(
              new PutCommand({
                TableName: target.raw.items,
                Item: { ...c.template, streamId: c.rawStreamId, version: rawVersion },
                ConditionExpression: 'attribute_not_exists(streamId)',
              }),
            ),
          ),
        );
        s.rawProject.push(
          await timed(async () => {
            const { Item } = await documents.send(
              new GetCommand({ TableName: tables.views, Key: { caseId: c.caseId } }),
            );
            await documents.send(
              new QueryCommand({
                TableName: target.raw.items,
                KeyConditionExpression: 'streamId = :s AND version > :v',
                ExpressionAttributeValues: { ':s': c.rawStreamId, ':v': rawVersion - 1 },
                ConsistentRead: true,
              }),
            );
            await documents.send(
              new PutCommand({
                TableName: target.raw.marks,
                Item: { ...Item, caseId: `raw-growth-${c.events}` },
              }),
            );
          }),
        );
      }
    }
    target.log(`growth: ${sizes.refoldSamples} whole-stream folds at each length`);
    for (let sample = 0; sample < sizes.refoldSamples && !target.signal?.aborted; sample++) {
      for (const c of cases) {
        const s = samples.get(c.events)!;
        s.refold.push(
          await timed(async () => {
            const events = await ledger.readStream(c.caseId);
            foldCaseWithTimeline(c.caseId, events, { asOf: clock() });
          }),
        );
        s.rawReadAll.push(await timed(() => readPartition(documents, target.raw.items, c.rawStreamId)));
      }
    }
    return growthComparisons(cases, samples, (caseId) => outcomes.of(caseId));
  } finally {
    await deleteTables(target.clients.client, [
      tables.ledger,
      tables.views,
      tables.keys,
      tables.notifications,
      tables.log,
    ]);
  }
}
