import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pseudonymOf } from '../../functions/api/auth/personal-data.ts';
import type { Role } from '../../functions/api/auth/principal.ts';
import type { Services } from '../../functions/services.ts';
import { jsonAt, typedClient } from '../support/api-client.ts';
import { projectCases } from '../support/project-cases.ts';
import { consularVisit, detained, withoutId } from '../support/sample-events.ts';
import { servicesOn } from '../support/test-services.ts';
import { createTestTables, type TestTables } from '../support/test-tables.ts';
import { testToken } from '../support/tokens.ts';

let db: TestTables;
let services: Services;
let now = new Date('2026-02-01T12:00:00.000Z');

/** An invented person whose name is a token no other part of an answer could hold. */
const person = { name: 'Quorvath Ellisandre', nationality: 'Utopia', birthYear: 1980 };
const caseId = 'subject-1';

async function caller(roles: readonly Role[], pii = false) {
  return typedClient(services.app, await testToken(roles, { pii }));
}

async function caseAs(
  client: Awaited<ReturnType<typeof caller>>,
  query: { asOf?: string; knownAt?: string } = {},
  header: { 'if-none-match'?: string } = {},
) {
  return client.cases[':caseId'].$get({ param: { caseId }, query, header });
}

beforeAll(async () => {
  db = await createTestTables('case-subject');
  services = servicesOn(db, { clock: () => now });
  const recorder = await caller(['recorder']);
  const opened = await recorder.cases.$post({
    header: {},
    json: { caseId, subject: person, occurredAt: '2026-01-10', events: [withoutId(detained('2026-01-10'))] },
  });
  expect(opened.status).toBe(201);
  now = new Date('2026-02-10T12:00:00.000Z');
  await recorder.cases[':caseId'].events.$post({
    param: { caseId },
    header: {},
    json: { events: [withoutId(consularVisit('2026-02-09'))] },
  });
  await projectCases(services, caseId);
});
afterAll(() => db.drop());

describe('GET /cases/{caseId}: who the case is about', () => {
  it('shows a viewer the pseudonym and the nationality, and the name nowhere in the answer, at every moment', async () => {
    const viewer = await caller(['viewer']);
    const auditor = await caller(['auditor']);
    const stand = { pseudonym: pseudonymOf(caseId), nationality: 'Utopia' };
    for (const answer of [
      await caseAs(viewer),
      await caseAs(viewer, { asOf: '2026-01-20' }),
      await caseAs(auditor, { knownAt: '2026-02-01T13:00:00Z' }),
    ]) {
      const text = await answer.text();
      expect(answer.status).toBe(200);
      expect(JSON.parse(text).subject).toEqual(stand);
      expect(text).not.toContain('Quorvath');
      expect(text).not.toContain('1980');
    }
    expect((await caseAs(viewer)).headers.get('etag')).toBe('"3"');
  });

  it('shows the name in clear with the pii scope or as admin, also as of and as known at a moment', async () => {
    const pii = await caller(['auditor'], true);
    const admin = await caller(['admin']);
    for (const answer of [
      await caseAs(pii),
      await caseAs(admin),
      await caseAs(pii, { asOf: '2026-01-20' }),
      await caseAs(pii, { knownAt: '2026-02-01T13:00:00Z' }),
    ]) {
      expect((await jsonAt(answer, 200)).subject).toEqual(person);
    }
    const known = await jsonAt(await caseAs(pii, { knownAt: '2026-02-01T13:00:00Z' }), 200);
    expect(known.version).toBe(2);
    expect((await caseAs(pii)).headers.get('etag')).toBe('"3-clear"');
  });

  it('reads [erased] after an erasure, and a cached answer with the name no longer matches', async () => {
    const pii = await caller(['auditor'], true);
    const before = await caseAs(pii);
    const tagBefore = before.headers.get('etag');
    expect(tagBefore).toBe('"3-clear"');

    now = new Date('2026-02-11T12:00:00.000Z');
    const admin = await caller(['admin']);
    const erased = await admin.cases[':caseId'].erase.$post({
      param: { caseId },
      json: { reason: 'Request of the person (invented)' },
    });
    expect(erased.status).toBe(200);

    // The projector has not caught up: the view is still at version 3, but the name is gone already.
    const lagging = await caseAs(pii, {}, { 'if-none-match': tagBefore! });
    expect(lagging.status).toBe(200);
    expect((await jsonAt(lagging, 200)).subject).toEqual({ name: '[erased]', nationality: 'Utopia' });
    expect(lagging.headers.get('etag')).toBe('"3-erased"');

    await projectCases(services, caseId);
    const projected = await caseAs(pii);
    const body = await jsonAt(projected, 200);
    expect(body.version).toBe(4);
    expect(body.subject).toEqual({ name: '[erased]', nationality: 'Utopia' });
    expect(JSON.stringify(body)).not.toContain('Quorvath');
    expect(projected.headers.get('etag')).toBe('"4-erased"');
    expect((await caseAs(pii, {}, { 'if-none-match': '"4-erased"' })).status).toBe(304);
    // As of a day before the erasure, the person is erased all the same: the key is gone.
    const earlier = await jsonAt(await caseAs(pii, { asOf: '2026-01-20' }), 200);
    expect(earlier.subject).toEqual({ name: '[erased]', nationality: 'Utopia' });
    // A viewer's answer never named the person, so its tag is still the version alone.
    expect((await caseAs(await caller(['viewer']))).headers.get('etag')).toBe('"4"');
  });

  it('takes the tag of an answer with the person as If-Match, for the version it names', async () => {
    const recorder = await typedClient(services.app, await testToken(['recorder'], { pii: true }));
    const append = (ifMatch: string) =>
      recorder.cases[':caseId'].events.$post({
        param: { caseId },
        header: { 'if-match': ifMatch },
        json: { events: [withoutId(consularVisit('2026-02-10'))] },
      });
    expect((await append('"3-erased"')).status).toBe(412);
    expect((await append('"4-erased"')).status).toBe(201);
    expect((await append('"5-named"')).status).toBe(400);
  });

  it('answers 404 for an unknown case', async () => {
    const viewer = await caller(['viewer']);
    const answer = await viewer.cases[':caseId'].$get({
      param: { caseId: 'subject-none' },
      query: {},
      header: {},
    });
    expect(answer.status).toBe(404);
  });
});
