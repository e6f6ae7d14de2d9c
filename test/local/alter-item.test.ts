import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChain } from '../../domain/hash-chain.ts';
import type { Services } from '../../functions/services.ts';
import { consularVisit, detained, opening } from '../support/sample-events.ts';
import { servicesOn } from '../support/test-services.ts';
import { createTestTables, type TestTables } from '../support/test-tables.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const tsx = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));

let db: TestTables;
let services: Services;

beforeAll(async () => {
  db = await createTestTables('alter');
  services = servicesOn(db);
  await services.ledger.append({
    caseId: 'alter-1',
    events: [opening(), detained('2025-06-30'), consularVisit('2025-07-01')],
    expected: 'no_stream',
    recordedBy: 'tester',
  });
});
afterAll(() => db.drop());

function alter(args: string[], endpoint = db.endpoint) {
  return spawnSync(tsx, ['local/alter-item.ts', ...args], {
    cwd: root,
    encoding: 'utf8',
    env: {
      ...process.env,
      DYNAMODB_ENDPOINT: endpoint,
      LEDGER_TABLE: db.tables.ledger,
      VIEWS_TABLE: db.tables.views,
    },
  });
}

describe('npm run alter-item (the tamper simulator of the walkthrough in docs/operations.md)', () => {
  it('changes a stored field behind the API, so the chain breaks there', async () => {
    const run = alter(['alter-1', '3', 'occurredAt', '"2025-07-02"']);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('was "2025-07-01"');
    expect(verifyChain(await services.ledger.readStream('alter-1'))).toMatchObject({
      ok: false,
      brokenAt: 3,
    });
  });

  it('deletes an event with --delete', async () => {
    expect(alter(['alter-1', '3', '--delete']).status).toBe(0);
    expect((await services.ledger.readStream('alter-1')).map((event) => event.version)).toEqual([1, 2]);
  });

  it('refuses a DynamoDB that is not on this machine, a missing event, the keys, and bad arguments', () => {
    const remote = alter(['alter-1', '2', 'note', 'x'], 'https://dynamodb.eu-west-1.amazonaws.com');
    expect(remote.status).toBe(1);
    expect(remote.stderr).toContain('only alters a DynamoDB on this machine');
    expect(alter(['alter-1', '9', 'note', 'x']).status).toBe(1);
    expect(alter(['alter-1', '2', 'version', '5']).status).toBe(2);
    expect(alter(['alter-1', 'two', 'note', 'x']).status).toBe(2);
    expect(alter(['alter-1', '2', 'note']).status).toBe(2);
  });
});
