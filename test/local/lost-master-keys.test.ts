import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { LogEntry } from '../../local/json-lines-logger.ts';
import { loadLocalConfig } from '../../local/local-config.ts';
import { startLocalRuntime } from '../../local/local-runtime.ts';
import { TEST_JWT_SECRET, testToken } from '../support/tokens.ts';

let workDir: string;
beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'lost-master-keys-'));
});
afterAll(() => rm(workDir, { recursive: true, force: true }));

describe('a start whose master keys are not where the data directory says', () => {
  it('logs an error naming the folder, and a start that finds them does not', async () => {
    const suffix = randomBytes(4).toString('hex');
    const config = loadLocalConfig(
      {
        PORT: '0',
        DYNAMODB_ENDPOINT: inject('dynamodbEndpoint'),
        LEDGER_TABLE: `lost-ledger-${suffix}`,
        VIEWS_TABLE: `lost-views-${suffix}`,
        KEYS_TABLE: `lost-keys-${suffix}`,
        LEDGER_JWT_SECRET: TEST_JWT_SECRET,
        XDG_CONFIG_HOME: join(workDir, 'config'),
      },
      workDir,
    );
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
          /^A case key of this data directory was wrapped by master keys that are not in \//,
        ),
      }),
    ]);
  });
});
