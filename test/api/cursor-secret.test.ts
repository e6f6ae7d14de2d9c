import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { UnavailableError } from '../../functions/api/api-error.ts';
import { CursorCodec } from '../../functions/api/cursor.ts';
import { CursorSecretReader, CursorSecretUnavailableError } from '../../functions/api/cursor-secret.ts';
import { CURSOR_SECRET_MAX_AGE_SECONDS } from '../../functions/api/cursor-secret-max-age.ts';
import { parseEnv, runtimeConfigFrom, runtimeEnvSchema } from '../../functions/config.ts';
import { answered, jsonAt, typedClient } from '../support/api-client.ts';
import { projectCases } from '../support/project-cases.ts';
import { detained, withoutId } from '../support/sample-events.ts';
import {
  type SecretsManagerStandIn,
  startSecretsManagerStandIn,
} from '../support/secrets-manager-stand-in.ts';
import { servicesOn } from '../support/test-services.ts';
import { createTestTables, type TestTables } from '../support/test-tables.ts';

const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:ApiFunctionCursorSecret-AbCdEf';
const FIRST_KEY = 'a'.repeat(64);
const SECOND_KEY = 'b'.repeat(64);

let secretsManager: SecretsManagerStandIn;

/** A reader over the real SDK client and Powertools' provider, pointed at the loopback stand-in. */
function readerOf(standIn: SecretsManagerStandIn, secretId = SECRET_ARN): CursorSecretReader {
  const client = new SecretsManagerClient({
    endpoint: standIn.endpoint,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'stand-in-secret-access-key' },
    maxAttempts: 1,
  });
  return new CursorSecretReader({ secretId, provider: new SecretsProvider({ awsSdkV3Client: client }) });
}

beforeEach(async () => {
  secretsManager = await startSecretsManagerStandIn({ [SECRET_ARN]: FIRST_KEY });
});
afterEach(async () => {
  vi.useRealTimers();
  await secretsManager.close();
});

describe('the cursor secret, read from Secrets Manager at run time', () => {
  it('is read with a signed GetSecretValue of the secret named by its ARN, and signs cursors with its value', async () => {
    const reader = readerOf(secretsManager);
    expect(await reader.refresh()).toBe(FIRST_KEY);
    expect(secretsManager.calls).toEqual([
      { operation: 'GetSecretValue', secretId: SECRET_ARN, signed: true },
    ]);

    const clock = () => new Date('2026-06-01T00:00:00Z');
    const fromSecret = new CursorCodec({ secret: () => reader.current, clock });
    const fromValue = new CursorCodec({ secret: FIRST_KEY, clock });
    expect(fromValue.decode(fromSecret.encode('q', 'case-0001'), 'q')).toBe('case-0001');
    expect(fromSecret.decode(fromValue.encode('q', 7), 'q')).toBe(7);
  });

  it('is asked for once per maximum age, however many requests come, and a new value reaches the instance after it', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-06-01T00:00:00Z') });
    const reader = readerOf(secretsManager);
    for (let request = 0; request < 20; request += 1) expect(await reader.refresh()).toBe(FIRST_KEY);
    expect(secretsManager.calls).toHaveLength(1);

    secretsManager.put(SECRET_ARN, SECOND_KEY);
    vi.setSystemTime(new Date(Date.now() + (CURSOR_SECRET_MAX_AGE_SECONDS - 1) * 1000));
    expect(await reader.refresh()).toBe(FIRST_KEY);
    expect(secretsManager.calls).toHaveLength(1);

    vi.setSystemTime(new Date(Date.now() + 2000));
    expect(await reader.refresh()).toBe(SECOND_KEY);
    expect(reader.current).toBe(SECOND_KEY);
    expect(secretsManager.calls).toHaveLength(2);
  });

  it('keeps the key it read when Secrets Manager fails later, so paging goes on', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-06-01T00:00:00Z') });
    const reader = readerOf(secretsManager);
    await reader.refresh();
    secretsManager.failFromNowOn();
    vi.setSystemTime(new Date(Date.now() + (CURSOR_SECRET_MAX_AGE_SECONDS + 1) * 1000));
    expect(await reader.refresh()).toBe(FIRST_KEY);
    expect(secretsManager.calls.map((call) => call.operation)).toEqual(['GetSecretValue', 'GetSecretValue']);
    expect(reader.current).toBe(FIRST_KEY);
  });

  it('fails by name, never signing with a made-up key, when it was never read', async () => {
    secretsManager.failFromNowOn();
    const reader = readerOf(secretsManager);
    await expect(reader.refresh()).rejects.toThrow(CursorSecretUnavailableError);
    await expect(reader.refresh()).rejects.toThrow(
      `${SECRET_ARN} (LEDGER_CURSOR_SECRET_ARN) could not be read`,
    );
    expect(() => reader.current).toThrow(UnavailableError);
    const codec = new CursorCodec({ secret: () => reader.current, clock: () => new Date() });
    expect(() => codec.encode('q', 1)).toThrow(UnavailableError);

    const missing = readerOf(secretsManager, `${SECRET_ARN}-gone`);
    await expect(missing.refresh()).rejects.toMatchObject({ code: 'cursor_secret_unavailable' });
  });

  it('refuses a secret too short to be a signing key, without saying its value', async () => {
    secretsManager.put(SECRET_ARN, 'short-key');
    const error = await readerOf(secretsManager)
      .refresh()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CursorSecretUnavailableError);
    expect(String(error)).toContain('at least 32 characters');
    expect(String(error)).not.toContain('short-key');
  });
});

describe('API instances that read the cursor secret from Secrets Manager', () => {
  let db: TestTables;
  beforeAll(async () => {
    db = await createTestTables('cursor-secret');
    const services = servicesOn(db);
    const client = await typedClient(services.app);
    const caseIds = ['case-cs-01', 'case-cs-02', 'case-cs-03'];
    for (const caseId of caseIds) {
      const opened = await answered(
        client.cases.$post({
          header: {},
          json: {
            caseId,
            subject: { name: 'Ada Example', nationality: 'Utopia' },
            events: [withoutId(detained())],
          },
        }),
      );
      expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    }
    await projectCases(services, ...caseIds);
  });
  afterAll(() => db?.drop());

  it("accept each other's cursors, since they read the same key", async () => {
    const a = readerOf(secretsManager);
    const b = readerOf(secretsManager);
    await a.refresh();
    await b.refresh();
    const atA = await typedClient(servicesOn(db, { cursorSecret: () => a.current }).app);
    const atB = await typedClient(servicesOn(db, { cursorSecret: () => b.current }).app);
    const firstAnswer = await atA.cases.$get({ query: { limit: '1' } });
    expect(firstAnswer.status).toBe(200);
    const first = await jsonAt(firstAnswer, 200);
    expect(first.nextCursor).toEqual(expect.any(String));
    const nextAnswer = await atB.cases.$get({ query: { limit: '1', cursor: `${first.nextCursor}` } });
    expect(nextAnswer.status).toBe(200);
    const next = await jsonAt(nextAnswer, 200);
    expect(next.cases).toHaveLength(1);
    expect(next.cases[0]?.caseId).not.toBe(first.cases[0]?.caseId);
  });

  it('answer 503, not a cursor of their own making, when the key was never read, and answer the rest', async () => {
    secretsManager.failFromNowOn();
    const reader = readerOf(secretsManager);
    await expect(reader.refresh()).rejects.toThrow(CursorSecretUnavailableError);
    const client = await typedClient(servicesOn(db, { cursorSecret: () => reader.current }).app);
    const paged = await client.cases.$get({ query: { limit: '1' } });
    expect(paged.status).toBe(503);
    const problem = await jsonAt(paged, 503);
    expect(problem).toMatchObject({ status: 503, detail: expect.stringContaining('pagination cursors') });
    expect(JSON.stringify(problem)).not.toContain(SECRET_ARN);
    // One page, no cursor to sign: answered.
    expect((await client.cases.$get({ query: { limit: '10' } })).status).toBe(200);
  });
});

describe('the cursor secret in the configuration', () => {
  const configOf = (env: Record<string, string>) => runtimeConfigFrom(parseEnv(runtimeEnvSchema, env));

  it('takes the ARN of a Secrets Manager secret in LEDGER_CURSOR_SECRET_ARN', () => {
    expect(configOf({ LEDGER_CURSOR_SECRET_ARN: SECRET_ARN })).toMatchObject({ cursorSecretArn: SECRET_ARN });
    expect(configOf({ LEDGER_CURSOR_SECRET_ARN: SECRET_ARN }).cursorSecret).toBeUndefined();
    expect(() => configOf({ LEDGER_CURSOR_SECRET_ARN: 'my-secret' })).toThrow(
      /LEDGER_CURSOR_SECRET_ARN: the ARN of a Secrets Manager secret/,
    );
  });

  it('still takes the key itself in LEDGER_CURSOR_SECRET, as the local runtime does, but not both at once', () => {
    expect(configOf({ LEDGER_CURSOR_SECRET: FIRST_KEY }).cursorSecret).toBe(FIRST_KEY);
    expect(() => configOf({ LEDGER_CURSOR_SECRET: FIRST_KEY, LEDGER_CURSOR_SECRET_ARN: SECRET_ARN })).toThrow(
      /not both/,
    );
  });
});
