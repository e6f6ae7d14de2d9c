import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  type GlobalSecondaryIndexDescription,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { caseTimeline, foldCase } from '../../domain/fold-case.ts';
import { PROJECTION_REVISION } from '../../domain/projection-revision.ts';
import { createDynamoDBClients } from '../../functions/dynamodb-clients.ts';
import { LocalKeyWrapper } from '../../functions/personal-data/local-key-wrapper.ts';
import { createServices } from '../../functions/services.ts';
import { ensureTables } from '../../functions/tables/ensure-tables.ts';
import {
  caseKeysTable,
  type IndexDefinition,
  ledgerTable,
  viewsTable,
} from '../../functions/tables/table-definitions.ts';
import { toCreateTableInput } from '../../functions/tables/to-create-table-input.ts';
import { alertIndexes } from '../../functions/tables/view-keys.ts';
import { loadLocalConfig } from '../../local/local-config.ts';
import { startLocalRuntime } from '../../local/local-runtime.ts';
import { detained, event, opening, record, released } from '../support/sample-events.ts';
import { TEST_JWT_SECRET, testAuth, testToken } from '../support/tokens.ts';

const MASTER_KEY = randomBytes(32).toString('base64');
const ALERT_INDEXES = new Set<string>(Object.values(alertIndexes).map((index) => index.indexName));
const GROUP = 'projection-upgrade';

let workDir: string;
beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'index-projections-'));
});
afterAll(() => rm(workDir, { recursive: true, force: true }));

function configIn(dir: string) {
  const suffix = randomBytes(4).toString('hex');
  return loadLocalConfig(
    {
      PORT: '0',
      LEDGER_WEB: 'off',
      DYNAMODB_ENDPOINT: inject('dynamodbEndpoint'),
      LEDGER_TABLE: `projections-ledger-${suffix}`,
      VIEWS_TABLE: `projections-views-${suffix}`,
      KEYS_TABLE: `projections-keys-${suffix}`,
      LEDGER_JWT_SECRET: TEST_JWT_SECRET,
      LEDGER_MASTER_KEY: MASTER_KEY,
      XDG_CONFIG_HOME: join(dir, 'config'),
    },
    dir,
  );
}

/** Each index's projection as DynamoDB describes it, by index name, attribute lists sorted. */
async function projections(client: DynamoDBClient, tableName: string) {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
  const shape = (index: Pick<GlobalSecondaryIndexDescription, 'Projection'>) => ({
    type: index.Projection?.ProjectionType,
    attributes: [...(index.Projection?.NonKeyAttributes ?? [])].sort(),
  });
  return Object.fromEntries(
    (Table?.GlobalSecondaryIndexes ?? []).map((index) => [index.IndexName, shape(index)]),
  );
}

/** The projections the definition asks for, in the same form. */
function definedProjections() {
  const wanted = toCreateTableInput(viewsTable, 'any').GlobalSecondaryIndexes ?? [];
  return Object.fromEntries(
    wanted.map((index) => [
      index.IndexName,
      {
        type: index.Projection?.ProjectionType,
        attributes: [...(index.Projection?.NonKeyAttributes ?? [])].sort(),
      },
    ]),
  );
}

/** Three invented cases: held with a term, held without one, released. */
function cases() {
  const group = { groupId: GROUP };
  return {
    'pu-held-term': record(
      [
        opening(group),
        detained('2025-06-30'),
        event('CustodyOrdered', '2025-07-01', { court: 'Capital Court', months: 2 }),
      ],
      { streamId: 'pu-held-term' },
    ),
    'pu-held': record([opening(group), detained('2025-06-30')], { streamId: 'pu-held' }),
    'pu-out': record([opening(group), detained('2025-06-30'), released('2025-08-01')], {
      streamId: 'pu-out',
    }),
  };
}

describe('a data directory made when the list indexes copied whole view items', () => {
  it('has those indexes replaced at start, keeping every case in the lists, the term order and the summary', async () => {
    const config = configIn(join(workDir, 'older'));
    const clients = createDynamoDBClients({ endpoint: config.dynamodb.endpoint! });
    // The views table as the older version made it: every list index projecting ALL.
    const olderViews = {
      ...viewsTable,
      globalSecondaryIndexes: viewsTable.globalSecondaryIndexes.map(
        (index): IndexDefinition =>
          ALERT_INDEXES.has(index.indexName) ? index : { ...index, projection: 'ALL' },
      ),
    };
    await clients.client.send(new CreateTableCommand(toCreateTableInput(ledgerTable, config.tables.ledger)));
    await clients.client.send(new CreateTableCommand(toCreateTableInput(olderViews, config.tables.views)));
    await clients.client.send(new CreateTableCommand(toCreateTableInput(caseKeysTable, config.tables.keys)));
    const older = createServices({
      auth: testAuth,
      clients,
      tables: config.tables,
      keyWrapper: new LocalKeyWrapper(Buffer.from(MASTER_KEY, 'base64')),
    });
    const projectedAt = new Date();
    for (const [caseId, events] of Object.entries(cases())) {
      await older.views.put(
        {
          view: foldCase(caseId, events, { asOf: projectedAt }),
          timeline: caseTimeline(events),
          projectedAt,
        },
        PROJECTION_REVISION,
      );
    }
    // Current views: only the indexes differ, so what the lists answer after the start comes from their refill.
    await older.views.markRebuilt(PROJECTION_REVISION, projectedAt);
    const before = await projections(clients.client, config.tables.views);
    expect(before.byAll).toEqual({ type: 'ALL', attributes: [] });
    expect(before).not.toEqual(definedProjections());

    const said: string[] = [];
    const runtime = await startLocalRuntime(config, { logger: () => {}, say: (line) => said.push(line) });
    try {
      expect(await projections(clients.client, config.tables.views)).toEqual(definedProjections());
      expect(said.filter((line) => /older version/.test(line))).toEqual([]);
      const headers = { authorization: `Bearer ${await testToken(['viewer'])}` };
      const get = async (path: string) => {
        const answer = await fetch(`${runtime.url}${path}`, { headers });
        expect(answer.status).toBe(200);
        return answer.json() as Promise<Record<string, unknown>>;
      };
      const ids = (body: Record<string, unknown>) =>
        (body.cases as { caseId: string }[]).map((listed) => listed.caseId);

      expect(ids(await get(`/cases?groupId=${GROUP}`))).toEqual(['pu-held', 'pu-held-term', 'pu-out']);
      expect(ids(await get(`/cases?groupId=${GROUP}&sort=custodyUntil`))).toEqual([
        'pu-held-term',
        'pu-held',
        'pu-out',
      ]);
      expect(ids(await get(`/cases?status=detained`))).toEqual(['pu-held', 'pu-held-term']);
      const summary = await get(`/summary?groupId=${GROUP}`);
      expect(summary.total).toBe(3);
      expect(summary.byStatus).toMatchObject({ detained: 2, released: 1 });
    } finally {
      await runtime.stop();
    }

    // Replaced once: the next look finds every index as defined.
    expect((await ensureTables(clients.client, config.tables)).views).toBe('existing');
    clients.client.destroy();
  });
});
