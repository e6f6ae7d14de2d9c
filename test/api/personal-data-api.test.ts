import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pseudonymOf } from '../../functions/api/auth/personal-data.ts';
import type { Services } from '../../functions/services.ts';
import { apiClient } from '../support/api-client.ts';
import { detained, withoutId } from '../support/sample-events.ts';
import { servicesOn } from '../support/test-services.ts';
import { createTestTables, type TestTables } from '../support/test-tables.ts';
import { testToken } from '../support/tokens.ts';

let db: TestTables;
let services: Services;
const now = new Date('2026-01-01T00:00:00Z');
const person = {
  name: 'Test Person Private',
  nationality: 'Utopia',
  birthYear: 1990,
  notes: 'Invented notes',
};

beforeAll(async () => {
  db = await createTestTables('pii');
  services = servicesOn(db, { clock: () => now });
  const recorder = apiClient(services.app, await testToken(['recorder'], { pii: true }));
  const opened = await recorder('POST', '/cases', {
    caseId: 'pii-1',
    subject: person,
    events: [withoutId(detained())],
  });
  expect(opened.status).toBe(201);
});
afterAll(() => db.drop());

async function historyAs(roles: Parameters<typeof testToken>[0], pii: boolean) {
  const call = apiClient(services.app, await testToken(roles, { pii }));
  const json = (await call('GET', '/cases/pii-1/events')).body.events[0].data.subject;
  const ndjson = (await call('GET', '/cases/pii-1/events.ndjson')).body as string;
  const audit = (await call('GET', '/audit?from=2026-01-01&to=2026-01-01')).body.events[0].data.subject;
  return { json, ndjson: JSON.parse(ndjson.split('\n')[0]!).data.subject, audit };
}

describe('personal data in answers', () => {
  it('shows the subject in clear to an auditor with the pii scope, and to an admin', async () => {
    for (const [roles, pii] of [
      [['auditor'], true],
      [['admin'], false],
    ] as const) {
      const seen = await historyAs(roles, pii);
      expect(seen).toEqual({ json: person, ndjson: person, audit: person });
    }
  });

  it('shows everyone else a stable pseudonym and the nationality only, in every form of the history', async () => {
    const seen = await historyAs(['auditor'], false);
    const stand = { pseudonym: pseudonymOf('pii-1'), nationality: 'Utopia' };
    expect(seen).toEqual({ json: stand, ndjson: stand, audit: stand });
    expect(JSON.stringify(seen)).not.toContain('Private');
    expect(pseudonymOf('pii-1')).toBe(pseudonymOf('pii-1'));
    expect(pseudonymOf('pii-1')).not.toBe(pseudonymOf('pii-2'));
  });

  it('does not echo the subject back to a recorder without the pii scope', async () => {
    const recorder = apiClient(services.app, await testToken(['recorder']));
    const opened = await recorder('POST', '/cases', { caseId: 'pii-2', subject: person });
    expect(opened.status).toBe(201);
    expect(opened.body.events[0].data.subject).toEqual({
      pseudonym: pseudonymOf('pii-2'),
      nationality: 'Utopia',
    });
  });

  it('keeps names out of the views, lists and summaries, which viewers read', async () => {
    const viewer = apiClient(services.app, await testToken(['viewer']));
    for (const path of ['/cases', '/cases.csv', '/summary', '/alerts']) {
      const answer = await viewer('GET', path);
      expect(answer.status, path).toBe(200);
      expect(JSON.stringify(answer.body), path).not.toContain('Private');
    }
  });
});
