import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../functions/config.ts';
import { createDynamoDBClients } from '../../functions/dynamodb-clients.ts';
import { LocalKeyWrapper } from '../../functions/personal-data/local-key-wrapper.ts';
import { createServices } from '../../functions/services.ts';
import { NoLedgerFoundError, resolveTarget } from '../../local/cli/cli-config.ts';
import { EXIT } from '../../local/cli/cli-errors.ts';
import { runCli } from '../../local/cli/program.ts';
import { loadLocalConfig } from '../../local/local-config.ts';
import { startLocalRuntime } from '../../local/local-runtime.ts';
import { masterKeyDirOf, openMasterKeyRing } from '../../local/master-key-file.ts';
import { type RuntimeFile, readRuntimeFile, writeRuntimeFile } from '../../local/runtime-file.ts';
import { seedCase, TextSink } from './cli-harness.ts';

let workDir: string;

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'ledger-cli-discovery-'));
});
afterAll(() => rm(workDir, { recursive: true, force: true }));

const runtime = (pid: number): RuntimeFile => ({
  dynamodbEndpoint: 'http://127.0.0.1:8123',
  apiUrl: 'http://127.0.0.1:3000',
  pid,
  tables: { ledger: 'desk-ledger', views: 'desk-views' },
});

/** A data directory of its own per test, holding the runtime file given. */
async function dataDirWith(name: string, file?: RuntimeFile | string): Promise<string> {
  const dataDir = join(workDir, name, '.ledger-data');
  await mkdir(dataDir, { recursive: true });
  if (file !== undefined) {
    await writeFile(join(dataDir, 'runtime.json'), typeof file === 'string' ? file : JSON.stringify(file));
  }
  return join(workDir, name);
}

describe('where the CLI connects', () => {
  it('uses DYNAMODB_ENDPOINT and the table variables when the endpoint is set, whatever else is there', async () => {
    const cwd = await dataDirWith('endpoint', runtime(process.pid));
    const env = { DYNAMODB_ENDPOINT: 'http://127.0.0.1:9000', LEDGER_TABLE: 'l-1', AWS_REGION: 'eu-west-1' };
    expect(await resolveTarget({ env, cwd })).toEqual({
      connection: { endpoint: 'http://127.0.0.1:9000', region: 'eu-west-1' },
      tables: {
        ledger: 'l-1',
        views: 'views',
        keys: 'case-keys',
        notifications: 'notifications',
        log: 'log',
      },
      via: 'endpoint',
    });
  });

  it('finds a running local runtime through its runtime file, with its tables unless the variables name others', async () => {
    const cwd = await dataDirWith('running', runtime(4242));
    const target = await resolveTarget({ env: {}, cwd, isRunning: (pid) => pid === 4242 });
    expect(target).toEqual({
      connection: { endpoint: 'http://127.0.0.1:8123' },
      tables: {
        ledger: 'desk-ledger',
        views: 'desk-views',
        keys: 'case-keys',
        notifications: 'notifications',
        log: 'log',
      },
      via: 'local-runtime',
      runtime: {
        file: join('.ledger-data', 'runtime.json'),
        pid: 4242,
        apiUrl: 'http://127.0.0.1:3000',
        dataDir: join(cwd, '.ledger-data'),
      },
    });
    const renamed = await resolveTarget({ env: { VIEWS_TABLE: 'other-views' }, cwd, isRunning: () => true });
    expect(renamed.tables).toEqual({
      ledger: 'desk-ledger',
      views: 'other-views',
      keys: 'case-keys',
      notifications: 'notifications',
      log: 'log',
    });
  });

  it('reads LEDGER_DATA_DIR, relative to the working directory', async () => {
    await dataDirWith('custom', runtime(4242));
    const target = await resolveTarget({
      env: { LEDGER_DATA_DIR: join('custom', '.ledger-data') },
      cwd: workDir,
      isRunning: () => true,
    });
    expect(target.via).toBe('local-runtime');
  });

  it('goes to AWS only when AWS_REGION or AWS_PROFILE says so', async () => {
    const cwd = await dataDirWith('aws');
    expect(
      await resolveTarget({ env: { AWS_PROFILE: 'ledger-prod', LEDGER_TABLE: 'prod-ledger' }, cwd }),
    ).toEqual({
      connection: {},
      tables: {
        ledger: 'prod-ledger',
        views: 'views',
        keys: 'case-keys',
        notifications: 'notifications',
        log: 'log',
      },
      via: 'aws',
    });
    expect((await resolveTarget({ env: { AWS_REGION: 'eu-central-1' }, cwd })).connection).toEqual({
      region: 'eu-central-1',
    });
  });

  it('refuses to guess, and says how to connect, when nothing says where the ledger is', async () => {
    const cwd = await dataDirWith('nothing');
    await expect(resolveTarget({ env: {}, cwd })).rejects.toThrow(NoLedgerFoundError);
    await expect(resolveTarget({ env: {}, cwd })).rejects.toThrow(
      /npm start[\s\S]*DYNAMODB_ENDPOINT[\s\S]*AWS_REGION/,
    );
  });

  it('names a runtime file whose runtime is gone, and ignores one that is not a runtime file', async () => {
    const stale = await dataDirWith('stale', runtime(4242));
    await expect(resolveTarget({ env: {}, cwd: stale, isRunning: () => false })).rejects.toThrow(
      'names a local runtime, pid 4242, that is no longer running',
    );
    const garbage = await dataDirWith('garbage', '{"dynamodbEndpoint": "file:///etc/passwd", "pid": 1}');
    await expect(resolveTarget({ env: {}, cwd: garbage, isRunning: () => true })).rejects.toThrow(
      NoLedgerFoundError,
    );
  });

  it('reports a malformed variable as a configuration error', async () => {
    await expect(resolveTarget({ env: { LEDGER_TABLE: 'x' }, cwd: workDir })).rejects.toThrow(
      ConfigurationError,
    );
  });
});

describe('the runtime file', () => {
  it('is removed on stop only while it is still the stopping runtime’s', async () => {
    const dataDir = join(await dataDirWith('handover'), '.ledger-data');
    const removeFirst = await writeRuntimeFile(dataDir, runtime(1111));
    await writeRuntimeFile(dataDir, runtime(2222));
    await removeFirst();
    expect((await readRuntimeFile(dataDir))?.pid).toBe(2222);
  });

  it('is written by npm start with a data directory, found by the CLI, and removed when the runtime stops', async () => {
    const cwd = await dataDirWith('started');
    const config = loadLocalConfig(
      {
        PORT: '0',
        LEDGER_WEB: 'off',
        LEDGER_TABLE: 'started-ledger',
        VIEWS_TABLE: 'started-views',
        XDG_CONFIG_HOME: join(cwd, 'config'),
      },
      cwd,
    );
    const started = await startLocalRuntime(config, { logger: () => {} });
    const io = () => ({ env: {}, cwd, stdout: new TextSink(), stderr: new TextSink() });
    try {
      const file = JSON.parse(
        await readFile(join(cwd, '.ledger-data', 'runtime.json'), 'utf8'),
      ) as RuntimeFile;
      expect(file).toEqual({
        dynamodbEndpoint: started.dynamodbEndpoint,
        apiUrl: started.url,
        pid: process.pid,
        tables: {
          ledger: 'started-ledger',
          views: 'started-views',
          keys: 'case-keys',
          notifications: 'notifications',
          log: 'log',
        },
      });
      const clients = createDynamoDBClients({ endpoint: started.dynamodbEndpoint });
      // The runtime made the data directory's master key; the seeding writer wraps case keys with the same.
      const ring = await openMasterKeyRing({
        keyDir: await masterKeyDirOf(config.masterKeysHome!, config.dataDir!),
      });
      expect(ring.created).toBe(false);
      const keyWrapper = new LocalKeyWrapper(ring);
      await seedCase(createServices({ clients, tables: config.tables, keyWrapper }), 'started-case', 0, 4);
      clients.client.destroy();

      const verify = io();
      expect(await runCli(['verify', '--all'], verify)).toBe(EXIT.ok);
      expect(verify.stdout.text).toBe('Verified 1 case, 4 events: every chain holds.\n');
      expect(verify.stderr.text).toBe(
        `ledger: local runtime (pid ${process.pid}, from ${join('.ledger-data', 'runtime.json')}), ` +
          `DynamoDB Local at ${started.dynamodbEndpoint}, tables started-ledger and started-views\n`,
      );
    } finally {
      await started.stop();
    }
    expect(existsSync(join(cwd, '.ledger-data', 'runtime.json'))).toBe(false);
    const after = io();
    expect(await runCli(['verify', '--all'], after)).toBe(EXIT.failed);
    expect(after.stderr.text).toMatch(/^No ledger to connect to\./);
  }, 90_000);
});
