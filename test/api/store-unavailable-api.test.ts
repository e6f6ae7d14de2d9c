import { randomBytes } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createDynamoDBClients, type DynamoDBClients } from '../../functions/dynamodb-clients.ts';
import { LocalKeyWrapper } from '../../functions/personal-data/local-key-wrapper.ts';
import { createServices, type Services } from '../../functions/services.ts';
import { ensureTables } from '../../functions/tables/ensure-tables.ts';
import { type DynamoDBLocal, startDynamoDBLocal } from '../../local/dynamodb-local.ts';
import { findFreePort } from '../../local/free-port.ts';
import { jsonAt, typedClient } from '../support/api-client.ts';
import { consularVisit, withId } from '../support/sample-events.ts';
import { testAuth } from '../support/tokens.ts';

/**
 * When the store cannot be used — nothing listens, or it stops answering part-way — the API answers 503 with
 * `Retry-After`, and a write never claims that nothing was recorded.
 */
const tables = {
  ledger: 'down-ledger',
  views: 'down-views',
  keys: 'down-keys',
  notifications: 'down-notifications',
  log: 'down-log',
};

function servicesOver(clients: DynamoDBClients): Services {
  return createServices({
    auth: testAuth,
    clients,
    tables,
    keyWrapper: new LocalKeyWrapper(randomBytes(32)),
    // The outage is logged as an error on purpose; here it is the expected outcome.
    logger: new Logger({ logLevel: 'SILENT' }),
  });
}

/** The part of a problem these tests read. */
const unavailableProblem = z.looseObject({ type: z.string(), detail: z.string() });

/** Checks an answer is the store-unavailable problem, and gives the problem for its detail to be read. */
async function expectUnavailable(answer: Response) {
  expect(answer.status).toBe(503);
  expect(answer.headers.get('retry-after')).toBe('5');
  expect(answer.headers.get('content-type')).toBe('application/problem+json');
  const problem = unavailableProblem.parse(await answer.json());
  expect(problem.type).toBe('urn:problem:detention-ledger:store-unavailable');
  return problem;
}

describe('with nothing listening where the store should be (a closed loopback port)', () => {
  let clients: DynamoDBClients;
  let client: Awaited<ReturnType<typeof typedClient>>;

  beforeAll(async () => {
    clients = createDynamoDBClients({ endpoint: `http://127.0.0.1:${await findFreePort('127.0.0.1')}` });
    client = await typedClient(servicesOver(clients).app);
  });
  afterAll(() => clients.client.destroy());

  it('answers a read with 503 and Retry-After', async () => {
    const answer = await client.cases[':caseId'].$get({
      param: { caseId: 'some-case' },
      query: {},
      header: {},
    });
    const problem = await expectUnavailable(answer);
    expect(problem.detail).toContain('try again');
  });

  it('answers a write with 503, saying it may have been recorded and how to retry safely', async () => {
    const answer = await client.cases.$post({
      header: {},
      json: { caseId: 'down-case', subject: { name: 'Test Person D' } },
    });
    const problem = await expectUnavailable(answer);
    expect(problem.detail).toContain('may have been recorded');
    expect(problem.detail).toContain('same event ids');
    expect(problem.detail).not.toContain('nothing was recorded');
  });
});

describe('with a store that stops answering in the middle of a write', () => {
  let dynamodb: DynamoDBLocal;
  let clients: DynamoDBClients;
  let client: Awaited<ReturnType<typeof typedClient>>;

  beforeAll(async () => {
    dynamodb = await startDynamoDBLocal();
    // A short wait per request, so that the stalled store is given up on quickly.
    clients = createDynamoDBClients({ endpoint: dynamodb.endpoint, requestTimeoutMs: 300 });
    await ensureTables(clients.client, tables);
    client = await typedClient(servicesOver(clients).app);
    expect(
      (
        await client.cases.$post({
          header: {},
          json: { caseId: 'stall-case', subject: { name: 'Test Person S' } },
        })
      ).status,
    ).toBe(201);
  }, 120_000);
  afterAll(async () => {
    if (dynamodb) {
      process.kill(dynamodb.pid, 'SIGCONT');
      await dynamodb.stop();
    }
    clients?.client.destroy();
  });

  it('answers 503 while the store is frozen, and a retry with the same event ids records the event once', async () => {
    const event = consularVisit('2025-07-03');
    // Frozen, the store's socket still accepts the request, as a store that times out part-way does.
    process.kill(dynamodb.pid, 'SIGSTOP');
    const history = client.cases[':caseId'].events;
    const append = () =>
      history.$post({ param: { caseId: 'stall-case' }, header: {}, json: { events: [withId(event)] } });
    let stalled: Awaited<ReturnType<typeof append>>;
    try {
      stalled = await append();
    } finally {
      process.kill(dynamodb.pid, 'SIGCONT');
    }
    const problem = await expectUnavailable(stalled);
    expect(problem.detail).toContain('may have been recorded');

    const retried = await append();
    expect(retried.status).toBe(201);
    const { events } = await jsonAt(await history.$get({ param: { caseId: 'stall-case' }, query: {} }), 200);
    expect(events.filter((recorded) => recorded.eventId === event.eventId)).toHaveLength(1);
  });
});
