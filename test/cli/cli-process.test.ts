import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../domain/stored-event.ts';
import { EXIT } from '../../local/cli/cli-errors.ts';
import { findFreePort } from '../../local/free-port.ts';
import { type ProcessRun, runToExit } from '../support/run-to-exit.ts';
import { servicesOn } from '../support/test-services.ts';
import { createTestTables, type TestTables } from '../support/test-tables.ts';
import { seedCase } from './cli-harness.ts';

/** `npx ledger` as a user runs it: a separate process, its exit code, its stdout and its stderr. */

const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = join(root, 'local/cli/bin.mjs');

/** The environment without anything that says where a ledger is, so each test says it itself. */
const baseEnv = Object.fromEntries(
  Object.entries(process.env).filter(([name]) => !/^(AWS_|DYNAMODB_|LEDGER_|VIEWS_TABLE)/.test(name)),
);

function run(
  command: string,
  args: readonly string[],
  env: Record<string, string | undefined>,
  cwd = root,
): Promise<ProcessRun> {
  return runToExit(command, args, {
    cwd,
    env: { ...baseEnv, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env },
  });
}

const ledger = (args: readonly string[], env: Record<string, string | undefined> = {}, cwd?: string) =>
  run(process.execPath, [bin, ...args], env, cwd);

function envOf(tables: TestTables) {
  return {
    DYNAMODB_ENDPOINT: tables.endpoint,
    LEDGER_TABLE: tables.tables.ledger,
    VIEWS_TABLE: tables.tables.views,
  };
}

let source: TestTables;
let target: TestTables;
let workDir: string;

beforeAll(async () => {
  [source, target] = await Promise.all([createTestTables('cli-proc-src'), createTestTables('cli-proc')]);
  const services = servicesOn(source);
  await Promise.all([3, 4, 5].map((length, index) => seedCase(services, `proc-${index}`, index, length)));
  workDir = await mkdtemp(join(tmpdir(), 'ledger-cli-proc-'));
});
afterAll(async () => {
  await Promise.all([source.drop(), target.drop()]);
  await rm(workDir, { recursive: true, force: true });
});

describe('npx ledger, as a process', () => {
  it('prints the program help with exit 0, nothing on stderr', async () => {
    const help = await ledger(['--help']);
    expect(help).toMatchObject({ code: 0, stderr: '' });
    for (const command of ['verify', 'export', 'import', 'rebuild-views', 'digest']) {
      expect(help.stdout).toContain(`  ${command} `);
    }
    expect(help.stdout).toContain('Exit codes: 0 done, 1 failed');
  });

  it('is what npx runs in the repository (package.json "bin")', async () => {
    const help = await run('npx', ['--no-install', 'ledger', 'verify', '--help'], {});
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: ledger verify');
  });

  it('exports, imports into an empty ledger and verifies the copy, saying where it connected on stderr', async () => {
    const file = join(workDir, 'export.ndjson');
    const exported = await ledger(['export', '--format', 'ndjson', '--out', file], envOf(source));
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toBe('');
    expect(exported.stderr).toContain(
      `ledger: DynamoDB at ${source.endpoint} (DYNAMODB_ENDPOINT), tables ${source.tables.ledger} and ${source.tables.views}\n`,
    );
    expect(exported.stderr).toContain(`Exported 12 events of 3 cases to ${file}.`);

    const imported = await ledger(['import', file], envOf(target));
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toBe(`Imported ${file}: 12 written, 0 already present, 3 cases.\n`);

    const verified = await ledger(['verify', '--all'], envOf(target));
    expect(verified).toMatchObject({ code: 0, stdout: 'Verified 3 cases, 12 events: every chain holds.\n' });

    // An item changed behind the application: verify names the case and the version, and exits 1.
    const key = { streamId: 'proc-1', version: 2 };
    const { Item } = await target.clients.documents.send(
      new GetCommand({ TableName: target.tables.ledger, Key: key }),
    );
    await target.clients.documents.send(
      new PutCommand({ TableName: target.tables.ledger, Item: { ...Item, occurredAt: '2025-06-29' } }),
    );
    const broken = await ledger(['verify', 'proc-1'], envOf(target));
    expect(broken).toMatchObject({
      code: EXIT.failed,
      stdout: 'proc-1: BROKEN at version 2 (4 events read)\n',
    });

    // stdout of an export without --out is the NDJSON alone, the same as the file.
    const piped = await ledger(['export', '--format', 'ndjson'], envOf(source));
    expect(piped.stdout).toBe(await readFile(file, 'utf8'));
    expect(
      piped.stdout
        .trimEnd()
        .split('\n')
        .map((line) => (JSON.parse(line) as StoredEvent).hash),
    ).toHaveLength(12);
  }, 90_000); // Five processes, each starting Node and tsx: slow on a busy 2-core machine.

  it('says on stderr, not stdout, that a case is not in the ledger, and exits 1', async () => {
    const missing = await ledger(['verify', 'no-such-case'], envOf(target));
    expect(missing).toMatchObject({ code: EXIT.failed, stdout: '' });
    expect(missing.stderr).toContain('no-such-case: no such case in the ledger\n');
  });

  it('prints a digest as JSON', async () => {
    const digest = await ledger(['digest'], envOf(target));
    expect(digest.code, digest.stderr).toBe(0);
    expect(JSON.parse(digest.stdout)).toMatchObject({
      sequence: 1,
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });

  it('ends a bad command line with exit 2 and the reason on stderr, nothing on stdout', async () => {
    const [unknown, none] = await Promise.all([ledger(['verify', '--bogus']), ledger([])]);
    expect(unknown).toMatchObject({ code: EXIT.usage, stdout: '' });
    expect(unknown.stderr).toBe("error: unknown option '--bogus'\n(add --help for usage)\n");
    expect(none).toMatchObject({ code: EXIT.usage, stdout: '' });
    expect(none.stderr).toContain('Usage: ledger [options] [command]');
  });

  it('says in one line, without a stack trace, that DynamoDB cannot be reached, and exits 1', async () => {
    const endpoint = `http://127.0.0.1:${await findFreePort()}`;
    const unreachable = await ledger(['verify', '--all'], { DYNAMODB_ENDPOINT: endpoint });
    expect(unreachable.code).toBe(EXIT.failed);
    expect(unreachable.stderr).toBe(
      `ledger: DynamoDB at ${endpoint} (DYNAMODB_ENDPOINT), tables ledger and views\n` +
        `Cannot reach DynamoDB at ${endpoint} (DYNAMODB_ENDPOINT), tables ledger and views (ECONNREFUSED).\n`,
    );
  });

  it('says which tables do not exist, and exits 1', async () => {
    const missing = await ledger(['rebuild-views'], { ...envOf(target), LEDGER_TABLE: 'no-such-ledger' });
    expect(missing.code).toBe(EXIT.failed);
    expect(missing.stderr).toContain(
      `Table no-such-ledger or ${target.tables.views} does not exist at DynamoDB at`,
    );
    expect(missing.stderr).not.toMatch(/\n\s+at /);
  });

  it('says how to connect when nothing says where the ledger is, and names a bad variable', async () => {
    const nowhere = await ledger(['verify', '--all'], {}, workDir);
    expect(nowhere.code).toBe(EXIT.failed);
    expect(nowhere.stderr).toMatch(/^No ledger to connect to\.\nEither:\n {2}- start the local runtime/);
    const misconfigured = await ledger(['digest'], { DYNAMODB_ENDPOINT: 'localhost:8000' });
    expect(misconfigured.code).toBe(EXIT.failed);
    expect(misconfigured.stderr).toMatch(/^Invalid configuration:\n {2}- DYNAMODB_ENDPOINT: /);
  });
});
