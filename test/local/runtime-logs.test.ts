import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogEntry } from '../../local/json-lines-logger.ts';
import { loadLocalConfig } from '../../local/local-config.ts';
import { startLocalRuntime } from '../../local/local-runtime.ts';
import { mintToken } from '../../local/tokens.ts';

/** What `npm start` logs on data kept on disk: errors only for what an operator must act on. */

const secret = 'runtime-logs-secret-0123456789abcdefghij';

describe('the local runtime on a data directory', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'ledger-runtime-logs-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  function start(logs: LogEntry[]) {
    return startLocalRuntime(
      loadLocalConfig({
        LEDGER_DATA_DIR: dataDir,
        PORT: '0',
        LEDGER_WEB: 'off',
        LEDGER_JWT_SECRET: secret,
        LEDGER_MASTER_KEY: randomBytes(32).toString('base64'),
      }),
      { logger: (entry) => logs.push(entry) },
    );
  }

  it('logs no error on a fresh start and its first case', async () => {
    const logs: LogEntry[] = [];
    const runtime = await start(logs);
    try {
      const token = await mintToken({ secret, subject: 'log-test', roles: ['recorder'] });
      const opened = await fetch(`${runtime.url}/cases`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          subject: { name: 'Test Person A', nationality: 'Utopia' },
          events: [
            {
              type: 'Detained',
              occurredAt: '2025-06-30',
              sources: [{ title: 'Invented source' }],
              data: { place: 'Example City' },
            },
          ],
        }),
      });
      expect(opened.status).toBe(201);
      await runtime.projected();
      expect(logs.filter((entry) => entry.level === 'error')).toEqual([]);
    } finally {
      await runtime.stop();
    }
  });
});
