import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IdentifiedEvent } from '../../domain/append-rules.ts';
import { caseTimeline, foldCase } from '../../domain/fold-case.ts';
import { PROJECTION_REVISION } from '../../domain/projection-revision.ts';
import type { Services } from '../../functions/services.ts';
import { jsonAt, typedClient } from '../support/api-client.ts';
import { countRequests } from '../support/request-counter.ts';
import { consularVisit, detained, event, opening, record, released } from '../support/sample-events.ts';
import { servicesOn } from '../support/test-services.ts';
import { createTestTables, type TestTables } from '../support/test-tables.ts';

const GROUP = 'g-cost';
const NOW = new Date('2025-12-20T12:00:00Z');
const RECORDED_AT = '2025-12-19T12:00:00Z';

let db: TestTables;
let services: Services;
let client: Awaited<ReturnType<typeof typedClient>>;

beforeAll(async () => {
  db = await createTestTables('alerts-cost');
  services = servicesOn(db, { clock: () => NOW });
  client = await typedClient(services.app);
});
afterAll(() => db.drop());

/** Stores a case's view as the projector would, folded from its events as of the day before the call. */
async function storeCase(caseId: string, groupId: string, events: IdentifiedEvent[]): Promise<void> {
  const stored = record([opening({ occurredAt: '2025-06-01T09:00:00Z', groupId }), ...events], {
    streamId: caseId,
    recordedAt: () => RECORDED_AT,
  });
  const projectedAt = new Date(RECORDED_AT);
  const projection = {
    view: foldCase(caseId, stored, { asOf: projectedAt }),
    timeline: caseTimeline(stored),
    projectedAt,
  };
  expect(await services.views.put(projection, PROJECTION_REVISION)).toBe(true);
}

const COURT = 'Invented District Court';

/**
 * People in custody, visited two days ago (some with a hearing to come, some seen at one held), and people
 * released long ago: none of them alerts.
 */
async function addQuietCases(from: number, to: number): Promise<void> {
  for (let index = from; index < to; index += 1) {
    const held = [detained('2025-12-01'), consularVisit('2025-12-18')];
    const events =
      index % 3 === 0
        ? [detained('2025-06-30'), released('2025-07-15')]
        : index % 3 === 1
          ? [...held, event('HearingScheduled', '2025-12-02', { court: COURT, on: '2026-01-15' })]
          : [
              ...held,
              event('HearingScheduled', '2025-12-02', { court: COURT, on: '2025-12-10' }),
              event('HearingHeld', '2025-12-10', { court: COURT, on: '2025-12-10', attended: 'yes' }),
            ];
    await storeCase(`quiet-${index}`, index % 2 === 0 ? GROUP : 'g-other', events);
  }
}

/** What one call of `GET /alerts` sends to DynamoDB, by command, and what it answers. */
async function callCost(query: Record<string, string>) {
  const counter = countRequests(db.clients.client);
  const answer = await jsonAt(await client.alerts.$get({ query }), 200);
  return { requests: counter.snapshot(), alerts: answer.alerts };
}

describe('what GET /alerts as of now costs', () => {
  it('sends the same DynamoDB requests with 10 and with 300 cases that do not alert', async () => {
    // Held since June with no visit: overdue and without news at the default thresholds.
    for (const caseId of ['loud-1', 'loud-2', 'loud-3'])
      await storeCase(caseId, GROUP, [detained('2025-06-30')]);
    // Visited lately, but nothing is recorded of the hearing of 10 December.
    await storeCase('loud-4', GROUP, [
      detained('2025-12-01'),
      consularVisit('2025-12-18'),
      event('HearingScheduled', '2025-12-02', { court: COURT, on: '2025-12-10' }),
    ]);
    await addQuietCases(0, 10);
    const few = { all: await callCost({}), group: await callCost({ groupId: GROUP }) };
    await addQuietCases(10, 300);
    const many = { all: await callCost({}), group: await callCost({ groupId: GROUP }) };

    expect(few.all.alerts.map((alert) => alert.caseId).sort()).toEqual([
      'loud-1',
      'loud-1',
      'loud-2',
      'loud-2',
      'loud-3',
      'loud-3',
      'loud-4',
    ]);
    expect(few.all.alerts.find((alert) => alert.caseId === 'loud-4')).toMatchObject({
      kind: 'not_seen_at_hearing',
      since: '2025-12-10',
      days: 10,
      held: false,
    });
    expect(many.all.alerts).toEqual(few.all.alerts);
    expect(many.group.alerts).toEqual(few.all.alerts);
    expect(many.all.requests).toEqual(few.all.requests);
    expect(many.group.requests).toEqual(few.group.requests);
    // Five alert indexes and the tamper signals, eight shards each; no view read, no Scan.
    expect(many.all.requests).toEqual({ QueryCommand: 48 });
  });
});
