import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pseudonymOf } from '../../functions/api/auth/personal-data.ts';
import { loadRuntimeConfig } from '../../functions/config.ts';
import type { Services } from '../../functions/services.ts';
import { subjectIn } from '../support/answered-events.ts';
import { jsonAt, typedClient } from '../support/api-client.ts';
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
  const recorder = await typedClient(services.app, await testToken(['recorder'], { pii: true }));
  const opened = await recorder.cases.$post({
    header: {},
    json: { caseId: 'pii-1', subject: person, events: [withoutId(detained())] },
  });
  expect(opened.status).toBe(201);
});
afterAll(() => db.drop());

async function historyAs(roles: Parameters<typeof testToken>[0], pii: boolean) {
  const client = await typedClient(services.app, await testToken(roles, { pii }));
  const param = { caseId: 'pii-1' };
  const history = await jsonAt(await client.cases[':caseId'].events.$get({ param, query: {} }), 200);
  const ndjson = await (await client.cases[':caseId']['events.ndjson'].$get({ param, query: {} })).text();
  const audit = await jsonAt(
    await client.audit.$get({ query: { from: '2026-01-01', to: '2026-01-01' } }),
    200,
  );
  return {
    json: subjectIn(history.events[0]),
    ndjson: subjectIn(JSON.parse(ndjson.split('\n')[0]!)),
    audit: subjectIn(audit.events[0]),
  };
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
    const recorder = await typedClient(services.app, await testToken(['recorder']));
    const opened = await recorder.cases.$post({ header: {}, json: { caseId: 'pii-2', subject: person } });
    expect(opened.status).toBe(201);
    expect(subjectIn((await jsonAt(opened, 201)).events[0])).toEqual({
      pseudonym: pseudonymOf('pii-2'),
      nationality: 'Utopia',
    });
  });

  it('keeps names out of the views, lists and summaries, which viewers read', async () => {
    const viewer = await typedClient(services.app, await testToken(['viewer']));
    const answers = {
      '/cases': await viewer.cases.$get({ query: {} }),
      '/cases.csv': await viewer['cases.csv'].$get({ query: {} }),
      '/summary': await viewer.summary.$get({ query: {} }),
      '/alerts': await viewer.alerts.$get({ query: {} }),
    };
    for (const [path, answer] of Object.entries(answers)) {
      expect(answer.status, path).toBe(200);
      expect(await answer.text(), path).not.toContain('Private');
    }
  });
});

describe('personal data behind API Gateway (AUTH_MODE=api-gateway)', () => {
  /** The event API Gateway's JWT authorizer hands the function: Cognito's groups as a bracketed string. */
  const verifiedBy = (groups: string[]) => ({
    event: {
      requestContext: {
        authorizer: { jwt: { claims: { sub: 'gateway-user', 'cognito:groups': `[${groups.join(' ')}]` } } },
      },
    },
  });

  it('grants pii by a group in the roles claim when OIDC_PII_GROUP names it, as the app does in oidc mode', async () => {
    const { auth } = loadRuntimeConfig({ AUTH_MODE: 'api-gateway', OIDC_PII_GROUP: 'pii' });
    const gateway = servicesOn(db, { clock: () => now, auth });
    const subjectAs = async (groups: string[]) => {
      const answer = await gateway.app.request('/cases/pii-1/events', {}, verifiedBy(groups));
      expect(answer.status).toBe(200);
      return subjectIn(((await answer.json()) as { events: { data: unknown }[] }).events[0]);
    };
    expect(await subjectAs(['auditor', 'pii'])).toEqual(person);
    expect(await subjectAs(['auditor'])).toEqual({ pseudonym: pseudonymOf('pii-1'), nationality: 'Utopia' });
  });
});
