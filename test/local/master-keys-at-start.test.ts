import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDynamoDBClients } from '../../functions/dynamodb-clients.ts';
import { gcmSeal } from '../../functions/personal-data/aes-gcm.ts';
import { LocalKeyWrapper } from '../../functions/personal-data/local-key-wrapper.ts';
import { masterKeyIdOf } from '../../functions/personal-data/master-key-ring.ts';
import { createServices } from '../../functions/services.ts';
import { ensureTables } from '../../functions/tables/ensure-tables.ts';
import type { LogEntry } from '../../local/json-lines-logger.ts';
import { loadLocalConfig } from '../../local/local-config.ts';
import { startLocalRuntime } from '../../local/local-runtime.ts';
import { masterKeyDirOf } from '../../local/master-key-file.ts';
import { typedClient } from '../support/api-client.ts';
import { TEST_JWT_SECRET, testAuth, testToken } from '../support/tokens.ts';

let workDir: string;
beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'lost-master-keys-'));
});
afterAll(() => rm(workDir, { recursive: true, force: true }));

/** `npm start` over the run's shared DynamoDB Local (tables of its own) with a data directory for its keys. */
function configIn(dir: string, extra: Record<string, string> = {}) {
  const suffix = randomBytes(4).toString('hex');
  return loadLocalConfig(
    {
      ...extra,
      PORT: '0',
      LEDGER_WEB: 'off',
      DYNAMODB_ENDPOINT: inject('dynamodbEndpoint'),
      LEDGER_TABLE: `start-ledger-${suffix}`,
      VIEWS_TABLE: `start-views-${suffix}`,
      KEYS_TABLE: `start-keys-${suffix}`,
      LEDGER_JWT_SECRET: TEST_JWT_SECRET,
      XDG_CONFIG_HOME: join(dir, 'config'),
    },
    dir,
  );
}

describe('a start whose master keys are not where the data directory says', () => {
  it('logs an error naming the folder, and a start that finds them does not', async () => {
    const config = configIn(join(workDir, 'lost'));
    const startLogging = async () => {
      const logged: LogEntry[] = [];
      const runtime = await startLocalRuntime(config, { logger: (entry) => logged.push(entry) });
      return {
        runtime,
        errors: () => logged.filter((entry) => entry.level === 'error' && /master key/.test(entry.message)),
      };
    };
    const first = await startLogging();
    const opened = await fetch(`${first.runtime.url}/cases`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${await testToken(['recorder'], { pii: true })}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ caseId: 'lost-1', subject: { name: 'Test Person Lost' } }),
    });
    expect(opened.status).toBe(201);
    await first.runtime.stop();

    const again = await startLogging();
    await again.runtime.stop();
    expect(again.errors()).toEqual([]);

    await rm(config.masterKeysHome!, { recursive: true });
    const lost = await startLogging();
    await lost.runtime.stop();
    expect(lost.errors()).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(
          /^A case key of this ledger is wrapped by a master key this runtime does not hold: .* looked for in \//,
        ),
      }),
    ]);
  });
});

describe('a data directory of an older version, with its master.key inside', () => {
  it('has its keys taken over on start: re-wrapped under a new master key kept outside, master.key destroyed', async () => {
    const config = configIn(join(workDir, 'legacy'));
    const legacy = randomBytes(32);
    // Tables and a case as the older version left them: keys wrapped `v1.<iv>.<ct>` by master.key.
    const clients = createDynamoDBClients({ endpoint: config.dynamodb.endpoint! });
    await ensureTables(clients.client, config.tables);
    const older = createServices({
      auth: testAuth,
      clients,
      tables: config.tables,
      keyWrapper: new LocalKeyWrapper(legacy),
    });
    const client = await typedClient(older.app);
    const opened = await client.cases.$post({
      header: {},
      json: { caseId: 'legacy-1', subject: { name: 'Test Person Legacy' } },
    });
    expect(opened.status).toBe(201);
    const key = (await older.caseKeys.find('legacy-1'))!;
    const box = gcmSeal(legacy, key, 'case-key:legacy-1');
    await clients.documents.send(
      new PutCommand({
        TableName: config.tables.keys,
        Item: {
          caseId: 'legacy-1',
          wrappedKey: `v1.${box.iv}.${box.ciphertext}`,
          wrappedBy: 'local',
          createdAt: '2026-01-01T00:00:00.000Z',
        },
      }),
    );
    await mkdir(config.dataDir!, { recursive: true });
    await writeFile(join(config.dataDir!, 'master.key'), `${legacy.toString('base64')}\n`, { mode: 0o600 });

    const runtime = await startLocalRuntime(config, { logger: () => {} });
    try {
      const answer = await fetch(`${runtime.url}/cases/legacy-1/events`, {
        headers: { authorization: `Bearer ${await testToken(['auditor'], { pii: true })}` },
      });
      const text = await answer.text();
      expect(answer.status, text).toBe(200);
      expect(JSON.parse(text).events[0].data.subject.name).toBe('Test Person Legacy');
    } finally {
      await runtime.stop();
    }
    expect(await readdir(config.dataDir!)).not.toContain('master.key');
    const { Item } = await clients.documents.send(
      new GetCommand({ TableName: config.tables.keys, Key: { caseId: 'legacy-1' } }),
    );
    expect(Item!.wrappedKey).toMatch(/^v2\./);
    expect(Item!.wrappedBy).not.toBe(`local:${masterKeyIdOf(legacy)}`);
    const keyDir = await masterKeyDirOf(config.masterKeysHome!, config.dataDir!);
    expect((await readdir(keyDir)).filter((name) => name.endsWith('.key'))).toEqual(['master-000002.key']);
    clients.client.destroy();
  });
});

describe('a start with a LEDGER_MASTER_KEY other than the one the case keys were made with', () => {
  it('logs an error that says so', async () => {
    const config = configIn(join(workDir, 'wrong-key'), {
      LEDGER_MASTER_KEY: randomBytes(32).toString('base64'),
    });
    const first = await startLocalRuntime(config, { logger: () => {} });
    const opened = await fetch(`${first.url}/cases`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${await testToken(['recorder'], { pii: true })}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ caseId: 'wrong-1', subject: { name: 'Test Person Wrong Key' } }),
    });
    expect(opened.status).toBe(201);
    await first.stop();
    const logged: LogEntry[] = [];
    const other = {
      ...config,
      keyWrapping: { mode: 'local' as const, masterKey: randomBytes(32).toString('base64') },
    };
    const second = await startLocalRuntime(other, { logger: (entry) => logged.push(entry) });
    await second.stop();
    expect(logged.filter((entry) => entry.level === 'error' && /master key/.test(entry.message))).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/Is LEDGER_MASTER_KEY the key/) }),
    ]);
  });
});
