import { randomUUID } from 'node:crypto';
import { DeleteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foldCase } from '../../domain/fold-case.ts';
import type { Services } from '../../functions/services.ts';
import { createDynamoDBStreamsClient } from '../../local/dynamodb-streams-client.ts';
import { type StreamPoller, startStreamPoller } from '../../local/stream-poller.ts';
import { consularVisit, detained, opening, released } from '../support/sample-events.ts';
import { servicesOn } from '../support/test-services.ts';
import { createTestTables, type TestTables } from '../support/test-tables.ts';

let db: TestTables;
let services: Services;
let poller: StreamPoller;
/** Every batch the projector was given, as delivered: real records from the ledger's stream. */
const delivered: DynamoDBStreamEvent[] = [];
const clock = () => new Date('2026-11-24T12:00:00.000Z');

beforeAll(async () => {
  db = await createTestTables('projector');
  services = servicesOn(db, { clock });
  poller = await startStreamPoller({
    client: db.clients.client,
    streamsClient: createDynamoDBStreamsClient({ endpoint: db.endpoint }),
    tableName: db.tables.ledger,
    idleDelayMs: 20,
    handler: async (event) => {
      delivered.push(structuredClone(event));
      return services.projector(event);
    },
  });
});
afterAll(async () => {
  await poller.stop();
  await db.drop();
});

async function record(caseId: string, events: ReturnType<typeof detained>[], opening = false) {
  return services.ledger.append({
    caseId,
    events,
    expected: opening ? 'no_stream' : 'stream_exists',
    recordedBy: 'tester',
  });
}

async function viewsOf(caseIds: string[]) {
  return Promise.all(caseIds.map((caseId) => services.views.get(caseId)));
}

describe('projecting the ledger stream', () => {
  const caseA = `case-${randomUUID()}`;
  const caseB = `case-${randomUUID()}`;

  beforeAll(async () => {
    await record(caseA, [opening({ groupId: 'river-group' }), detained('2025-06-30')], true);
    await record(
      caseB,
      [
        opening({ groupId: 'river-group', subject: { name: 'Ben Sample', nationality: 'Utopia' } }),
        detained('2025-07-02'),
      ],
      true,
    );
    await record(caseA, [consularVisit('2025-07-03'), consularVisit('2025-07-14')]);
    await record(caseB, [released('2025-08-20')]);
    await poller.idle();
  });

  it('writes each case view as the fold of the ledger at its latest version', async () => {
    for (const caseId of [caseA, caseB]) {
      const stored = await services.views.get(caseId);
      const events = await services.ledger.readStream(caseId);
      expect(stored?.view).toEqual(foldCase(caseId, events, { asOf: clock() }));
    }
    const [a, b] = await viewsOf([caseA, caseB]);
    expect(a?.view).toMatchObject({
      status: 'detained',
      consularVisitCount: 2,
      version: 4,
      groupId: 'river-group',
    });
    expect(b?.view).toMatchObject({ status: 'released', releasedAt: '2025-08-20', version: 3 });
  });

  it('ignores the ledger items that are not events', () => {
    const kinds = new Set(
      delivered.flatMap((batch) => batch.Records.map((r) => r.dynamodb?.NewImage?.itemKind?.S)),
    );
    expect(kinds).toEqual(new Set(['event', 'event-id-guard', 'audit-day']));
  });

  it('leaves every view as it was when batches are delivered again, reordered or replayed later', async () => {
    const before = await viewsOf([caseA, caseB]);
    const everything = delivered.flatMap((batch) => batch.Records);
    expect(everything.length).toBeGreaterThan(0);
    const replays: DynamoDBStreamEvent[] = [
      ...delivered,
      { Records: [...everything].reverse() },
      { Records: [...everything, ...everything] },
    ];
    for (const batch of replays) expect(await services.projector(batch)).toEqual({ batchItemFailures: [] });
    expect(await viewsOf([caseA, caseB])).toEqual(before);
  });

  it('never moves a view backwards when an old record arrives after newer ones were projected', async () => {
    const old = delivered
      .flatMap((batch) => batch.Records)
      .filter((r) => r.dynamodb?.Keys?.streamId?.S === caseA);
    await record(caseA, [released('2025-09-01')]);
    await poller.idle();
    const after = await services.views.get(caseA);
    expect(after?.view).toMatchObject({ status: 'released', version: 5 });
    await services.projector({ Records: old });
    expect(await services.views.get(caseA)).toEqual(after);
  });
});

describe('failures', () => {
  it('reports the records of a case it cannot fold as batch item failures, and projects the other cases', async () => {
    const broken = `case-${randomUUID()}`;
    const healthy = `case-${randomUUID()}`;
    await record(broken, [opening(), detained()], true);
    await record(healthy, [opening(), detained()], true);
    await poller.idle();
    // Break the stored date of one event behind the application's back, so its fold cannot run.
    await db.clients.documents.send(
      new UpdateCommand({
        TableName: db.tables.ledger,
        Key: { streamId: broken, version: 2 },
        UpdateExpression: 'SET occurredAt = :bad',
        ExpressionAttributeValues: { ':bad': 'not a date' },
      }),
    );
    // A stored view answers for the versions it holds without reading the ledger again: take the broken case's
    // away, so it must be folded from the ledger, where the broken event now is.
    await db.clients.documents.send(
      new DeleteCommand({ TableName: db.tables.views, Key: { caseId: broken } }),
    );
    const records = delivered
      .flatMap((batch) => batch.Records)
      .filter(
        (r) => [broken, healthy].includes(r.dynamodb?.Keys?.streamId?.S ?? '') && r.eventName === 'INSERT',
      );
    const result = await services.projector({ Records: records });
    const failed = new Set(result.batchItemFailures.map((failure) => failure.itemIdentifier));
    const expectedFailures = records
      .filter(
        (r) => r.dynamodb?.Keys?.streamId?.S === broken && r.dynamodb?.NewImage?.itemKind?.S === 'event',
      )
      .map((r) => r.dynamodb?.SequenceNumber);
    expect(failed).toEqual(new Set(expectedFailures));
    expect((await services.views.get(healthy))?.view.version).toBe(2);
  });

  it('does not retry an inserted event that has since been removed: retrying cannot bring it back', async () => {
    const caseId = `case-${randomUUID()}`;
    await record(caseId, [opening(), detained()], true);
    const gone = {
      eventName: 'INSERT' as const,
      dynamodb: {
        Keys: { streamId: { S: caseId }, version: { N: '3' } },
        NewImage: { itemKind: { S: 'event' } },
        SequenceNumber: `${caseId}-3`,
      },
    };
    expect(await services.projector({ Records: [gone] })).toEqual({ batchItemFailures: [] });
    expect((await services.views.get(caseId))?.view.version).toBe(2);
  });
});
