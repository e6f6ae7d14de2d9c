import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IdentifiedEvent } from '../../domain/append-rules.ts';
import { caseTimeline, foldCase } from '../../domain/fold-case.ts';
import { PROJECTION_REVISION } from '../../domain/projection-revision.ts';
import type { Services } from '../../functions/services.ts';
import { SHARD_COUNT } from '../../functions/tables/shards.ts';
import { viewKeys } from '../../functions/tables/view-keys.ts';
import { runRebuildViews } from '../../local/cli/commands/rebuild-views.ts';
import { harness } from '../cli/cli-harness.ts';
import { jsonAt, typedClient } from '../support/api-client.ts';
import { putViewAsRevision3 } from '../support/older-view.ts';
import { countRequests } from '../support/request-counter.ts';
import { consularVisit, detained, opening, record, released, withId } from '../support/sample-events.ts';
import { servicesOn } from '../support/test-services.ts';
import { createTestTables, type TestTables } from '../support/test-tables.ts';

const GROUP = 'g-summary-cost';
const NOW = new Date('2025-12-20T12:00:00Z');

let db: TestTables;
let services: Services;
let client: Awaited<ReturnType<typeof typedClient>>;

beforeAll(async () => {
  db = await createTestTables('summary-cost');
  services = servicesOn(db, { clock: () => NOW });
  client = await typedClient(services.app);
});
afterAll(() => db.drop());

function projectionOf(caseId: string, groupId: string, events: IdentifiedEvent[]) {
  const stored = record([opening({ occurredAt: '2025-06-01T09:00:00Z', groupId }), ...events], {
    streamId: caseId,
  });
  const projectedAt = new Date('2025-12-19T12:00:00Z');
  return {
    view: foldCase(caseId, stored, { asOf: projectedAt }),
    timeline: caseTimeline(stored),
    projectedAt,
  };
}

/** Cases whose story ended long ago (held and released in summer, or held and visited): none changes now. */
async function addSettledCases(from: number, to: number): Promise<void> {
  for (let index = from; index < to; index += 1) {
    const events =
      index % 2 === 0
        ? [detained('2025-06-30'), released('2025-07-15')]
        : [detained('2025-07-01'), consularVisit('2025-07-18')];
    const projection = projectionOf(`settled-${index}`, index % 3 === 0 ? GROUP : 'g-other', events);
    expect(await services.views.put(projection, PROJECTION_REVISION)).toBe(true);
  }
}

/** What one call sends to DynamoDB, by command, and what it answers. */
async function callCost<T>(call: () => Promise<T>) {
  const counter = countRequests(db.clients.client);
  const answer = await call();
  return { requests: counter.snapshot(), answer };
}

/** The board's counting questions: today's summary, a group's on a summer day, and the held-per-day series. */
async function boardCost() {
  return {
    summary: await callCost(async () => jsonAt(await client.summary.$get({ query: {} }), 200)),
    groupSummary: await callCost(async () =>
      jsonAt(await client.summary.$get({ query: { groupId: GROUP, asOf: '2025-07-10' } }), 200),
    ),
    series: await callCost(async () =>
      jsonAt(await client.summary.series.$get({ query: { from: '2025-06-01' } }), 200),
    ),
  };
}

describe('what GET /summary and GET /summary/series cost', () => {
  it('send the same DynamoDB requests with 10 and with 300 cases on the same days', async () => {
    await addSettledCases(0, 10);
    await boardCost(); // the first call of the process reads whether counts are kept once; later calls do not
    const few = await boardCost();
    await addSettledCases(10, 300);
    const many = await boardCost();

    expect(many.summary.answer.total).toBe(300);
    expect(few.summary.answer.total).toBe(10);
    expect(many.summary.answer.byStatus.released).toBe(150);
    expect(many.groupSummary.answer.byStatus.detained).toBe(100);
    expect(many.series.answer.days.at(-1)?.held).toBe(150);
    for (const question of ['summary', 'groupSummary', 'series'] as const) {
      expect(many[question].requests, question).toEqual(few[question].requests);
    }
    // The days before the day asked and that day's moments, eight shards each; a series only days.
    expect(many.summary.requests).toEqual({ QueryCommand: 2 * SHARD_COUNT });
    expect(many.series.requests).toEqual({ QueryCommand: SHARD_COUNT });
  });

  it('fold the stored timelines while older views keep no counts, and read the counts once rebuilt', async () => {
    const before = await boardCost();
    // As a table from before counts were kept: not marked, and a case whose view projection revision 3 wrote.
    await db.clients.documents.send(
      new DeleteCommand({ TableName: db.tables.views, Key: viewKeys.rebuildMark }),
    );
    const opened = await client.cases.$post({
      header: {},
      json: {
        caseId: 'settled-old',
        subject: { name: 'Test Person Old', nationality: 'Utopia' },
        groupId: GROUP,
        events: [withId(detained('2025-07-01'))],
      },
    });
    expect(opened.status).toBe(201);
    const events = await services.ledger.readStream('settled-old');
    const old = {
      view: foldCase('settled-old', events, { asOf: NOW }),
      timeline: caseTimeline(events),
      projectedAt: NOW,
    };
    await putViewAsRevision3(db, old);
    // A fresh process of the API: it has not yet seen the counts ready.
    const fresh = servicesOn(db, { clock: () => NOW });
    client = await typedClient(fresh.app);
    const folded = await boardCost();
    expect(folded.summary.answer.total).toBe(before.summary.answer.total + 1);
    expect(folded.groupSummary.answer.byStatus.detained).toBe(
      before.groupSummary.answer.byStatus.detained + 1,
    );
    expect(folded.summary.requests.QueryCommand).toBeGreaterThan(2 * SHARD_COUNT);

    await runRebuildViews(harness(fresh, { clock: () => NOW }).context);
    const rebuilt = await boardCost();
    for (const question of ['summary', 'groupSummary', 'series'] as const) {
      expect(rebuilt[question].answer, question).toEqual(folded[question].answer);
    }
    // It reads the mark again until it finds it, then never again.
    expect(rebuilt.summary.requests).toEqual({ GetItemCommand: 1, QueryCommand: 2 * SHARD_COUNT });
    expect((await boardCost()).summary.requests).toEqual({ QueryCommand: 2 * SHARD_COUNT });
  });
});
