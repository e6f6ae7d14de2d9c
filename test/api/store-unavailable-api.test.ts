import { randomBytes } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoDBClients, type DynamoDBClients } from '../../functions/dynamodb-clients.ts';
import { LocalKeyWrapper } from '../../functions/personal-data/local-key-wrapper.ts';
import { createServices, type Services } from '../../functions/services.ts';
import { ensureTables } from '../../functions/tables/ensure-tables.ts';
import { type DynamoDBLocal, startDynamoDBLocal } from '../../local/dynamodb-local.ts';
import { findFreePort } from '../../local/free-port.ts';
import { apiClient } from '../support/api-client.ts';
import { consularVisit } from '../support/sample-events.ts';
import { testAuth } from '../support/tokens.ts';

/**
 * When the store cannot be used — nothing listens, or it stops answering part-way — the API answers 503 with
 * `Retry-After`, and a write never claims that nothing was recorded.
 */
const tables = { ledger: 'down-ledger', views: 'down-views', keys: 'down-keys' };

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

function expectUnavailable(answer: { status: number; headers: Headers; body: { type: string } }) {
  expect(answer.status).toBe(503);
  expect(answer.headers.get('retry-after')).toBe('5');
  expect(answer.headers.get('content-type')).toBe('application/problem+json');
  expect(answer.body.type).toBe('urn:problem:detention-ledger:store-unavailable');
}

describe('with nothing listening where the store should be (a closed loopback port)', () => {
  let clients: DynamoDBClients;
  let call: ReturnType<typeof apiClient>;

  beforeAll(async () => {
    clients = createDynamoDBClients({ endpoint: `http://127.0.0.1:${await findFreePort('127.0.0.1')}` });
    call = apiClient(servicesOver(clients).app);
  });
  afterAll(() => clients.client.destroy());

  it('answers a read with 503 and Retry-After', async () => {
    const answer = await call('GET', '/cases/some-case');
    expectUnavailable(answer);
    expect(answer.body.detail).toContain('try again');
  });

  it('answers a write with 503, saying it may have been recorded and how to retry safely', async () => {
    const answer = await call('POST', '/cases', { caseId: 'down-case', subject: { name: 'Test Person D' } });
    expectUnavailable(answer);
    expect(answer.body.detail).toContain('may have been recorded');
    expect(answer.body.detail).toContain('same event ids');
    expect(answer.body.detail).not.toContain('nothing was recorded');
  });
});

describe('with a store that stops answering in the middle of a write', () => {
  let dynamodb: DynamoDBLocal;
  let clients: DynamoDBClients;
  let call: ReturnType<typeof apiClient>;

  beforeAll(async () => {
    dynamodb = await startDynamoDBLocal();
    // A short wait per request, so that the stalled store is given up on quickly.
    clients = createDynamoDBClients({ endpoint: dynamodb.endpoint, requestTimeoutMs: 300 });
    await ensureTables(clients.client, tables);
    call = apiClient(servicesOver(clients).app);
    expect(
      (await call('POST', '/cases', { caseId: 'stall-case', subject: { name: 'Test Person S' } })).status,
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
    let stalled: Awaited<ReturnType<typeof call>>;
    try {
      stalled = await call('POST', '/cases/stall-case/events', { events: [event] });
    } finally {
      process.kill(dynamodb.pid, 'SIGCONT');
    }
    expectUnavailable(stalled);
    expect(stalled.body.detail).toContain('may have been recorded');

    const retried = await call('POST', '/cases/stall-case/events', { events: [event] });
    expect(retried.status).toBe(201);
    const events = (await call('GET', '/cases/stall-case/events')).body.events as Array<{ eventId: string }>;
    expect(events.filter((recorded) => recorded.eventId === event.eventId)).toHaveLength(1);
  });
});
