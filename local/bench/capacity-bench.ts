import { randomBytes, randomUUID } from 'node:crypto';
import { GetCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { NewEvent } from '../../domain/event-catalogue.ts';
import { createDynamoDBClients } from '../../functions/dynamodb-clients.ts';
import { LocalKeyWrapper } from '../../functions/personal-data/local-key-wrapper.ts';
import { createServices } from '../../functions/services.ts';
import { ensureTables, type TableNames } from '../../functions/tables/ensure-tables.ts';
import { ledgerKeys } from '../../functions/tables/ledger-keys.ts';
import { ledgerTable, viewsTable } from '../../functions/tables/table-definitions.ts';
import { viewKeys } from '../../functions/tables/view-keys.ts';
import { createDynamoDBStreamsClient } from '../dynamodb-streams-client.ts';
import { startStreamPoller } from '../stream-poller.ts';
import { openingEvents, scaleStory, visitsNow, withIds } from './bench-events.ts';
import type { BenchTarget } from './bench-target.ts';
import { type CapacityTally, recordCapacity } from './capacity-recorder.ts';
import { type CapacityStep, type ComputedUnits, capacityComparisons } from './capacity-report.ts';
import { type CostedTable, type Item, itemSize, writeCost, writeUnits } from './capacity-units.ts';
import type { Comparison } from './comparison.ts';
import { deleteTables } from './raw-tables.ts';

type Role = keyof TableNames;

/** How often the long case's person was moved: 40 transfers, a timeline of about 4 KB. */
const LONG_CASE_MOVES = 40;

/**
 * The opening and detention a month ago, then `moves` transfers between invented prisons, twelve hours apart:
 * a case whose timeline has a step for each move. One append (at most 50 events).
 */
function movedStory(moves: number): NewEvent[] {
  const [opened, detainedThen] = openingEvents();
  const start = Date.parse(detainedThen!.occurredAt);
  const transfers = Array.from(
    { length: moves },
    (_, index): NewEvent => ({
      type: 'Transferred',
      occurredAt: new Date(start + (index + 1) * 12 * 3_600_000).toISOString(),
      sources: [{ title: 'Benchmark report (invented)', publisher: 'Bench Monitor' }],
      data: { toFacility: `Invented Prison ${index % 2 === 0 ? 'North' : 'South'} ${index}` },
    }),
  );
  return [opened!, detainedThen!, ...transfers];
}

/** A tally with each table named by its role, so the tables read the same in every run. */
function byRole(tally: CapacityTally, tables: TableNames): CapacityTally {
  const roleOf = (name: string | undefined) =>
    (Object.entries(tables) as [Role, string][]).find(([, table]) => table === name)?.[0] ?? name ?? '?';
  return {
    ...tally,
    units: tally.units.map((units) => ({ ...units, table: roleOf(units.table) })),
    unreported: tally.unreported.map((request) => ({ ...request, table: roleOf(request.table) })),
  };
}

/** The write units of `writes` on one table, by the table's own items and by index. */
function computedOf(
  role: Role,
  table: CostedTable,
  writes: readonly { before?: Item; after: Item }[],
  of: string,
  transactional: boolean,
): ComputedUnits[] {
  const totals = new Map<string, number>();
  for (const { before, after } of writes) {
    const cost = writeCost(table, before, after, { transactional });
    totals.set('table', (totals.get('table') ?? 0) + cost.table);
    for (const [index, units] of Object.entries(cost.indexes))
      totals.set(index, (totals.get(index) ?? 0) + units);
  }
  return [...totals].map(([index, writeUnits]) => ({ table: role, index, writeUnits, of }));
}

/**
 * What one append costs on AWS, in capacity units: a case opened with three events, then one more event, each
 * appended through the ledger store and projected by the real projector fed by the local stream poller. The
 * store and the projector each send through a client of their own, which asks DynamoDB for the capacity of
 * every request, so the append's units and its projection's never mix. A first case is appended and projected
 * untallied, so the figures are those of warm stores (the group registry and the day's audit mark are written
 * once per process and day, not per append). Beside what DynamoDB Local reports, the units of the event, guard
 * and view writes are computed from the items as stored.
 */
export async function benchAppendCapacity(target: BenchTarget): Promise<Comparison[]> {
  const tables: TableNames = {
    ledger: `${target.prefix}-capacity-ledger`,
    views: `${target.prefix}-capacity-views`,
    keys: `${target.prefix}-capacity-keys`,
    notifications: `${target.prefix}-capacity-notifications`,
    log: `${target.prefix}-capacity-log`,
  };
  const { documents, client } = target.clients;
  await ensureTables(client, tables);
  const appending = createDynamoDBClients({ endpoint: target.endpoint });
  const projecting = createDynamoDBClients({ endpoint: target.endpoint });
  const appendUnits = recordCapacity(appending.client);
  const projectUnits = recordCapacity(projecting.client);
  const keyWrapper = new LocalKeyWrapper(randomBytes(32));
  const writer = createServices({ clients: appending, tables, keyWrapper });
  const reader = createServices({ clients: projecting, tables, keyWrapper });
  const streamsClient = createDynamoDBStreamsClient({ endpoint: target.endpoint });
  const poller = await startStreamPoller({
    client,
    streamsClient,
    tableName: tables.ledger,
    handler: reader.projector,
  });
  const viewItem = async (caseId: string) =>
    (await documents.send(new GetCommand({ TableName: tables.views, Key: viewKeys.view(caseId) }))).Item;
  const eventItems = async (caseId: string, afterVersion: number) =>
    (
      await documents.send(
        new QueryCommand({
          TableName: tables.ledger,
          KeyConditionExpression: 'streamId = :s AND version > :v',
          ExpressionAttributeValues: { ':s': ledgerKeys.stream(caseId), ':v': afterVersion },
          ConsistentRead: true,
        }),
      )
    ).Items ?? [];
  // The bench's own small table: every count item, to see which a projection wrote (the API never scans).
  const countItems = async () => {
    const items = new Map<string, Item>();
    let start: Record<string, unknown> | undefined;
    do {
      const page = await documents.send(
        new ScanCommand({
          TableName: tables.views,
          FilterExpression: 'begins_with(caseId, :counts)',
          ExpressionAttributeValues: { ':counts': '#counts#' },
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) items.set(String(item.caseId), item);
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  };
  const guardItems = (items: readonly Item[]) =>
    Promise.all(
      items.map(
        async (item) =>
          (
            await documents.send(
              new GetCommand({
                TableName: tables.ledger,
                Key: ledgerKeys.eventIdGuard(String(item.eventId)),
                ConsistentRead: true,
              }),
            )
          ).Item!,
      ),
    );

  /** Appends, projects, and tallies both: the two steps of one append. */
  const appendAndProject = async (
    caseId: string,
    append: () => Promise<unknown>,
    names: { id: string; name: string; projection: string },
  ): Promise<CapacityStep[]> => {
    const before = await viewItem(caseId);
    const countsBefore = await countItems();
    const fromVersion = Number(before?.version ?? 0);
    appendUnits.take();
    projectUnits.take();
    await append();
    const appended = byRole(appendUnits.take(), tables);
    await poller.idle();
    const projected = byRole(projectUnits.take(), tables);
    const events = await eventItems(caseId, fromVersion);
    const guards = await guardItems(events);
    const after = await viewItem(caseId);
    const countsAfter = await countItems();
    const counted = [...countsAfter]
      .filter(([key, item]) => JSON.stringify(countsBefore.get(key)) !== JSON.stringify(item))
      .map(([key, item]) => ({
        ...(countsBefore.has(key) && { before: countsBefore.get(key)! }),
        after: item,
      }));
    // With counts to move, the view and its count items are one TransactWriteItems, which writes each twice.
    const viewWrite =
      counted.length === 0
        ? 'the view PutItem'
        : `the view + ${counted.length} count item${counted.length === 1 ? '' : 's'} (TransactWriteItems)`;
    const count = events.length === 1 ? '1 event' : `${events.length} events`;
    const transaction = `${count} + ${guards.length} id guard${guards.length === 1 ? '' : 's'} (TransactWriteItems)`;
    return [
      {
        id: names.id,
        name: names.name,
        reported: appended,
        computed: computedOf(
          'ledger',
          ledgerTable,
          [...events, ...guards].map((item) => ({ after: item })),
          transaction,
          true,
        ),
        floor: events.reduce((total, item) => total + writeUnits(itemSize(item)), 0),
        floorOf: `the ${count} alone, one PutItem each, no index (computed)`,
      },
      {
        id: `project-${names.id}`,
        name: names.projection,
        reported: projected,
        computed: after
          ? computedOf(
              'views',
              viewsTable,
              [{ ...(before && { before }), after }, ...counted],
              viewWrite,
              counted.length > 0,
            )
          : [],
        floor: after ? writeUnits(itemSize(after)) : 0,
        floorOf: 'the view item alone, one PutItem, no index (computed)',
      },
    ];
  };

  try {
    const warm = `capacity-warm-${randomUUID()}`;
    target.log('scale: capacity units of an append and its projection');
    await writer.ledger.append({
      caseId: warm,
      events: withIds(scaleStory(0)),
      expected: 'no_stream',
      recordedBy: 'bench',
    });
    await poller.idle();
    const caseId = `capacity-${randomUUID()}`;
    const opening = await appendAndProject(
      caseId,
      () =>
        writer.ledger.append({
          caseId,
          events: withIds(scaleStory(1)),
          expected: 'no_stream',
          recordedBy: 'bench',
        }),
      { id: 'open', name: 'opening a case (3 events, one append)', projection: 'projecting the opening' },
    );
    const later = await appendAndProject(
      caseId,
      () =>
        writer.ledger.append({
          caseId,
          events: withIds(visitsNow(1)),
          expected: 'stream_exists',
          recordedBy: 'bench',
        }),
      { id: 'append', name: 'a later event (1 event, one append)', projection: 'projecting the later event' },
    );
    // A case with a long history: its timeline, one step per move, is most of its item, which is where an
    // index's projection shows. Built and projected untallied; then one more event, tallied.
    const longCase = `capacity-long-${randomUUID()}`;
    await writer.ledger.append({
      caseId: longCase,
      events: withIds(movedStory(LONG_CASE_MOVES)),
      expected: 'no_stream',
      recordedBy: 'bench',
    });
    await poller.idle();
    const long = await appendAndProject(
      longCase,
      () =>
        writer.ledger.append({
          caseId: longCase,
          events: withIds(visitsNow(1)),
          expected: 'stream_exists',
          recordedBy: 'bench',
        }),
      {
        id: 'append-long',
        name: `a later event of a case moved ${LONG_CASE_MOVES} times (1 event, one append)`,
        projection: `projecting the later event of the case moved ${LONG_CASE_MOVES} times`,
      },
    );
    return capacityComparisons([...opening, ...later, ...long]);
  } finally {
    await poller.stop();
    streamsClient.destroy();
    appending.client.destroy();
    projecting.client.destroy();
    await deleteTables(client, [tables.ledger, tables.views, tables.keys, tables.notifications, tables.log]);
  }
}
