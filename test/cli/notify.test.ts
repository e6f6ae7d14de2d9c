import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../local/cli/cli-errors.ts';
import { runCli } from '../../local/cli/program.ts';
import { createTestTables, type TestTables } from '../support/test-tables.ts';
import { TextSink } from './cli-harness.ts';

let db: TestTables;
let dataDir: string;

beforeAll(async () => {
  db = await createTestTables('cli-notify');
  dataDir = await mkdtemp(join(tmpdir(), 'ledger-cli-notify-'));
});
afterAll(async () => {
  await db.drop();
  await rm(dataDir, { recursive: true, force: true });
});

async function cli(args: readonly string[], extra: Record<string, string> = {}) {
  const stdout = new TextSink();
  const stderr = new TextSink();
  const env = {
    DYNAMODB_ENDPOINT: db.endpoint,
    LEDGER_TABLE: db.tables.ledger,
    VIEWS_TABLE: db.tables.views,
    KEYS_TABLE: db.tables.keys,
    NOTIFICATIONS_TABLE: db.tables.notifications,
    LEDGER_DATA_DIR: dataDir,
    ...extra,
  };
  const code = await runCli(args, { env, cwd: process.cwd(), stdout, stderr });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

describe('ledger notify', () => {
  it('says what it does, with --at and an example, exit 0', async () => {
    const help = await cli(['notify', '--help']);
    expect(help).toMatchObject({ code: EXIT.ok, stderr: '' });
    expect(help.stdout).toContain('Usage: ledger notify [options]');
    expect(help.stdout).toContain('--at <instant>');
    expect(help.stdout).toMatch(/Examples:\n {2}\$ npx ledger notify/);
  });

  it.each([
    '2026-03-01',
    '2026-03-01T09:00:00',
    'yesterday',
    '2026-13-01T09:00:00Z',
    `2026-03-01T09:00:00Z${'0'.repeat(5000)}`,
  ])('refuses --at %s in words, before connecting, exit 2', async (at) => {
    const refused = await cli(['notify', '--at', at]);
    expect(refused.code).toBe(EXIT.usage);
    expect(refused.stderr).toContain('an ISO 8601 instant with its offset');
    expect(refused.stdout).toBe('');
  });

  it('refuses a wrong notifier setting by name', async () => {
    const refused = await cli(['notify'], { SMTP_URL: 'http://mail.example' });
    expect(refused.code).toBe(EXIT.failed);
    expect(refused.stderr).toContain('Invalid configuration');
    expect(refused.stderr).toContain('SMTP_URL: an SMTP server URL');
    expect(refused.stderr).not.toContain('    at ');
  });

  it('runs one pass as of the moment given and prints what it did', async () => {
    const pass = await cli(['notify', '--at', '2026-03-01T12:00+03:00']);
    expect(pass.code).toBe(EXIT.ok);
    expect(JSON.parse(pass.stdout)).toEqual({
      at: '2026-03-01T09:00:00.000Z',
      raised: 0,
      resolved: 0,
      digests: 0,
      delivered: 0,
      failed: 0,
    });
    expect(pass.stderr).toContain('Notifier pass as of 2026-03-01T09:00:00.000Z');
    expect(pass.stderr).toContain(join(dataDir, 'mail'));
  });
});
