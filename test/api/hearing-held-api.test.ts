import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewEvent } from '../../domain/event-catalogue.ts';
import type { Services } from '../../functions/services.ts';
import { jsonAt, ledgerItemCount, rawRequest, typedClient } from '../support/api-client.ts';
import { projectCases } from '../support/project-cases.ts';
import { inventedSource } from '../support/sample-events.ts';
import { servicesOn } from '../support/test-services.ts';
import { createTestTables, type TestTables } from '../support/test-tables.ts';
import { testToken } from '../support/tokens.ts';

let db: TestTables;
let services: Services;
let client: Client;

type Client = Awaited<ReturnType<typeof typedClient>>;
const now = new Date('2026-03-20T12:00:00.000Z');
const COURT = 'Invented District Court';
/** A decision as a name could be typed into it: it must be sealed like every free text. */
const DECISION = 'Custody extended in the absence of Vexwick Defendant';

const hearingHeld = (data: Record<string, unknown>) => ({
  type: 'HearingHeld',
  occurredAt: '2026-03-10',
  sources: inventedSource,
  data,
});

async function openHeld(caseId: string, events: unknown[]) {
  const answer = await client.cases.$post({
    header: {},
    json: {
      caseId,
      subject: { name: `Test Person ${caseId}`, nationality: 'Utopia' },
      groupId: 'g-hearing',
      events: [
        { type: 'Detained', occurredAt: '2026-03-01', sources: inventedSource, data: { place: 'Capital' } },
        {
          type: 'HearingScheduled',
          occurredAt: '2026-03-02',
          sources: inventedSource,
          data: { court: COURT, on: '2026-03-10' },
        },
        ...(events as NewEvent[]),
      ],
    },
  });
  expect(answer.status, JSON.stringify(await answer.clone().json())).toBe(201);
  await projectCases(services, caseId);
}

const viewOf = async (caseId: string) =>
  jsonAt(await client.cases[':caseId'].$get({ param: { caseId }, query: {}, header: {} }), 200);

const hearingAlerts = async () =>
  (await jsonAt(await client.alerts.$get({ query: { groupId: 'g-hearing' } }), 200)).alerts.filter(
    (alert) => alert.kind === 'not_seen_at_hearing',
  );

beforeAll(async () => {
  db = await createTestTables('hearing-api');
  services = servicesOn(db, { clock: () => now });
  client = await typedClient(services.app);
  await openHeld('C-2001', [
    hearingHeld({ court: COURT, on: '2026-03-10', attended: 'no', decision: DECISION }),
  ]);
  await openHeld('C-2002', [hearingHeld({ court: COURT, on: '2026-03-10', attended: 'unknown' })]);
  await openHeld('C-2003', []);
});
afterAll(() => db.drop());

describe('POST a HearingHeld', () => {
  it('moves the next hearing past it and keeps whether the person was seen', async () => {
    expect(await viewOf('C-2001')).toMatchObject({
      nextHearingAt: null,
      lastHearingAt: '2026-03-10',
      lastHearingAttended: 'no',
    });
    expect(await viewOf('C-2003')).toMatchObject({ nextHearingAt: '2026-03-10', lastHearingAt: null });
  });

  it('stores the decision sealed, shows it with the pii scope and [sealed] without it', async () => {
    const page = await db.clients.client.send(new ScanCommand({ TableName: db.tables.ledger }));
    expect(JSON.stringify(page.Items)).not.toMatch(/vexwick/i);
    const shown = await jsonAt(
      await client.cases[':caseId'].events.$get({ param: { caseId: 'C-2001' }, query: {} }),
      200,
    );
    expect(shown.events.at(-1)?.data).toEqual({
      court: COURT,
      on: '2026-03-10',
      attended: 'no',
      decision: DECISION,
    });
    const auditor = await typedClient(services.app, await testToken(['auditor']));
    const withheld = await jsonAt(
      await auditor.cases[':caseId'].events.$get({ param: { caseId: 'C-2001' }, query: {} }),
      200,
    );
    expect(withheld.events.at(-1)?.data).toMatchObject({ attended: 'no', decision: '[sealed]' });
  });

  it('alerts of the hearing the person was not seen at, and of the one nothing is recorded of', async () => {
    expect(await hearingAlerts()).toEqual([
      { caseId: 'C-2001', kind: 'not_seen_at_hearing', since: '2026-03-10', days: 10, held: true },
      { caseId: 'C-2003', kind: 'not_seen_at_hearing', since: '2026-03-10', days: 10, held: false },
    ]);
  });
});

describe('a HearingHeld that is not valid', () => {
  const good = { court: COURT, on: '2026-03-10', attended: 'yes' };
  const refused: [string, Record<string, unknown>, string][] = [
    ['attended "maybe"', { ...good, attended: 'maybe' }, 'data.attended'],
    ['no attended', { court: COURT, on: '2026-03-10' }, 'data.attended'],
    ['no court', { on: '2026-03-10', attended: 'yes' }, 'data.court'],
    ['a malformed date', { ...good, on: '10.03.2026' }, 'data.on'],
    ['a day that does not exist', { ...good, on: '2026-02-30' }, 'data.on'],
    ['a decision too long', { ...good, decision: 'x'.repeat(2001) }, 'data.decision'],
    ['a court over two lines', { ...good, court: 'Invented\nCourt' }, 'data.court'],
    ['a control character in the decision', { ...good, decision: 'bad\u0007bell' }, 'data.decision'],
    ['an unknown field', { ...good, judge: 'Invented Judge' }, 'data'],
    ['attended as a boolean', { ...good, attended: true }, 'data.attended'],
  ];

  it.each(refused)('is refused with 400 for %s, and nothing is recorded', async (_, data, path) => {
    const before = await ledgerItemCount(db);
    const answer = await rawRequest(services.app, '/cases/C-2003/events', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ events: [hearingHeld(data)] }),
    });
    expect(answer.status).toBe(400);
    const problem = (await answer.json()) as { detail: string; errors?: { path: string }[] };
    expect(problem.detail).toEqual(expect.any(String));
    expect(problem.errors?.map((error) => error.path).join(' ')).toContain(`events.0.${path}`);
    expect(await ledgerItemCount(db)).toBe(before);
    expect(await viewOf('C-2003')).toMatchObject({ version: 3, lastHearingAt: null });
  });
});
