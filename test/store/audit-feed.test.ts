import { randomUUID } from 'node:crypto';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditFeed } from '../../functions/store/audit-feed.ts';
import { LedgerStore } from '../../functions/store/ledger-store.ts';
import { ledgerKeys } from '../../functions/tables/ledger-keys.ts';
import { countRequests } from '../support/request-counter.ts';
import { consularVisit, opening } from '../support/sample-events.ts';
import { createTestTables, type TestTables } from '../support/test-tables.ts';

/**
 * What the audit feed costs, counted in DynamoDB requests: an empty or sparse range is cheap, because only the
 * days that hold events are read, eight shard queries each.
 */
let db: TestTables;
let legacy: TestTables;

beforeAll(async () => {
  [db, legacy] = await Promise.all([createTestTables('audit-feed'), createTestTables('audit-legacy')]);
});
afterAll(() => Promise.all([db.drop(), legacy.drop()]));

function storesOn(tables: TestTables, at: string) {
  const clock = () => new Date(at);
  const { documents } = tables.clients;
  return {
    ledger: new LedgerStore({
      documents,
      tableName: tables.tables.ledger,
      clock,
      subjects: tables.subjectVault(clock),
    }),
    audit: new AuditFeed({ documents, tableName: tables.tables.ledger }),
  };
}

async function openCaseAt(tables: TestTables, at: string) {
  const caseId = `audit-${randomUUID()}`;
  await storesOn(tables, at).ledger.append({
    caseId,
    events: [{ ...opening(), occurredAt: '2023-01-01' }, consularVisit('2023-01-02')],
    expected: 'no_stream',
    recordedBy: 't',
  });
  return caseId;
}

/** Every event of a range, page after page, and what reading them cost. */
async function readAll(tables: TestTables, from: string, to: string, limit = 100) {
  const { audit } = storesOn(tables, '2026-01-01T00:00:00Z');
  const counter = countRequests(tables.clients.client);
  const events: Array<{ streamId: string; version: number }> = [];
  let after: string | undefined;
  let pages = 0;
  do {
    const page = await audit.page({ from: new Date(from), to: new Date(to), limit, ...(after && { after }) });
    events.push(...page.events.map(({ streamId, version }) => ({ streamId, version })));
    after = page.continueAfter;
    pages++;
  } while (after);
  return { events, pages, requests: counter.snapshot() };
}

describe('the audit feed reads only the days that hold events', () => {
  it('costs a handful of requests over a year of a ledger that never recorded anything', async () => {
    const { events, requests } = await readAll(db, '2024-01-01T00:00:00Z', '2024-12-31T23:59:59.999Z');
    expect(events).toEqual([]);
    // Whether the markers began, the marked days, and whether any case exists (one read per shard).
    expect(requests).toEqual({ GetItemCommand: 1, QueryCommand: 1 + 8 });
  });

  it('costs two requests, and eight queries per recorded day, over a sparse year', async () => {
    const march = await openCaseAt(db, '2025-03-01T10:00:00Z');
    const september = await openCaseAt(db, '2025-09-15T10:00:00Z');
    const { events, requests } = await readAll(db, '2025-01-01T00:00:00Z', '2025-12-31T23:59:59.999Z');
    expect(events).toEqual([
      { streamId: march, version: 1 },
      { streamId: march, version: 2 },
      { streamId: september, version: 1 },
      { streamId: september, version: 2 },
    ]);
    expect(requests).toEqual({ GetItemCommand: 1, QueryCommand: 1 + 2 * 8 });
  });

  it('costs two requests over an empty year of a ledger that holds events', async () => {
    const { events, requests } = await readAll(db, '2024-01-01T00:00:00Z', '2024-12-31T23:59:59.999Z');
    expect(events).toEqual([]);
    expect(requests).toEqual({ GetItemCommand: 1, QueryCommand: 1 });
  });

  it('pages across recorded days and finds an event recorded in the last moment of the range', async () => {
    const first = await openCaseAt(db, '2025-11-01T00:00:00Z');
    const last = await openCaseAt(db, '2025-11-30T23:59:59.999Z');
    const { events, pages } = await readAll(db, '2025-11-01T00:00:00Z', '2025-11-30T23:59:59.999Z', 1);
    expect(events.map((event) => event.streamId)).toEqual([first, first, last, last]);
    expect(pages).toBe(4);
  });

  it('writes one marker per day however many appends that day, and none for the days between', async () => {
    await openCaseAt(db, '2025-03-01T11:00:00Z');
    const { Items } = await db.clients.documents.send(
      new QueryCommand({
        TableName: db.tables.ledger,
        KeyConditionExpression: 'streamId = :p',
        ExpressionAttributeValues: { ':p': ledgerKeys.auditDays },
      }),
    );
    expect(Items?.map((item) => item.day ?? `since ${item.markedSince}`)).toEqual([
      'since 0000-01-01',
      '2025-03-01',
      '2025-09-15',
      '2025-11-01',
      '2025-11-30',
    ]);
  });
});

describe('imported events', () => {
  it('mark the days they were first recorded on, so the feed of the importing ledger lists them', async () => {
    const caseId = await openCaseAt(db, '2025-04-01T08:00:00Z');
    const visit = await storesOn(db, '2025-04-20T08:00:00Z').ledger.append({
      caseId,
      events: [consularVisit('2025-04-19')],
      expected: 'stream_exists',
      recordedBy: 't',
    });
    const exported = await storesOn(db, '2026-01-01T00:00:00Z').ledger.readRange(caseId, 1, 3);
    expect(exported.map((event) => event.recordedAt.slice(0, 10))).toEqual([
      '2025-04-01',
      '2025-04-01',
      '2025-04-20',
    ]);
    const importing = await createTestTables('audit-import');
    try {
      await storesOn(importing, '2026-01-01T00:00:00Z').ledger.importEvents(caseId, exported);
      const { events } = await readAll(importing, '2025-04-01T00:00:00Z', '2025-04-30T23:59:59.999Z');
      expect(events).toEqual([1, 2, 3].map((version) => ({ streamId: caseId, version })));
      expect(visit.version).toBe(3);
    } finally {
      await importing.drop();
    }
  });
});

describe('a ledger that recorded events before it marked days', () => {
  it('still lists the events of the days before the first marker, reading those days one by one', async () => {
    // Events copied item for item from another ledger, as a ledger written before markers holds them.
    const old = await openCaseAt(db, '2025-05-25T08:00:00Z');
    const { Items } = await db.clients.documents.send(
      new QueryCommand({
        TableName: db.tables.ledger,
        KeyConditionExpression: 'streamId = :s',
        ExpressionAttributeValues: { ':s': old },
      }),
    );
    for (const item of Items ?? []) {
      await legacy.clients.documents.send(new PutCommand({ TableName: legacy.tables.ledger, Item: item }));
    }
    // The first marking there is an import of events recorded long before: markers begin all the same from
    // the day it runs, not from the imported day, or the copied events would be skipped.
    const imported = await openCaseAt(db, '2023-11-05T08:00:00Z');
    const importedEvents = await storesOn(db, '2026-01-01T00:00:00Z').ledger.readRange(imported, 1, 2);
    await storesOn(legacy, '2025-06-01T07:00:00Z').ledger.importEvents(imported, importedEvents);
    const recent = await openCaseAt(legacy, '2025-06-01T08:00:00Z');
    const { events, requests } = await readAll(legacy, '2025-05-20T00:00:00Z', '2025-12-31T23:59:59.999Z');
    expect(events.map((event) => event.streamId)).toEqual([old, old, recent, recent]);
    // The days before markers began (20 May to 1 June, the day of the first) are each read; then only
    // the marked ones (none).
    expect(requests).toEqual({ GetItemCommand: 1, QueryCommand: 1 + 13 * 8 });
  });
});
