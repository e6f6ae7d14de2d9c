import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { CaseStatus } from '../../domain/case-status.ts';
import type { CaseView } from '../../domain/case-view.ts';
import { caseTimeline, foldCase } from '../../domain/fold-case.ts';
import { createDynamoDBClients } from '../../functions/dynamodb-clients.ts';
import type { Projection, StoredView } from '../../functions/store/stored-view.ts';
import { ViewStore } from '../../functions/store/view-store.ts';
import { shardOf } from '../../functions/tables/shards.ts';
import { filterPartition, listFilterIndexes } from '../../functions/tables/view-keys.ts';
import { countRequests } from '../support/request-counter.ts';
import { detained, opening, record } from '../support/sample-events.ts';
import { createTestTables, type TestTables } from '../support/test-tables.ts';

let db: TestTables;
let views: ViewStore;

beforeAll(async () => {
  db = await createTestTables('view-store');
  views = new ViewStore({ documents: db.clients.documents, tableName: db.tables.views });
});
afterAll(() => db.drop());

function view(caseId: string, version: number, changes: Partial<CaseView> = {}): CaseView {
  return { ...foldCase(caseId, []), version, ...changes };
}

/** These tests are about keys and versions; the timeline of a case with no events is empty. */
function projection(view: CaseView, projectedAt = new Date('2026-01-01T00:00:00Z')): Projection {
  return { view, timeline: caseTimeline([]), projectedAt };
}

describe('the version rule', () => {
  it('lets the same version and revision be replaced only by a fold taken later, when a pending date may count', async () => {
    const early = new Date('2025-10-15T00:00:00Z');
    const late = new Date('2025-11-02T00:00:00Z');
    expect(await views.put(projection(view('vr-3', 2, { pending: ['e-1'] }), early), 1)).toBe(true);
    expect(await views.put(projection(view('vr-3', 2, { facility: 'counted' }), late), 1)).toBe(true);
    expect(await views.put(projection(view('vr-3', 2, { pending: ['e-1'] }), early), 1)).toBe(false);
    expect(await views.put(projection(view('vr-3', 2, { facility: 'again' }), late), 1)).toBe(false);
    expect((await views.get('vr-3'))?.view.facility).toBe('counted');
  });

  it('writes a newer version, and never an older one or the same one again', async () => {
    expect(await views.put(projection(view('vr-1', 3, { facility: 'third' })), 1)).toBe(true);
    expect(await views.put(projection(view('vr-1', 2, { facility: 'second' })), 1)).toBe(false);
    expect(await views.put(projection(view('vr-1', 3, { facility: 'replayed' })), 1)).toBe(false);
    expect((await views.get('vr-1'))?.view.facility).toBe('third');
    expect(await views.put(projection(view('vr-1', 4, { facility: 'fourth' })), 1)).toBe(true);
    expect((await views.get('vr-1'))?.view.facility).toBe('fourth');
  });

  it('lets a newer projection revision replace a view of the same version, but not an older revision', async () => {
    await views.put(projection(view('vr-2', 5, { facility: 'rev1' })), 1);
    expect(await views.put(projection(view('vr-2', 5, { facility: 'rev2' })), 2)).toBe(true);
    expect(await views.put(projection(view('vr-2', 5, { facility: 'rev1 again' })), 1)).toBe(false);
    expect(await views.get('vr-2')).toEqual({
      ...projection(view('vr-2', 5, { facility: 'rev2' })),
      projectionRevision: 2,
    });
  });
});

describe('reading a view', () => {
  it('leaves the timeline unread when asked to, and gives the same view, moment and revision', async () => {
    const stored = projection(view('rv-1', 3, { facility: 'read' }));
    await views.put(stored, 2);
    const whole = await views.get('rv-1');
    const viewOnly = await views.get('rv-1', { timeline: false });
    expect(whole).toEqual({ ...stored, projectionRevision: 2 });
    expect(viewOnly).toEqual({ view: stored.view, projectedAt: stored.projectedAt, projectionRevision: 2 });
    expect(await views.get('rv-missing', { timeline: false })).toBeUndefined();
  });
});

describe('lists', () => {
  const statuses: CaseStatus[] = ['detained', 'released', 'sentenced'];
  const cases = Array.from({ length: 23 }, (_, i) => ({
    caseId: `list-${String(i).padStart(2, '0')}`,
    status: statuses[i % 3]!,
    groupId: i < 17 ? 'mass-arrest' : 'other',
  }));

  beforeAll(async () => {
    await Promise.all(
      cases.map((c) => views.put(projection(view(c.caseId, 1, { status: c.status, groupId: c.groupId })), 1)),
    );
  });

  async function allPages(filter: { status?: CaseStatus; groupId?: string }, limit: number) {
    const pages: string[][] = [];
    let after: string | undefined;
    do {
      const page = await views.list({ ...filter, limit, ...(after !== undefined && { after }) });
      pages.push(page.views.map((v) => v.caseId));
      after = page.continueAfter;
    } while (after !== undefined);
    return pages;
  }

  const expected = (keep: (c: (typeof cases)[number]) => boolean) =>
    cases
      .filter(keep)
      .filter((c) => c.caseId.startsWith('list-'))
      .map((c) => c.caseId);

  it('pages through every case exactly once, in case-id order, across all shards', async () => {
    const pages = await allPages({}, 5);
    const listed = pages.flat().filter((id) => id.startsWith('list-'));
    expect(listed).toEqual(expected(() => true));
    expect(pages.slice(0, -1).every((page) => page.length === 5)).toBe(true);
  });

  it('filters by status, by group, and by both', async () => {
    expect((await allPages({ status: 'released' }, 4)).flat()).toEqual(
      expected((c) => c.status === 'released'),
    );
    expect((await allPages({ groupId: 'mass-arrest' }, 4)).flat()).toEqual(
      expected((c) => c.groupId === 'mass-arrest'),
    );
    expect((await allPages({ groupId: 'mass-arrest', status: 'detained' }, 2)).flat()).toEqual(
      expected((c) => c.groupId === 'mass-arrest' && c.status === 'detained'),
    );
  });

  it('has no next page when the last page is exactly full', async () => {
    const released = expected((c) => c.status === 'released');
    const page = await views.list({ status: 'released', limit: released.length });
    expect(page.views.map((v) => v.caseId)).toEqual(released);
    expect(page.continueAfter).toBeUndefined();
  });

  it('moves a case between status lists when its status changes', async () => {
    await views.put(projection(view('list-00', 2, { status: 'deceased', groupId: 'mass-arrest' })), 1);
    expect((await views.list({ status: 'deceased', limit: 10 })).views.map((v) => v.caseId)).toEqual([
      'list-00',
    ]);
    expect((await views.list({ status: 'detained', limit: 50 })).views.map((v) => v.caseId)).not.toContain(
      'list-00',
    );
  });
});

describe('pages of stored views, for the callers that fold', () => {
  /** Three cases of one group, each with a timeline of its own: a detention on a day of its own. */
  const folded = ['fold-a', 'fold-b', 'fold-c'].map((caseId, i) => {
    const events = record([opening({ groupId: 'folding' }), detained(`2025-06-2${i}`, `Prison ${i}`)], {
      streamId: caseId,
    });
    return {
      view: foldCase(caseId, events),
      timeline: caseTimeline(events),
      projectedAt: new Date(`2026-01-0${i + 1}T00:00:00Z`),
    };
  });

  beforeAll(async () => {
    for (const each of folded) await views.put(each, 3);
  });

  it('keep the timeline out of the list indexes: they copy the keys and the view alone', async () => {
    const { Items } = await db.clients.documents.send(
      new QueryCommand({
        TableName: db.tables.views,
        IndexName: listFilterIndexes.groupId.indexName,
        KeyConditionExpression: '#k = :k',
        ExpressionAttributeNames: { '#k': listFilterIndexes.groupId.keyName },
        ExpressionAttributeValues: { ':k': filterPartition('groupId', 'folding', shardOf('fold-a')) },
      }),
    );
    const copy = Items?.find((item) => item.caseId === 'fold-a');
    expect(copy?.view).toBeDefined();
    expect(copy?.timeline).toBeUndefined();
    expect(copy?.projectedAt).toBeUndefined();
  });

  it('give each view with the timeline, moment and revision of its base item, a page at a time', async () => {
    const pages: StoredView[][] = [];
    for await (const page of views.storedPages({ groupId: 'folding' }, 2)) pages.push(page);
    expect(pages.map((page) => page.length)).toEqual([2, 1]);
    expect(pages.flat()).toEqual(folded.map((each) => ({ ...each, projectionRevision: 3 })));
  });

  it('are read from the base items only there: lists and exports read the index alone', async () => {
    const clients = createDynamoDBClients({ endpoint: inject('dynamodbEndpoint') });
    const counted = countRequests(clients.client);
    const counting = new ViewStore({ documents: clients.documents, tableName: db.tables.views });
    try {
      const listed = await counting.list({ groupId: 'folding', limit: 10 });
      const exported: CaseView[] = [];
      for await (const page of counting.pages({ groupId: 'folding' })) exported.push(...page);
      expect(listed.views).toEqual(folded.map((each) => each.view));
      expect(exported).toEqual(folded.map((each) => each.view));
      expect(Object.keys(counted.snapshot())).toEqual(['QueryCommand']);

      // One page of three: the index's queries, then one BatchGetItem of their base items.
      counted.reset();
      const stored: StoredView[] = [];
      for await (const page of counting.storedPages({ groupId: 'folding' })) stored.push(...page);
      expect(stored.map((each) => each.timeline)).toEqual(folded.map((each) => each.timeline));
      expect(counted.snapshot().BatchGetItemCommand).toBe(1);
    } finally {
      clients.client.destroy();
    }
  });
});
