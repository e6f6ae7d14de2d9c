import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IdentifiedEvent } from '../../domain/append-rules.ts';
import { caseTimeline, foldCase } from '../../domain/fold-case.ts';
import { summaryOfCounters } from '../../domain/kept-counts.ts';
import { PROJECTION_REVISION } from '../../domain/projection-revision.ts';
import { summarize } from '../../domain/summary.ts';
import { createDynamoDBClients } from '../../functions/dynamodb-clients.ts';
import { ViewStore } from '../../functions/store/view-store.ts';
import { putViewAsRevision3 } from '../support/older-view.ts';
import { detained, event, opening, record, released } from '../support/sample-events.ts';
import { createTestTables, type TestTables } from '../support/test-tables.ts';

let db: TestTables;
let views: ViewStore;
const LATER = Date.parse('2030-01-01T00:00:00Z');

beforeAll(async () => {
  db = await createTestTables('counted-write');
  views = new ViewStore({ documents: db.clients.documents, tableName: db.tables.views });
});
afterAll(() => db.drop());

/** A case's projection from its events, folded at `projectedAt`. */
function projection(
  caseId: string,
  events: IdentifiedEvent[],
  projectedAt = new Date('2026-01-01T00:00:00Z'),
) {
  const stored = record(events, { streamId: caseId });
  return {
    view: foldCase(caseId, stored, { asOf: projectedAt }),
    timeline: caseTimeline(stored),
    projectedAt,
  };
}

/** A long story: each transfer a change of facility, so rewriting it from its start touches many count items. */
function transfers(groupId: string, count: number): IdentifiedEvent[] {
  const events: IdentifiedEvent[] = [
    opening({ occurredAt: '2025-01-01T09:00:00Z', groupId }),
    detained('2025-01-02'),
  ];
  for (let index = 0; index < count; index += 1) {
    const day = new Date(Date.UTC(2025, 0, 3 + index)).toISOString().slice(0, 10);
    events.push(event('Transferred', day, { toFacility: `Invented Facility ${index}` }));
  }
  return events;
}

type StagingInput = { TransactItems?: { Put?: { Item?: { countingTo?: unknown } } }[] };

/**
 * A view store on a client of its own whose `TransactWriteItems` throws `message` when `dies` says so, as if the
 * process died before sending it; its transactions take `maxCountUpdatesPerWrite` count updates.
 */
function dyingWriter(maxCountUpdatesPerWrite: number, dies: (input: unknown) => boolean, message: string) {
  const cut = createDynamoDBClients({ endpoint: db.endpoint });
  cut.client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'TransactWriteItemsCommand' && dies(args.input)) throw new Error(message);
      return next(args);
    },
    { step: 'initialize', name: 'dieAtSomeTransaction' },
  );
  const dying = new ViewStore({
    documents: cut.documents,
    tableName: db.tables.views,
    maxCountUpdatesPerWrite,
  });
  return { cut, dying };
}

/** What the counts of a group say at `at`, as `GET /summary?groupId=` reads them. */
async function keptSummary(groupId: string, at = LATER) {
  return summaryOfCounters(await views.keptCounters({ kind: 'group', groupId }, at));
}

describe('a view write and the counts kept by day', () => {
  it('moves the counts once, however often the same or an older projection is written', async () => {
    const first = projection('cw-1', [opening({ groupId: 'g-once' }), detained('2025-07-01')]);
    const second = projection('cw-1', [
      opening({ groupId: 'g-once' }),
      detained('2025-07-01'),
      released('2025-08-01'),
    ]);
    expect(await views.put(first, PROJECTION_REVISION)).toBe(true);
    expect(await views.put(second, PROJECTION_REVISION)).toBe(true);
    expect(await views.put(second, PROJECTION_REVISION)).toBe(false);
    expect(await views.put(first, PROJECTION_REVISION)).toBe(false);
    expect(await keptSummary('g-once')).toEqual(summarize([second.timeline], LATER));
    expect(await keptSummary('g-once', Date.parse('2025-07-15T00:00:00Z'))).toEqual(
      summarize([second.timeline], Date.parse('2025-07-15T00:00:00Z')),
    );
  });

  it('keeps the winner’s counts when writers of different versions race on a case', async () => {
    const versions = [2, 4, 6, 8].map((length) => projection('cw-race', transfers('g-race', length)));
    const racers = versions.map(
      () => new ViewStore({ documents: db.clients.documents, tableName: db.tables.views }),
    );
    await Promise.all(versions.map((each, index) => racers[index]!.put(each, PROJECTION_REVISION)));
    const newest = versions.at(-1)!;
    expect((await views.get('cw-race'))?.view.version).toBe(newest.view.version);
    expect(await keptSummary('g-race')).toEqual(summarize([newest.timeline], LATER));
  });

  it('finishes a write too large for one transaction that was cut short, and counts it once', async () => {
    const small = projection('cw-staged', transfers('g-staged', 1));
    const large = projection('cw-staged', transfers('g-staged', 30));
    await views.put(small, PROJECTION_REVISION);

    // A writer whose third transaction never arrives, as if its process died there.
    let transactions = 0;
    const { cut, dying } = dyingWriter(5, () => ++transactions === 3, 'the process died here');
    await expect(dying.put(large, PROJECTION_REVISION)).rejects.toThrow('the process died here');
    cut.client.destroy();
    // The stored view is still the small one: nobody sees the half-moved counts as a view.
    expect((await views.get('cw-staged'))?.view.version).toBe(small.view.version);

    // The next writer of the case, with an even newer fold, finishes the cut write before its own.
    const newer = projection('cw-staged', [...transfers('g-staged', 30), released('2025-03-15')]);
    const finisher = new ViewStore({
      documents: db.clients.documents,
      tableName: db.tables.views,
      maxCountUpdatesPerWrite: 5,
    });
    expect(await finisher.put(newer, PROJECTION_REVISION)).toBe(true);
    expect((await views.get('cw-staged'))?.view.version).toBe(newer.view.version);
    for (const at of [Date.parse('2025-01-10T12:00:00Z'), Date.parse('2025-02-02T00:00:00Z'), LATER]) {
      expect(await keptSummary('g-staged', at)).toEqual(summarize([newer.timeline], at));
    }
  });

  it('shows no view for a case whose first write was staged and cut short', async () => {
    // A writer that dies at the first transaction after the one that staged the write.
    const { cut, dying } = dyingWriter(
      3,
      (input) => (input as StagingInput).TransactItems?.[0]?.Put?.Item?.countingTo === undefined,
      'the process died after staging',
    );
    const large = projection('cw-first', transfers('g-first', 10));
    await expect(dying.put(large, PROJECTION_REVISION)).rejects.toThrow('after staging');
    cut.client.destroy();
    expect(await views.get('cw-first')).toBeUndefined();
    // Written again (the stream delivers the record again): the staged write is finished, which is this very view.
    await views.put(large, PROJECTION_REVISION);
    expect((await views.get('cw-first'))?.view).toEqual(large.view);
    expect(await keptSummary('g-first')).toEqual(summarize([large.timeline], LATER));
  });

  it('counts a view written before counts were kept without taking away what it never added', async () => {
    const old = projection('cw-old', [opening({ groupId: 'g-old' }), detained('2025-07-01')]);
    // As projection revision 3 wrote it: the same item, without `counted`, and no count moved.
    await putViewAsRevision3(db, old);
    expect(await keptSummary('g-old')).toEqual(summarize([], LATER));
    expect(await views.put(old, PROJECTION_REVISION)).toBe(true);
    expect(await keptSummary('g-old')).toEqual(summarize([old.timeline], LATER));
  });
});
