import { randomUUID } from 'node:crypto';
import type { DynamoDBRecord } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { IdentifiedEvent } from '../../domain/append-rules.ts';
import { caseTimeline, foldCase } from '../../domain/fold-case.ts';
import { createProjector, type ProjectionOutcome } from '../../functions/projector/create-projector.ts';
import { createServices, type Services } from '../../functions/services.ts';
import { TamperLog } from '../../functions/store/tamper-log.ts';
import {
  consularVisit,
  detained,
  inventedSource,
  opening,
  released,
  retraction,
} from '../support/sample-events.ts';
import { createTestTables, type TestTables } from '../support/test-tables.ts';

const clock = () => new Date('2026-11-24T12:00:00.000Z');

let db: TestTables;
let ledger: Services['ledger'];
let views: Services['views'];
let outcomes: ProjectionOutcome[];
let project: ReturnType<typeof createProjector>;

beforeAll(async () => {
  db = await createTestTables('incremental');
  // The stores as the system wires them; only the projector is made here, to be told how it projected.
  ({ ledger, views } = createServices({
    clients: db.clients,
    tables: db.tables,
    keyWrapper: db.keyWrapper,
    clock,
  }));
  const tamperLog = new TamperLog({ documents: db.clients.documents, tableName: db.tables.ledger });
  project = createProjector({
    ledger,
    views,
    tamperLog,
    clock,
    onProjected: (outcome) => outcomes.push(outcome),
  });
});
afterAll(() => db.drop());
beforeEach(() => {
  outcomes = [];
});

/** A stream record as DynamoDB Streams delivers it for an event item, enough for the projector. */
function streamRecord(
  caseId: string,
  version: number,
  eventName: 'INSERT' | 'MODIFY' = 'INSERT',
): DynamoDBRecord {
  const image = { itemKind: { S: 'event' } };
  return {
    eventName,
    dynamodb: {
      Keys: { streamId: { S: caseId }, version: { N: String(version) } },
      NewImage: image,
      ...(eventName === 'MODIFY' && { OldImage: image }),
      SequenceNumber: `${caseId}-${version}-${randomUUID()}`,
    },
  };
}

/** Appends events to a case and hands the projector the records of the new versions, as the stream would. */
async function appendAndProject(caseId: string, events: IdentifiedEvent[], opening = false) {
  const result = await ledger.append({
    caseId,
    events,
    expected: opening ? 'no_stream' : 'stream_exists',
    recordedBy: 'tester',
  });
  const first = result.version - events.length + 1;
  const records = events.map((_, index) => streamRecord(caseId, first + index));
  expect(await project({ Records: records })).toEqual({ batchItemFailures: [] });
  return result;
}

/** The stored view and timeline must be exactly what folding the whole stream gives. */
async function expectWholeFold(caseId: string) {
  const events = await ledger.readStream(caseId);
  const stored = await views.get(caseId);
  expect(stored?.view).toStrictEqual(foldCase(caseId, events, { asOf: clock() }));
  expect(stored?.timeline).toStrictEqual(caseTimeline(events));
}

describe('the projector folds only what is new', () => {
  it('continues from the stored view when the new events occurred after its last one', async () => {
    const caseId = `case-${randomUUID()}`;
    await appendAndProject(caseId, [opening(), detained('2025-06-30')], true);
    await appendAndProject(caseId, [consularVisit('2025-07-03'), consularVisit('2025-07-14')]);
    await appendAndProject(caseId, [released('2025-10-02')]);
    expect(outcomes.map((outcome) => outcome.kind)).toEqual(['refolded', 'continued', 'continued']);
    expect(outcomes[0]).toMatchObject({ reason: 'no-view' });
    await expectWholeFold(caseId);
    expect((await views.get(caseId))?.view).toMatchObject({
      status: 'released',
      consularVisitCount: 2,
      version: 5,
    });
  });

  it('refolds the whole stream when an event lands in the past', async () => {
    const caseId = `case-${randomUUID()}`;
    await appendAndProject(caseId, [opening(), detained('2025-06-30'), consularVisit('2025-08-20')], true);
    await appendAndProject(caseId, [consularVisit('2025-07-03')]);
    expect(outcomes.at(-1)).toMatchObject({ kind: 'refolded', reason: 'past-event', version: 4 });
    await expectWholeFold(caseId);
    expect((await views.get(caseId))?.view.lastConsularVisitAt).toBe('2025-08-20');
  });

  it('refolds the whole stream when an event is retracted', async () => {
    const caseId = `case-${randomUUID()}`;
    const visit = consularVisit('2025-07-03');
    await appendAndProject(caseId, [opening(), detained('2025-06-30'), visit], true);
    await appendAndProject(caseId, [retraction(visit.eventId)]);
    expect(outcomes.at(-1)).toMatchObject({ kind: 'refolded', reason: 'record-change' });
    await expectWholeFold(caseId);
    expect((await views.get(caseId))?.view.consularVisitCount).toBe(0);
  });

  it('refolds the whole stream while the stored view waits for a pending event', async () => {
    const caseId = `case-${randomUUID()}`;
    // November 2026 has begun at the clock's moment but not ended: the release is pending.
    const uncertain: IdentifiedEvent = {
      eventId: randomUUID(),
      type: 'Released',
      occurredAt: '2026-11',
      sources: inventedSource,
      data: { mode: 'bail', announced: false },
    };
    await appendAndProject(caseId, [opening(), detained('2025-06-30'), uncertain], true);
    expect((await views.get(caseId))?.view.pending).toEqual([uncertain.eventId]);
    await appendAndProject(caseId, [consularVisit('2026-11-20')]);
    expect(outcomes.at(-1)).toMatchObject({ kind: 'refolded', reason: 'pending' });
    await expectWholeFold(caseId);
  });

  it('writes nothing for records the stored view already holds, in any order and any number of times', async () => {
    const caseId = `case-${randomUUID()}`;
    await appendAndProject(caseId, [opening(), detained('2025-06-30'), consularVisit('2025-07-03')], true);
    const before = await views.get(caseId);
    const replays = [3, 1, 2, 3, 3].map((version) => streamRecord(caseId, version));
    expect(await project({ Records: replays })).toEqual({ batchItemFailures: [] });
    expect(outcomes.at(-1)).toEqual({ caseId, kind: 'unchanged', version: 3 });
    expect(await views.get(caseId)).toEqual(before);
  });

  it('refolds a case whose event item was changed behind the application, whatever the stored view holds', async () => {
    const caseId = `case-${randomUUID()}`;
    await appendAndProject(caseId, [opening(), detained('2025-06-30')], true);
    expect(await project({ Records: [streamRecord(caseId, 2, 'MODIFY')] })).toEqual({
      batchItemFailures: [],
    });
    expect(outcomes.at(-1)).toMatchObject({ kind: 'refolded', reason: 'record-change' });
  });
});
