import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dayOf } from '../../domain/calendar.ts';
import type { CaseTimeline } from '../../domain/case-timeline.ts';
import { countChangesOf } from '../../domain/count-changes.ts';
import { caseTimeline } from '../../domain/fold-case.ts';
import { summarize } from '../../domain/summary.ts';
import { defaultSeriesStart, summarySeries } from '../../domain/summary-series.ts';
import { createProjector } from '../../functions/projector/create-projector.ts';
import type { Services } from '../../functions/services.ts';
import { TamperLog } from '../../functions/store/tamper-log.ts';
import { ViewStore } from '../../functions/store/view-store.ts';
import { runRebuildViews } from '../../local/cli/commands/rebuild-views.ts';
import { harness } from '../cli/cli-harness.ts';
import { LAST_DAY_INDEX } from '../domain/event-arbitraries.ts';
import { jsonAt, typedClient } from '../support/api-client.ts';
import { projectCases } from '../support/project-cases.ts';
import {
  DAY_MS,
  FIRST_DAY,
  MINUTE_MS,
  planAppends,
  recordPlanned,
  storyArbitrary,
} from '../support/random-stories.ts';
import { servicesOn } from '../support/test-services.ts';
import { createTestTables, type TestTables } from '../support/test-tables.ts';

let db: TestTables;
let services: Services;
let client: Awaited<ReturnType<typeof typedClient>>;
/** A projector over a view store whose transactions take two count updates: most writes are staged. */
let stagedProjector: Services['projector'];
let now = new Date(FIRST_DAY);

beforeAll(async () => {
  db = await createTestTables('counts-prop');
  services = servicesOn(db, { clock: () => now });
  client = await typedClient(services.app);
  stagedProjector = createProjector({
    ledger: services.ledger,
    views: new ViewStore({
      documents: db.clients.documents,
      tableName: db.tables.views,
      maxCountUpdatesPerWrite: 2,
    }),
    tamperLog: new TamperLog({ documents: db.clients.documents, tableName: db.tables.ledger }),
    clock: () => now,
  });
});
afterAll(() => db.drop());

const runArbitrary = fc.record({
  stories: fc.array(storyArbitrary, { minLength: 1, maxLength: 4 }),
  /** Project through the staged writes, which move the counts over several transactions. */
  staged: fc.boolean(),
  /** Rebuild every view from the ledger afterwards, as `ledger rebuild-views` does beside the live projector. */
  rebuild: fc.boolean(),
  /** How long after the last append the board asks. */
  askAfterMs: fc.integer({ min: 0, max: 150 * DAY_MS }),
  /** Moments asked about, as days after the first generated day, and a time of day. */
  asked: fc.array(
    fc.tuple(fc.integer({ min: 0, max: LAST_DAY_INDEX + 200 }), fc.integer({ min: 0, max: DAY_MS - 1 })),
    {
      minLength: 1,
      maxLength: 3,
    },
  ),
});

/** Every case recorded in this file so far: the counts of every case are those of all runs. */
const everyCase = new Map<string, string>();
let runs = 0;
/**
 * The timelines of cases whose run is over, read from their ledgers once: no later run appends to them (each
 * run has case ids of its own), so reading them again at every run would only read the same events.
 */
const finished = new Map<string, CaseTimeline>();

async function timelinesOf(caseIds: Iterable<string>): Promise<CaseTimeline[]> {
  const timelines: CaseTimeline[] = [];
  for (const caseId of caseIds) {
    timelines.push(finished.get(caseId) ?? caseTimeline(await services.ledger.readStream(caseId)));
  }
  return timelines;
}

async function summaryAt(at: number, groupId?: string) {
  const query = { asOf: new Date(at).toISOString(), ...(groupId && { groupId }) };
  const { asOf: _asOf, ...counts } = await jsonAt(await client.summary.$get({ query }), 200);
  return counts;
}

describe('the counts kept by day', () => {
  it('equal the fold of every case on every day and at every moment asked, whatever the order of writes', async () => {
    await fc.assert(
      fc.asyncProperty(runArbitrary, async ({ stories, staged, rebuild, askAfterMs, asked }) => {
        runs += 1;
        const groups = [`g-counts-${runs}-a`, `g-counts-${runs}-b`] as const;
        const planned = planAppends(stories, `counts-${runs}`, groups);
        const projector = staged ? stagedProjector : services.projector;
        for (const append of planned) {
          everyCase.set(append.caseId, append.groupId);
          await recordPlanned(
            client,
            append,
            (at) => {
              now = new Date(at);
            },
            (caseId) => projectCases({ ledger: services.ledger, projector }, caseId),
          );
        }
        const last = Math.max(...planned.map((append) => append.recordedAt));
        if (rebuild) {
          now = new Date(last + MINUTE_MS);
          await runRebuildViews(harness(services, { clock: () => now }).context);
        }
        now = new Date(last + 2 * MINUTE_MS + askAfterMs);

        const all = await timelinesOf(everyCase.keys());
        const caseIds = [...everyCase.keys()];
        for (const [index, timeline] of all.entries()) finished.set(caseIds[index]!, timeline);
        const ofGroup = (groupId: string) => all.filter((timeline) => timeline.groupId === groupId);
        // Where a count one day or one moment off would show: the first changes of this run's cases.
        const edges = (await timelinesOf(new Set(planned.map((append) => append.caseId))))
          .flatMap(countChangesOf)
          .filter((change) => Number.isFinite(change.at) && change.at <= now.getTime())
          .slice(0, 4)
          .flatMap((change) => [change.at - 1, change.at]);
        const moments = [
          ...asked.map(([day, time]) => FIRST_DAY + day * DAY_MS + time),
          ...edges,
          now.getTime(),
        ].filter((at) => at <= now.getTime());
        for (const at of moments) {
          expect(await summaryAt(at), new Date(at).toISOString()).toEqual(summarize(all, at));
          for (const groupId of groups)
            expect(await summaryAt(at, groupId)).toEqual(summarize(ofGroup(groupId), at));
        }

        const to = dayOf(now.getTime());
        for (const groupId of groups) {
          const series = await jsonAt(await client.summary.series.$get({ query: { groupId, to } }), 200);
          const timelines = ofGroup(groupId);
          expect(series).toEqual(summarySeries(timelines, { from: defaultSeriesStart(timelines, to), to }));
        }
        const from = dayOf(now.getTime() - 90 * DAY_MS);
        expect(await jsonAt(await client.summary.series.$get({ query: { from, to } }), 200)).toEqual(
          summarySeries(all, { from, to }),
        );
      }),
      // Every run adds cases to the one table, and in the full suite, with every other file on the same DynamoDB
      // Local, a run has taken ten times what it takes alone: hence the long limit below.
      { numRuns: 25 },
    );
  }, 480_000);
});
