import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseTimeline, foldCase } from '../../domain/fold-case.ts';
import { PROJECTION_REVISION } from '../../domain/projection-revision.ts';
import type { Services } from '../../functions/services.ts';
import { alertIndexes, viewIndexKeys, viewKeys } from '../../functions/tables/view-keys.ts';
import { EXIT } from '../../local/cli/cli-errors.ts';
import { runRebuildViews } from '../../local/cli/commands/rebuild-views.ts';
import { projectCases } from '../support/project-cases.ts';
import { consularVisit, detained, opening } from '../support/sample-events.ts';
import { servicesOn } from '../support/test-services.ts';
import { createTestTables, type TestTables } from '../support/test-tables.ts';
import { harness, seedCase, testPerson } from './cli-harness.ts';

let db: TestTables;
let services: Services;
const CASES = 24;
const caseIds = Array.from({ length: CASES }, (_, i) => `rebuild-${String(i).padStart(2, '0')}`);

beforeAll(async () => {
  db = await createTestTables('cli-rebuild');
  services = servicesOn(db);
  await Promise.all(caseIds.map((caseId, index) => seedCase(services, caseId, index, 4 + (index % 5))));
  // A third projected by the projector, a third never projected, a third left with a stale view from an older
  // projection revision that says the wrong thing at the right version.
  await projectCases(services, ...caseIds.filter((_, i) => i % 3 === 0));
  for (const caseId of caseIds.filter((_, i) => i % 3 === 2)) {
    const head = await services.ledger.head(caseId);
    const stale = { ...foldCase(caseId, []), version: head!.version, facility: 'A facility of an old fold' };
    await services.views.put(
      { view: stale, timeline: caseTimeline([]), projectedAt: new Date() },
      PROJECTION_REVISION - 1,
    );
  }
});
afterAll(() => db.drop());

/** Every case's stored view against a fresh fold of its events from the ledger, taken now. */
async function expectEveryViewFresh(): Promise<number> {
  let checked = 0;
  for await (const caseId of services.ledger.caseIds()) {
    const events = await services.ledger.readStream(caseId);
    const stored = await services.views.get(caseId);
    expect(stored?.view, caseId).toEqual(foldCase(caseId, events, { asOf: new Date() }));
    expect(stored?.timeline, caseId).toEqual(caseTimeline(events));
    expect(stored?.projectionRevision, caseId).toBe(PROJECTION_REVISION);
    checked += 1;
  }
  return checked;
}

/** A consular visit appended to a case, then the case projected at once, as the stream's projector would. */
async function appendLive(caseId: string, round: number): Promise<void> {
  const day = String(1 + (round % 28)).padStart(2, '0');
  await services.ledger.append({
    caseId,
    events: [consularVisit(`2025-11-${day}`)],
    expected: 'stream_exists',
    recordedBy: 'live-desk',
  });
  await projectCases(services, caseId);
}

describe('rebuild-views', () => {
  it('ends with every view equal to a fresh fold while appends and the live projector go on beside it', async () => {
    let rebuilding = true;
    let appendsDuringRebuild = 0;
    let opened = 0;
    // The live side, two desks at once: appends to the seeded cases round robin, opens a new case now and then,
    // and projects each case it touched.
    const desk = async (offset: number) => {
      for (let round = offset; rebuilding || round < 30; round += 2) {
        if (round % 7 === 6) {
          const caseId = `rebuild-new-${opened++}`;
          await seedCase(services, caseId, round, 3);
          await projectCases(services, caseId);
        } else {
          await appendLive(caseIds[round % CASES]!, round);
        }
        if (rebuilding) appendsDuringRebuild += 1;
      }
    };
    const live = Promise.all([desk(0), desk(1)]);
    // And for every fourth case, an append lands between the rebuild's read and its write, every time: the
    // rebuild then holds a fold that is one version behind the view the projector has just written.
    const overtaken = new Set(caseIds.filter((_, i) => i % 4 === 1));
    const ledger = new Proxy(services.ledger, {
      get(store, property) {
        if (property === 'readStream') {
          return async (caseId: string) => {
            const events = await store.readStream(caseId);
            if (overtaken.has(caseId)) await appendLive(caseId, events.length);
            return events;
          };
        }
        const value = Reflect.get(store, property, store);
        return typeof value === 'function' ? value.bind(store) : value;
      },
    });
    const { context, stdout } = harness({ ...services, ledger });
    const report = await runRebuildViews(context, { concurrency: 4 }).finally(() => {
      rebuilding = false;
    });
    await live;

    expect(appendsDuringRebuild).toBeGreaterThan(0);
    expect(report.exitCode).toBe(EXIT.ok);
    expect(report.cases).toBeGreaterThanOrEqual(CASES);
    expect(report.superseded).toBeGreaterThanOrEqual(overtaken.size);
    expect(report.rewritten).toBeGreaterThan(0);
    expect(report.rewritten + report.current + report.superseded).toBe(report.cases);
    expect(stdout.text).toMatch(
      new RegExp(
        `^Rebuilt the views of ${report.cases} cases \\(projection revision ${PROJECTION_REVISION}\\): `,
      ),
    );
    expect(await expectEveryViewFresh()).toBe(CASES + opened);
  });

  it('leaves alone the views that already are the fold of their case, and says so', async () => {
    let cases = 0;
    for await (const _ of services.ledger.caseIds()) cases += 1;
    const { context, stdout } = harness(services);
    const report = await runRebuildViews(context, { json: true });
    expect(report).toMatchObject({ rewritten: 0, superseded: 0, current: cases });
    expect(JSON.parse(stdout.text)).toEqual({
      cases,
      rewritten: 0,
      current: cases,
      superseded: 0,
      projectionRevision: PROJECTION_REVISION,
    });
    await expectEveryViewFresh();
  });

  it('lists the groups of views written before the registry of groups existed', async () => {
    await services.ledger.append({
      caseId: 'rebuild-grouped',
      events: [opening({ subject: { name: testPerson(90), nationality: 'Utopia' }, groupId: 'older-group' })],
      expected: 'no_stream',
      recordedBy: 'cli-test',
    });
    await projectCases(services, 'rebuild-grouped');
    expect(await services.views.groupIds()).toContain('older-group');
    // As the data of an older version would be: a current view, and no registry item naming its group.
    await db.clients.documents.send(
      new DeleteCommand({ TableName: db.tables.views, Key: viewKeys.groupRegistry }),
    );
    expect(await services.views.groupIds()).toEqual([]);

    // A new run of the command, as a new process: nothing it remembers from before.
    const { context } = harness(servicesOn(db));
    const report = await runRebuildViews(context, { json: true });
    expect(report.rewritten).toBe(0);
    expect(await services.views.groupIds()).toEqual(['older-group']);
  });

  it('puts the alert index keys on views an older revision wrote without them', async () => {
    const caseId = 'rebuild-held';
    await services.ledger.append({
      caseId,
      events: [opening({ subject: { name: testPerson(91), nationality: 'Utopia' } }), detained('2025-06-30')],
      expected: 'no_stream',
      recordedBy: 'cli-test',
    });
    // As revision 2 stored it: the same fold and list keys, but no key of any alert index.
    const events = await services.ledger.readStream(caseId);
    const view = foldCase(caseId, events, { asOf: new Date() });
    const keys = viewIndexKeys(view);
    for (const index of Object.values(alertIndexes)) delete keys[index.sortKeyName];
    await db.clients.documents.send(
      new PutCommand({
        TableName: db.tables.views,
        Item: {
          ...viewKeys.view(caseId),
          version: view.version,
          projectionRevision: 2,
          view,
          timeline: caseTimeline(events),
          projectedAt: new Date().toISOString(),
          ...keys,
        },
      }),
    );
    const overdue = async () =>
      (await services.views.casesDue('visit', '9999-12-31')).map((due) => due.caseId);
    expect(await overdue()).not.toContain(caseId);

    const { context } = harness(servicesOn(db));
    await runRebuildViews(context, { json: true });
    expect(await overdue()).toContain(caseId);
  });
});
