import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewEvent } from '../../domain/event-catalogue.ts';
import { GENESIS_HASH, hashEvent, verifyChain } from '../../domain/hash-chain.ts';
import { answeredEventSchema, recordedEventSchema } from '../../domain/recorded-event-schema.ts';
import type { StoredEvent } from '../../domain/stored-event.ts';
import type { Services } from '../../functions/services.ts';
import { jsonAt, typedClient } from '../support/api-client.ts';
import { projectCases } from '../support/project-cases.ts';
import { servicesOn } from '../support/test-services.ts';
import { createTestTables, type TestTables } from '../support/test-tables.ts';
import { testToken } from '../support/tokens.ts';

let db: TestTables;
let services: Services;
let now = new Date('2026-03-01T12:00:00.000Z');
let client: Client;

type Client = Awaited<ReturnType<typeof typedClient>>;

/**
 * A free text of every kind, each a word no other part of a test item could contain, as if a name had been
 * typed into it; and structured facts that must stay in clear.
 */
const texts = {
  note: 'Opened at the request of Vexwick Note',
  label: 'vexwick-label',
  title: 'Report naming Vexwick Title',
  publisher: 'Vexwick Publisher Weekly',
  url: 'https://example.org/vexwick-url',
  heldNote: 'Held with Vexwick Cellmate',
  visitNotes: 'Vexwick Visit looked thin',
  familyNotes: 'Vexwick Family called',
  deniedReason: 'Vexwick Denied: no reason given',
  retractedReason: 'Vexwick Retraction: wrong person',
};
const facts = { facility: 'Harbour Remand Centre', charge: 'Taking part in mass disorder (invented)' };
const source = (title = texts.title) => [{ title, publisher: texts.publisher, url: texts.url }];

async function rawItems(tableName: string): Promise<unknown[]> {
  const items: unknown[] = [];
  let start: Record<string, never> | undefined;
  do {
    const page = await db.clients.client.send(
      new ScanCommand({ TableName: tableName, ExclusiveStartKey: start }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey as typeof start;
  } while (start);
  return items;
}

/**
 * A case's history as `caller` is shown it (or stored, with `{ form: 'stored' }`), read as stored events: every
 * form keeps the envelope and hashes, and these tests compare the forms field by field.
 */
async function history(caller: Client, caseId: string, query: { form?: 'stored' } = {}) {
  const answer = await caller.cases[':caseId'].events.$get({ param: { caseId }, query });
  return (await jsonAt(answer, 200)).events as unknown as StoredEvent[];
}

const viewOf = async (caseId: string) =>
  jsonAt(await client.cases[':caseId'].$get({ param: { caseId }, query: {}, header: {} }), 200);
const verifyOf = async (caseId: string) =>
  jsonAt(await client.cases[':caseId'].verify.$get({ param: { caseId } }), 200);
const append = (caller: Client, caseId: string, events: NewEvent[]) =>
  caller.cases[':caseId'].events.$post({ param: { caseId }, header: {}, json: { events } });

const family = '6c0f5a0e-2b1d-4c3e-9f4a-7d8e1b2c3a41';

beforeAll(async () => {
  db = await createTestTables('free-texts');
  services = servicesOn(db, { clock: () => now });
  client = await typedClient(services.app);
  const opened = await client.cases.$post({
    header: {},
    json: {
      caseId: 'texts-1',
      subject: { name: 'Test Person Texts', nationality: 'Utopia' },
      occurredAt: '2026-01-10',
      note: texts.note,
      labels: [texts.label],
      sources: source(),
      events: [
        {
          type: 'Detained',
          occurredAt: '2026-01-10',
          sources: source(),
          note: texts.heldNote,
          data: { place: 'Exampleton', facility: facts.facility },
        },
        {
          type: 'Charged',
          occurredAt: '2026-01-11',
          sources: source(),
          data: { charges: [{ text: facts.charge }] },
        },
        {
          type: 'ConsularVisit',
          occurredAt: '2026-01-12',
          sources: source(),
          data: { by: 'Embassy of Utopia', notes: texts.visitNotes },
        },
        {
          eventId: family,
          type: 'FamilyContact',
          occurredAt: '2026-01-13',
          sources: source(),
          data: { kind: 'call', notes: texts.familyNotes },
        },
        {
          type: 'ConsularAccessDenied',
          occurredAt: '2026-01-14',
          sources: source(),
          data: { by: 'Embassy of Utopia', reason: texts.deniedReason },
        },
        {
          type: 'Retracted',
          occurredAt: '2026-01-15',
          sources: source(),
          data: { eventId: family, reason: texts.retractedReason },
        },
      ],
    },
  });
  expect(opened.status).toBe(201);
  await projectCases(services, 'texts-1');
});
afterAll(() => db.drop());

describe('free texts at rest', () => {
  it('no item of the ledger, views or keys tables holds a free text in clear; structured facts stay in clear', async () => {
    const raw = JSON.stringify(
      await Promise.all([db.tables.ledger, db.tables.views, db.tables.keys].map(rawItems)),
    );
    expect(raw).toContain(facts.facility);
    expect(raw).toContain(facts.charge);
    expect(raw).toContain(family); // the retraction still names the event it takes back
    for (const text of Object.values(texts)) expect(raw, text).not.toContain(text);
    expect(raw).not.toMatch(/vexwick/i);
  });

  it('shows every text in clear with the pii scope, and [sealed] without it; the facts to both', async () => {
    const shown = await history(client, 'texts-1');
    expect(shown[0]).toMatchObject({
      note: texts.note,
      sources: source(),
      data: { labels: [texts.label], subject: { name: 'Test Person Texts' } },
    });
    expect(shown.map((event) => event.data)).toMatchObject([
      {},
      { facility: facts.facility },
      { charges: [{ text: facts.charge }] },
      { notes: texts.visitNotes },
      { notes: texts.familyNotes },
      { reason: texts.deniedReason },
      { eventId: family, reason: texts.retractedReason },
    ]);
    const auditor = await typedClient(services.app, await testToken(['auditor']));
    const withheld = await history(auditor, 'texts-1');
    const sealed = { title: '[sealed]', publisher: '[sealed]', url: '[sealed]' };
    expect(withheld[0]).toMatchObject({
      note: '[sealed]',
      sources: [sealed],
      data: { labels: ['[sealed]'] },
    });
    expect(withheld.map((event) => event.data)).toMatchObject([
      {},
      { facility: facts.facility, place: 'Exampleton' },
      { charges: [{ text: facts.charge }] },
      { by: 'Embassy of Utopia', notes: '[sealed]' },
      { kind: 'call', notes: '[sealed]' },
      { reason: '[sealed]' },
      { eventId: family, reason: '[sealed]' },
    ]);
    expect(JSON.stringify(withheld)).not.toMatch(/vexwick/i);
    // The same events, the same hashes: what is shown is not what is hashed.
    expect(withheld.map((event) => event.hash)).toEqual(shown.map((event) => event.hash));
  });

  it('answers in forms the declared schemas describe: shown to either caller, and stored', async () => {
    const content = (events: StoredEvent[]) =>
      events.map(({ streamId, version, recordedAt, recordedBy, prevHash, hash, ...rest }) => rest);
    const auditor = await typedClient(services.app, await testToken(['auditor']));
    for (const events of [await history(client, 'texts-1'), await history(auditor, 'texts-1')]) {
      for (const event of content(events)) expect(answeredEventSchema.parse(event)).toEqual(event);
    }
    const stored = content(await history(client, 'texts-1', { form: 'stored' }));
    for (const event of stored) {
      expect(answeredEventSchema.parse(event)).toEqual(event);
      expect(recordedEventSchema.parse(event)).toEqual(event);
    }
    // An import never takes a placeholder for a text.
    expect(recordedEventSchema.safeParse(content(await history(auditor, 'texts-1'))[3]).success).toBe(false);
  });

  it('stores each text as a small typed box, bound to its place: one moved elsewhere does not open', async () => {
    const stored = await history(client, 'texts-1', { form: 'stored' });
    expect(stored[0]!.note).toEqual({
      alg: 'A256GCM',
      iv: expect.any(String),
      ciphertext: expect.any(String),
    });
    expect(verifyChain(stored).ok).toBe(true);
    const opener = await services.subjects.openerFor('texts-1');
    const box = stored[3]!.type === 'ConsularVisit' ? stored[3]!.data.notes : undefined;
    expect(opener.text(box, stored[3]!.eventId, 'data.notes')).toBe(texts.visitNotes);
    expect(opener.text(box, stored[3]!.eventId, 'note')).toBe('[unreadable]');
    expect(opener.text(box, stored[4]!.eventId, 'data.notes')).toBe('[unreadable]');
  });
});

describe('free texts and erasure', () => {
  it('reads [erased] in every text once the case is erased, while hashes, verify, the view and the erasure hold', async () => {
    const before = await history(client, 'texts-1', { form: 'stored' });
    now = new Date('2026-03-02T09:00:00.000Z');
    const erased = await client.cases[':caseId'].erase.$post({
      param: { caseId: 'texts-1' },
      json: { reason: 'Request of the person (invented)' },
    });
    expect(erased.status).toBe(200);
    await projectCases(services, 'texts-1');

    const shown = await history(client, 'texts-1');
    expect(shown[0]).toMatchObject({
      note: '[erased]',
      sources: [{ title: '[erased]', publisher: '[erased]', url: '[erased]' }],
      data: { labels: ['[erased]'], subject: { name: '[erased]' } },
    });
    expect(shown.slice(3, 7).map((event) => event.data)).toMatchObject([
      { notes: '[erased]' },
      { notes: '[erased]' },
      { reason: '[erased]' },
      { eventId: family, reason: '[erased]' },
    ]);
    // Who erased and why stays readable: it is no news about the person.
    expect(shown[7]).toMatchObject({ type: 'Erased', data: { reason: 'Request of the person (invented)' } });
    expect(JSON.stringify(shown)).not.toMatch(/vexwick/i);

    const after = await history(client, 'texts-1', { form: 'stored' });
    expect(after.slice(0, before.length)).toEqual(before);
    expect(await verifyOf('texts-1')).toMatchObject({ ok: true, events: 8 });
    expect(await viewOf('texts-1')).toMatchObject({
      status: 'detained',
      facility: facts.facility,
      charges: [{ text: facts.charge }],
    });
  });

  it('still records facts after an erasure, destroys their texts as they arrive, and brings no key back', async () => {
    const release = {
      eventId: '1e4a9d2c-7b3f-4a6e-8c5d-2f9b0a1c3d4e',
      type: 'Released',
      occurredAt: '2026-03-01',
      sources: [{ title: 'Vexwick Release report' }],
      note: 'Vexwick collected at the gate',
      data: { mode: 'bail', announced: true },
    } satisfies NewEvent;
    const recorded = await append(client, 'texts-1', [release]);
    expect(recorded.status).toBe(201);
    const recordedBody = await jsonAt(recorded, 201);
    expect(recordedBody.events[0]).toMatchObject({
      note: '[erased]',
      sources: [{ title: '[erased]' }],
      data: { mode: 'bail', announced: true },
    });
    expect(await services.subjects.hasKey('texts-1')).toBe(false);
    // A retry of that append is still recognised: its fingerprint is over the facts it kept.
    const retry = await append(client, 'texts-1', [release]);
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await jsonAt(retry, 201)).toEqual(recordedBody);
    const changed = await append(client, 'texts-1', [
      { ...release, data: { mode: 'pardon', announced: true } },
    ]);
    expect(changed.status).toBe(409);

    await projectCases(services, 'texts-1');
    expect(await viewOf('texts-1')).toMatchObject({ status: 'released', version: 9 });
    const raw = JSON.stringify(await rawItems(db.tables.ledger));
    expect(raw).not.toMatch(/vexwick/i);
    expect(await verifyOf('texts-1')).toMatchObject({ ok: true, events: 9 });
  });
});

describe('texts recorded before sealing', () => {
  it('still read, to pii readers only, and a new append to such a case gets the case its first key', async () => {
    // A case as the ledger stored it before free texts (and subjects) were sealed: all in clear, no key.
    const unhashed = {
      streamId: 'texts-old',
      version: 1,
      eventId: '3b8e1f0a-5c2d-4e7f-9a1b-6d4c2e8f0a13',
      type: 'CaseOpened' as const,
      occurredAt: '2025-01-05',
      sources: [{ title: 'Old intake by Vexwick Clerk' }],
      note: 'Old note about Vexwick Elder',
      data: { subject: { name: 'Test Person Elder', nationality: 'Utopia' }, labels: ['old-label'] },
      recordedAt: '2025-01-05T10:00:00.000Z',
      recordedBy: 'old-desk',
      prevHash: GENESIS_HASH,
    };
    // The stored types know only sealed subjects; a clear one is what such a ledger holds all the same.
    const old = { ...unhashed, hash: hashEvent(unhashed as never) } as unknown as StoredEvent;
    await services.ledger.importEvents('texts-old', [old]);

    const shown = await history(client, 'texts-old');
    expect(shown[0]).toMatchObject({
      note: 'Old note about Vexwick Elder',
      sources: [{ title: 'Old intake by Vexwick Clerk' }],
      data: { labels: ['old-label'], subject: { name: 'Test Person Elder' } },
    });
    const auditor = await typedClient(services.app, await testToken(['auditor']));
    expect((await history(auditor, 'texts-old'))[0]).toMatchObject({
      note: '[sealed]',
      data: { labels: ['[sealed]'] },
    });

    const appended = await append(client, 'texts-old', [
      {
        type: 'ConsularVisit',
        occurredAt: '2025-02-01',
        sources: source(),
        data: { by: 'Embassy of Utopia' },
      },
    ]);
    expect(appended.status).toBe(201);
    expect((await jsonAt(appended, 201)).events[0]?.sources).toEqual(source());
    expect(await services.subjects.hasKey('texts-old')).toBe(true);
    const stored = await history(client, 'texts-old', { form: 'stored' });
    expect(stored[1]!.sources[0]!.title).toEqual(expect.objectContaining({ alg: 'A256GCM' }));
    expect(verifyChain(stored).ok).toBe(true);
  });

  it('recognises the retry of an event whose guard holds the plain fingerprint of before', async () => {
    const head = (await services.ledger.head('texts-old'))!;
    const submitted = {
      eventId: '7c9e1a3b-5d7f-4b9a-8c1e-3f5a7b9c1d24',
      type: 'ConsularVisit' as const,
      occurredAt: '2025-02-02',
      sources: [{ title: 'Old visit report' }],
      data: { by: 'Embassy of Utopia', notes: 'Old visit notes' },
    };
    // As the ledger wrote it before texts were sealed: in clear, its guard over the plain hash of it.
    const unhashed = {
      streamId: 'texts-old',
      version: head.version + 1,
      ...submitted,
      recordedAt: '2025-02-02T10:00:00.000Z',
      recordedBy: 'old-desk',
      prevHash: head.hash,
    };
    await services.ledger.importEvents('texts-old', [
      { ...unhashed, hash: hashEvent(unhashed as never) } as unknown as StoredEvent,
    ]);
    const oldDesk = await typedClient(
      services.app,
      await testToken(['recorder'], { subject: 'old-desk', pii: true }),
    );
    const retry = await append(oldDesk, 'texts-old', [submitted]);
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect((await jsonAt(retry, 201)).events[0]).toMatchObject({
      version: head.version + 1,
      data: { notes: 'Old visit notes' },
    });
    const changed = await append(oldDesk, 'texts-old', [
      { ...submitted, data: { ...submitted.data, notes: 'Other notes' } },
    ]);
    expect(changed.status).toBe(409);
  });
});
