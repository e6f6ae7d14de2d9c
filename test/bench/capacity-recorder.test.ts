import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foldCaseWithTimeline } from '../../domain/fold-case.ts';
import { PROJECTION_REVISION } from '../../domain/projection-revision.ts';
import { createDynamoDBClients } from '../../functions/dynamodb-clients.ts';
import { viewsTable } from '../../functions/tables/table-definitions.ts';
import { viewIndexKeys, viewKeys } from '../../functions/tables/view-keys.ts';
import { recordCapacity } from '../../local/bench/capacity-recorder.ts';
import { writeCost } from '../../local/bench/capacity-units.ts';
import { consularVisit, detained, opening, record } from '../support/sample-events.ts';
import { createTestTables, type TestTables } from '../support/test-tables.ts';

let db: TestTables;
beforeAll(async () => {
  db = await createTestTables('capacity');
});
afterAll(() => db.drop());

/** A client of its own that records capacity, and a put of a view item, as the view store writes it, through it. */
function recordedViews() {
  const clients = createDynamoDBClients({ endpoint: db.endpoint });
  const capacity = recordCapacity(clients.client);
  const put = (count: number, condition?: string) =>
    clients.documents.send(
      new PutCommand({
        TableName: db.tables.views,
        Item: viewItem(count),
        ...(condition && { ConditionExpression: condition }),
      }),
    );
  return { clients, capacity, put };
}

const caseId = 'capacity-case';
const events = record([opening({ groupId: 'capacity-group' }), detained(), consularVisit('2025-07-10')], {
  streamId: caseId,
});
const projection = (count: number) => {
  const { view, timeline } = foldCaseWithTimeline(caseId, events.slice(0, count), {
    asOf: new Date('2026-02-01'),
  });
  return { view, timeline, projectedAt: new Date(`2026-02-01T00:00:0${count}Z`) };
};
/** The view item of the case after `count` events, with the attributes and index keys `ViewStore` writes. */
function viewItem(count: number) {
  const { view, timeline, projectedAt } = projection(count);
  return {
    ...viewKeys.view(caseId),
    version: view.version,
    projectionRevision: PROJECTION_REVISION,
    view,
    timeline,
    projectedAt: projectedAt.toISOString(),
    counted: true,
    ...viewIndexKeys(view),
  };
}
const storedItem = async () =>
  (
    await db.clients.documents.send(
      new GetCommand({ TableName: db.tables.views, Key: viewKeys.view(caseId) }),
    )
  ).Item!;

describe('capacity units recorded from DynamoDB Local', () => {
  it("are what the item sizes and the views' index projections give, for a new view and a newer one", async () => {
    const { clients, capacity, put } = recordedViews();
    try {
      capacity.take();
      await put(2);
      const first = capacity.take();
      const written = await storedItem();
      const expected = writeCost(viewsTable, undefined, written);
      const reported = (index: string, tally = first) =>
        tally.units.find((u) => u.table === db.tables.views && u.index === index)?.writeUnits;
      expect(reported('table')).toBe(expected.table);
      for (const [index, units] of Object.entries(expected.indexes)) expect(reported(index)).toBe(units);
      expect(first.requests).toEqual({ PutItemCommand: 1 });

      await put(3);
      const second = capacity.take();
      const next = writeCost(viewsTable, written, await storedItem());
      expect(reported('table', second)).toBe(next.table);
      for (const [index, units] of Object.entries(next.indexes)) expect(reported(index, second)).toBe(units);
    } finally {
      clients.client.destroy();
    }
  });

  it('count a change of an index key as a delete and a put there, as the computation does', async () => {
    const { clients, capacity } = recordedViews();
    try {
      const before = await storedItem();
      capacity.take();
      await clients.documents.send(
        new UpdateCommand({
          TableName: db.tables.views,
          Key: viewKeys.view(caseId),
          UpdateExpression: 'SET facilityShard = :f',
          ExpressionAttributeValues: { ':f': 'facility#Another Prison#0' },
        }),
      );
      const tally = capacity.take();
      const expected = writeCost(viewsTable, before, await storedItem());
      expect(tally.units.find((u) => u.index === 'byFacility')?.writeUnits).toBe(expected.indexes.byFacility);
      expect(expected.indexes.byFacility).toBeGreaterThanOrEqual(2);
    } finally {
      clients.client.destroy();
    }
  });

  it('lists a refused conditional write as unreported, not as free', async () => {
    const { clients, capacity, put } = recordedViews();
    try {
      capacity.take();
      await expect(put(2, 'attribute_not_exists(caseId)')).rejects.toThrow();
      const tally = capacity.take();
      expect(tally.unreported).toEqual([
        { command: 'PutItemCommand', table: db.tables.views, error: 'ConditionalCheckFailedException' },
      ]);
    } finally {
      clients.client.destroy();
    }
  });
});
