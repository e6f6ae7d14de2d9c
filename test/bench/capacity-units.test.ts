import { describe, expect, it } from 'vitest';
import { foldCaseWithTimeline } from '../../domain/fold-case.ts';
import { PROJECTION_REVISION } from '../../domain/projection-revision.ts';
import { viewsTable } from '../../functions/tables/table-definitions.ts';
import { viewIndexKeys, viewKeys } from '../../functions/tables/view-keys.ts';
import {
  type CostedTable,
  itemSize,
  projectedItem,
  readUnits,
  writeCost,
  writeUnits,
} from '../../local/bench/capacity-units.ts';
import { detained, event, opening, record } from '../support/sample-events.ts';

const KB = 1024;

describe('item sizes, as AWS documents them', () => {
  it('count a string by the UTF-8 bytes of its name and of its value', () => {
    expect(itemSize({ name: 'abc' })).toBe(4 + 3);
    expect(itemSize({ city: 'Zürich' })).toBe(4 + 7);
  });

  it('count a number by one byte per two significant digits plus one, leading and trailing zeros trimmed', () => {
    expect(itemSize({ n: 27 })).toBe(1 + 2);
    expect(itemSize({ n: 12345 })).toBe(1 + 4);
    expect(itemSize({ n: 1200 })).toBe(1 + 2);
    expect(itemSize({ n: 0.05 })).toBe(1 + 2);
  });

  it('count null and booleans as one byte, binary by its raw bytes', () => {
    expect(itemSize({ a: null, b: true })).toBe(1 + 1 + 1 + 1);
    expect(itemSize({ bin: new Uint8Array(10) })).toBe(3 + 10);
  });

  it('give lists and maps 3 bytes of their own and 1 byte per element', () => {
    expect(itemSize({ list: [] })).toBe(4 + 3);
    expect(itemSize({ map: {} })).toBe(3 + 3);
    expect(itemSize({ list: ['ab', 'c'] })).toBe(4 + 3 + (2 + 1) + (1 + 1));
    expect(itemSize({ map: { k: 'v' } })).toBe(3 + 3 + (1 + 1 + 1));
  });

  it('leave out attributes the document client leaves out', () => {
    expect(itemSize({ a: 'x', b: undefined })).toBe(2);
  });
});

describe('capacity units, as AWS documents them', () => {
  it('read 4 KB per unit, rounded up: half for an eventually consistent read, double in a transaction', () => {
    // "reading a 3,500-byte item consumes the same throughput as reading a 4 KB item"
    expect(readUnits(3500, 'strong')).toBe(1);
    expect(readUnits(3500, 'eventual')).toBe(0.5);
    // "if you read a 10 KB item, DynamoDB rounds the item size to 12 KB"
    expect(readUnits(10 * KB, 'strong')).toBe(3);
    // "an item size of 8 KB requires 2 read units … 1 if eventually consistent, or 4 for transactional"
    expect(readUnits(8 * KB, 'strong')).toBe(2);
    expect(readUnits(8 * KB, 'eventual')).toBe(1);
    expect(readUnits(8 * KB, 'transactional')).toBe(4);
  });

  it('write 1 KB per unit, rounded up; twice in a transaction', () => {
    // "writing a 500-byte item consumes the same throughput as writing a 1 KB item"
    expect(writeUnits(500)).toBe(1);
    expect(writeUnits(1.5 * KB)).toBe(2);
    expect(writeUnits(1.5 * KB, true)).toBe(4);
  });
});

const table: CostedTable = {
  partitionKey: { name: 'pk', type: 'S' },
  globalSecondaryIndexes: [
    { indexName: 'everything', partitionKey: { name: 'g1', type: 'S' }, projection: 'ALL' },
    {
      indexName: 'keys',
      partitionKey: { name: 'g2', type: 'S' },
      sortKey: { name: 's2', type: 'S' },
      projection: 'KEYS_ONLY',
    },
    { indexName: 'some', partitionKey: { name: 'g3', type: 'S' }, projection: { include: ['small'] } },
  ],
};

/** An item of about 1.9 KB, so that each copy of it costs 2 write units. */
const body = 'x'.repeat(1900);

describe('write costs across the indexes', () => {
  it('put a new item into every index whose keys it has, and into none whose keys it lacks', () => {
    const cost = writeCost(table, undefined, { pk: 'a', g1: 'one', body });
    expect(cost).toEqual({ table: 2, indexes: { everything: 2 }, total: 4 });
  });

  it('charge a keys-only index for the keys alone, and an INCLUDE index for the keys and what it includes', () => {
    const item = { pk: 'a', g2: 'two', s2: 's', g3: 'three', small: 'y', body };
    expect(projectedItem(table, table.globalSecondaryIndexes[1]!, item)).toEqual({
      pk: 'a',
      g2: 'two',
      s2: 's',
    });
    expect(writeCost(table, undefined, item)).toEqual({ table: 2, indexes: { keys: 1, some: 1 }, total: 4 });
  });

  it("delete from an index and put into it again when the item's key there changes: two writes", () => {
    const cost = writeCost(table, { pk: 'a', g1: 'one', body }, { pk: 'a', g1: 'other', body });
    expect(cost.indexes).toEqual({ everything: 4 });
  });

  it('write once where only projected attributes change, and not at all where nothing the index holds does', () => {
    const before = { pk: 'a', g1: 'one', g2: 'two', s2: 's', body };
    const cost = writeCost(table, before, { ...before, body: `${body}!` });
    expect(cost.indexes).toEqual({ everything: 2 });
  });

  it('delete from an index an item that loses its key there, and charge the table for the larger image', () => {
    const cost = writeCost(table, { pk: 'a', g1: 'one', body }, { pk: 'a' });
    expect(cost).toEqual({ table: 2, indexes: { everything: 2 }, total: 4 });
  });

  it('double every write of a transaction, on the table and on the indexes', () => {
    const cost = writeCost(table, undefined, { pk: 'a', g1: 'one', body }, { transactional: true });
    expect(cost).toEqual({ table: 4, indexes: { everything: 4 }, total: 8 });
  });
});

describe('the views table as defined', () => {
  /** A view item as `ViewStore.put` writes it, of a person moved `moves` times: a timeline step per move. */
  function viewItem(moves: number) {
    const caseId = 'cost-moved';
    const transfers = Array.from({ length: moves }, (_, i) =>
      event(
        'Transferred',
        `2025-07-${String(1 + (i % 28)).padStart(2, '0')}T${String(i % 24).padStart(2, '0')}:00:00Z`,
        {
          toFacility: `Invented Prison ${i}`,
        },
      ),
    );
    const events = record([opening({ groupId: 'cost-group' }), detained('2025-06-30'), ...transfers], {
      streamId: caseId,
    });
    const { view, timeline } = foldCaseWithTimeline(caseId, events, {
      asOf: new Date('2026-01-01T00:00:00Z'),
    });
    return {
      ...viewKeys.view(caseId),
      version: view.version,
      projectionRevision: PROJECTION_REVISION,
      view,
      timeline,
      projectedAt: '2026-01-01T00:00:00.000Z',
      ...viewIndexKeys(view),
    };
  }

  const listIndexes = ['byAll', 'byStatus', 'byGroup', 'byFacility', 'byNationality', 'byCustodyUntil'];

  it('charges each list index for the view alone, however long the timeline the table pays for', () => {
    const item = viewItem(40);
    const cost = writeCost(viewsTable, undefined, item);
    expect(cost.table).toBeGreaterThanOrEqual(3);
    for (const index of listIndexes) expect(cost.indexes[index]).toBe(1);
  });

  it('would charge each list index the whole item again if they copied it all', () => {
    const copyingAll = {
      ...viewsTable,
      globalSecondaryIndexes: viewsTable.globalSecondaryIndexes.map((index) =>
        listIndexes.includes(index.indexName) ? { ...index, projection: 'ALL' as const } : index,
      ),
    };
    const cost = writeCost(copyingAll, undefined, viewItem(40));
    for (const index of listIndexes) expect(cost.indexes[index]).toBe(cost.table);
  });
});
