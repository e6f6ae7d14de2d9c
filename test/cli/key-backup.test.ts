import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Services } from '../../functions/services.ts';
import { EXIT } from '../../local/cli/cli-errors.ts';
import { runCli } from '../../local/cli/program.ts';
import { openedSubjectName } from '../support/answered-events.ts';
import { jsonAt, typedClient } from '../support/api-client.ts';
import { servicesOn } from '../support/test-services.ts';
import { createTestTables, type TestTables } from '../support/test-tables.ts';
import { TextSink } from './cli-harness.ts';

let db: TestTables;
let services: Services;
let client: Awaited<ReturnType<typeof typedClient>>;
let workDir: string;

const people = {
  'kb-1': 'Test Person Backup One',
  'kb-2': 'Test Person Backup Two',
  'kb-3': 'Test Person Backup Three',
};

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'key-backup-'));
  db = await createTestTables('key-backup');
  services = servicesOn(db);
  client = await typedClient(services.app);
  for (const [caseId, name] of Object.entries(people)) {
    expect((await client.cases.$post({ header: {}, json: { caseId, subject: { name } } })).status).toBe(201);
  }
});
afterAll(async () => {
  await db.drop();
  await rm(workDir, { recursive: true, force: true });
});

async function ledger(args: string[]) {
  const io = {
    env: {
      DYNAMODB_ENDPOINT: db.endpoint,
      LEDGER_TABLE: db.tables.ledger,
      VIEWS_TABLE: db.tables.views,
      KEYS_TABLE: db.tables.keys,
    },
    cwd: workDir,
    stdout: new TextSink(),
    stderr: new TextSink(),
  };
  const code = await runCli(args, io);
  return { code, stdout: io.stdout.text, stderr: io.stderr.text };
}

async function keyItems() {
  const { Items = [] } = await db.clients.documents.send(
    new ScanCommand({ TableName: db.tables.keys, ConsistentRead: true }),
  );
  return Items;
}

async function nameIn(caseId: string) {
  const history = await jsonAt(
    await client.cases[':caseId'].events.$get({ param: { caseId }, query: {} }),
    200,
  );
  return openedSubjectName(history.events[0]);
}

describe('ledger keys backup and restore', () => {
  it('back up wrapped keys only, and restore them without undoing an erasure made since', async () => {
    const file = join(workDir, 'case-keys.backup');
    const clearKeys = await Promise.all(Object.keys(people).map((caseId) => services.caseKeys.find(caseId)));

    const backup = await ledger(['keys', 'backup', file]);
    expect(backup.code, backup.stderr).toBe(EXIT.ok);
    expect(backup.stdout).toMatch(/^Backed up 3 case keys to /);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const text = await readFile(file, 'utf8');
    const lines = text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines[0]).toMatchObject({ format: 'detention-ledger case keys', version: 1, keys: 3 });
    const stored = new Map((await keyItems()).map((item) => [item.caseId, item.wrappedKey]));
    for (const line of lines.slice(1)) expect(line.wrappedKey).toBe(stored.get(line.caseId));
    for (const key of clearKeys) {
      for (const encoding of ['base64', 'base64url', 'hex'] as const) {
        expect(text).not.toContain(key!.toString(encoding));
      }
    }

    expect(
      (
        await client.cases[':caseId'].erase.$post({
          param: { caseId: 'kb-1' },
          json: { reason: 'Request of the person (invented)' },
        })
      ).status,
    ).toBe(200);
    expect(await nameIn('kb-1')).toBe('[erased]');

    // The table is lost, and a stale copy of it brought back the erased case's key beside nothing else.
    for (const item of await keyItems()) {
      await db.clients.documents.send(
        new DeleteCommand({ TableName: db.tables.keys, Key: { caseId: item.caseId } }),
      );
    }
    const erasedKey = lines.find((line) => line.caseId === 'kb-1');
    await db.clients.documents.send(new PutCommand({ TableName: db.tables.keys, Item: erasedKey }));

    const restore = await ledger(['keys', 'restore', file, '--json']);
    expect(restore.code, restore.stderr).toBe(EXIT.ok);
    expect(JSON.parse(restore.stdout)).toEqual({
      restored: 2,
      erased: 1,
      present: 0,
      unknown: 0,
      destroyed: 1,
    });
    expect(await nameIn('kb-1')).toBe('[erased]');
    expect(await nameIn('kb-2')).toBe(people['kb-2']);
    expect(await nameIn('kb-3')).toBe(people['kb-3']);
    expect((await keyItems()).map((item) => item.caseId).sort()).toEqual(['kb-2', 'kb-3']);

    // Run again, it changes nothing.
    const again = await ledger(['keys', 'restore', file, '--json']);
    expect(JSON.parse(again.stdout)).toEqual({
      restored: 0,
      erased: 1,
      present: 2,
      unknown: 0,
      destroyed: 0,
    });
  });

  it('refuse a file that is not a whole backup, and write nothing', async () => {
    const file = join(workDir, 'cut.backup');
    expect((await ledger(['keys', 'backup', file])).code).toBe(EXIT.ok);
    const whole = await readFile(file, 'utf8');
    await writeFile(file, whole.split('\n').slice(0, -2).join('\n'));
    const before = await keyItems();
    for (const item of before) {
      await db.clients.documents.send(
        new DeleteCommand({ TableName: db.tables.keys, Key: { caseId: item.caseId } }),
      );
    }
    const cut = await ledger(['keys', 'restore', file]);
    expect(cut.code).toBe(EXIT.failed);
    expect(cut.stderr).toMatch(/not a whole key backup.*nothing was restored/);
    expect(await keyItems()).toEqual([]);
    await writeFile(file, whole);
    expect((await ledger(['keys', 'restore', file])).code).toBe(EXIT.ok);
    expect((await keyItems()).length).toBe(before.length);
  });
});
