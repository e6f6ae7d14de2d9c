import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Services } from '../../functions/services.ts';
import { EXIT } from '../../local/cli/cli-errors.ts';
import { runVerify } from '../../local/cli/commands/verify.ts';
import { runCli } from '../../local/cli/program.ts';
import { servicesOn } from '../support/test-services.ts';
import { createTestTables, type TestTables } from '../support/test-tables.ts';
import { harness, seedCase, TextSink } from './cli-harness.ts';

let db: TestTables;
let services: Services;

/** Changes one attribute of an event item behind the store's back, as someone with table access could. */
async function editItem(caseId: string, version: number, edit: (item: Record<string, unknown>) => void) {
  const key = { streamId: caseId, version };
  const { Item } = await db.clients.documents.send(new GetCommand({ TableName: db.tables.ledger, Key: key }));
  expect(Item).toBeDefined();
  edit(Item!);
  await db.clients.documents.send(new PutCommand({ TableName: db.tables.ledger, Item: Item }));
}

beforeAll(async () => {
  db = await createTestTables('cli-verify');
  services = servicesOn(db);
  const cases = ['intact-1', 'intact-2', 'edited-data', 'edited-recorder', 'removed-event'];
  await Promise.all(cases.map((caseId, index) => seedCase(services, caseId, index + 1, 5)));
  // Version 3 is a consular visit: its mission is rewritten.
  await editItem('edited-data', 3, (item) => {
    item.data = { ...(item.data as object), by: 'Embassy of Elsewhere' };
  });
  await editItem('edited-recorder', 1, (item) => {
    item.recordedBy = 'someone-else';
  });
  await db.clients.documents.send(
    new DeleteCommand({ TableName: db.tables.ledger, Key: { streamId: 'removed-event', version: 2 } }),
  );
});
afterAll(() => db.drop());

describe('verify CASE_ID', () => {
  it('says the chain holds, with the count and the head hash, and exits 0', async () => {
    const { context, stdout } = harness(services);
    const report = await runVerify(context, { caseId: 'intact-1' });
    const head = await services.ledger.head('intact-1');
    expect(report).toMatchObject({ exitCode: EXIT.ok, cases: 1, events: 5, broken: [] });
    expect(stdout.text).toBe(`intact-1: the chain holds: 5 events, head ${head?.hash}\n`);
  });

  it.each([
    ['edited-data', 3, 5],
    ['edited-recorder', 1, 5],
    ['removed-event', 2, 4],
  ])(
    'finds %s broken at version %i, the item changed behind the store, and exits 1',
    async (caseId, at, read) => {
      const { context, stdout } = harness(services);
      const report = await runVerify(context, { caseId });
      expect(report.exitCode).toBe(EXIT.failed);
      expect(report.broken).toEqual([
        expect.objectContaining({ caseId, ok: false, brokenAt: at, events: read }),
      ]);
      expect(stdout.text).toBe(`${caseId}: BROKEN at version ${at} (${read} events read)\n`);
    },
  );

  it('prints JSON with --json', async () => {
    const { context, stdout } = harness(services);
    await runVerify(context, { caseId: 'edited-data', json: true });
    expect(JSON.parse(stdout.text)).toEqual({
      caseId: 'edited-data',
      ok: false,
      events: 5,
      headHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      brokenAt: 3,
    });
  });

  it('says a case that is not in the ledger is not there, and exits 1', async () => {
    const { context, stdout, stderr } = harness(services);
    const report = await runVerify(context, { caseId: 'no-such-case' });
    expect(report.exitCode).toBe(EXIT.failed);
    expect(stderr.text).toBe('no-such-case: no such case in the ledger\n');
    expect(stdout.text).toBe('');
  });
});

describe('verify --all', () => {
  it('checks every case, lists the broken ones by case id with where they break, and exits 1', async () => {
    const { context, stdout } = harness(services);
    const report = await runVerify(context, { all: true, concurrency: 2 });
    expect(report).toMatchObject({ exitCode: EXIT.failed, cases: 5, events: 24 });
    expect(stdout.text).toBe(
      [
        'Verified 5 cases, 24 events: 3 broken.',
        '  edited-data: broken at version 3',
        '  edited-recorder: broken at version 1',
        '  removed-event: broken at version 2',
        '',
      ].join('\n'),
    );
  });

  it('gives the same as JSON through the program, with where it connected on stderr', async () => {
    const stdout = new TextSink();
    const stderr = new TextSink();
    const env = {
      DYNAMODB_ENDPOINT: db.endpoint,
      LEDGER_TABLE: db.tables.ledger,
      VIEWS_TABLE: db.tables.views,
    };
    const code = await runCli(['verify', '--all', '--json'], { env, cwd: process.cwd(), stdout, stderr });
    expect(code).toBe(EXIT.failed);
    expect(JSON.parse(stdout.text)).toEqual({
      ok: false,
      cases: 5,
      events: 24,
      broken: [
        { caseId: 'edited-data', brokenAt: 3, events: 5 },
        { caseId: 'edited-recorder', brokenAt: 1, events: 5 },
        { caseId: 'removed-event', brokenAt: 2, events: 4 },
      ],
    });
    expect(stderr.text).toBe(
      `ledger: DynamoDB at ${db.endpoint} (DYNAMODB_ENDPOINT), tables ${db.tables.ledger} and ${db.tables.views}\n`,
    );
  });
});
