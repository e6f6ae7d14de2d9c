import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Services } from '../../functions/services.ts';
import { subjectIn } from '../support/answered-events.ts';
import { answered, ledgerItemCount, typedClient } from '../support/api-client.ts';
import { servicesOn } from '../support/test-services.ts';
import { createTestTables, type TestTables } from '../support/test-tables.ts';
import { testToken } from '../support/tokens.ts';

/**
 * The attack: a recorder without the pii scope knows a case's id and its opening's event id (an Idempotency-Key
 * seen in a log, an id in an export) and wants to know whether the person is who they think. They replay the
 * opening with their guess. If a right guess came back as a replay and a wrong one as a conflict, the ledger
 * would confirm a name to someone not allowed to read it.
 */
let db: TestTables;
let services: Services;
let desk: Awaited<ReturnType<typeof typedClient>>;
let prying: Awaited<ReturnType<typeof typedClient>>;
const now = new Date('2026-02-01T12:00:00.000Z');

const person = { name: 'Test Person Guessed', nationality: 'Utopia', birthYear: 1988 };
const openingId = '5d2c8e4a-1f3b-4a7c-9e6d-0b8a2c4e6f13';
const visitId = '8a1b3c5d-7e9f-4a2b-8c4d-6e8f0a2b4c61';
const opening = (subject: { name: string; nationality?: string; birthYear?: number }) => ({
  caseId: 'guess-1',
  eventId: openingId,
  subject,
  occurredAt: '2026-01-20',
  sources: [{ title: 'Intake form (invented)' }],
});
const visit = (notes: string) => ({
  eventId: visitId,
  type: 'ConsularVisit' as const,
  occurredAt: '2026-01-25',
  sources: [{ title: 'Visit report (invented)' }],
  data: { by: 'Embassy of Utopia', notes },
});

/** What an answer says, apart from what is only the transport's. */
const said = (answer: { status: number; body: unknown }) => ({ status: answer.status, body: answer.body });

const open = (client: typeof desk, subject: Parameters<typeof opening>[0]) =>
  answered(client.cases.$post({ header: {}, json: opening(subject) }));
const record = (client: typeof desk, notes: string) =>
  answered(
    client.cases[':caseId'].events.$post({
      param: { caseId: 'guess-1' },
      header: {},
      json: { events: [visit(notes)] },
    }),
  );

beforeAll(async () => {
  db = await createTestTables('replay-oracle');
  services = servicesOn(db, { clock: () => now });
  desk = await typedClient(services.app, await testToken(['recorder'], { subject: 'desk-amara', pii: true }));
  prying = await typedClient(services.app, await testToken(['recorder'], { subject: 'desk-bertil' }));
  expect((await open(desk, person)).status).toBe(201);
  const visited = await record(desk, 'Asked about Test Person Guessed');
  expect(visited.status).toBe(201);
});
afterAll(() => db.drop());

describe('replaying an event id with a guess', () => {
  it('answers a right and a wrong guess of the subject with the same 409, and stores nothing', async () => {
    const before = await ledgerItemCount(db);
    const right = await open(prying, person);
    const wrong = await open(prying, { ...person, name: 'Test Person Other' });
    expect(right.status).toBe(409);
    expect(said(right)).toEqual(said(wrong));
    expect(JSON.stringify(right.body)).not.toContain('Guessed');
    expect(await ledgerItemCount(db)).toBe(before);
  });

  it('answers a right and a wrong guess of a free text with the same 409', async () => {
    const right = await record(prying, 'Asked about Test Person Guessed');
    const wrong = await record(prying, 'Asked about someone else');
    expect(right.status).toBe(409);
    expect(said(right)).toEqual(said(wrong));
  });

  it('still answers the recorder’s own retry with the original result, and their changed one with 409', async () => {
    const retry = await open(desk, person);
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.status === 201 && subjectIn(retry.body.events[0])).toEqual(person);
    const changed = await open(desk, { ...person, name: 'Test Person Other' });
    expect(changed.status).toBe(409);
  });
});
