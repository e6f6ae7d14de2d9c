import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { addDays, dayOf } from '../../domain/calendar.ts';
import { caseTimeline, foldCase } from '../../domain/fold-case.ts';
import { createDynamoDBClients } from '../../functions/dynamodb-clients.ts';
import { LocalKeyWrapper } from '../../functions/personal-data/local-key-wrapper.ts';
import { createServices } from '../../functions/services.ts';
import { caseKeysTable, ledgerTable, viewsTable } from '../../functions/tables/table-definitions.ts';
import { toCreateTableInput } from '../../functions/tables/to-create-table-input.ts';
import { loadLocalConfig } from '../../local/local-config.ts';
import { startLocalRuntime } from '../../local/local-runtime.ts';
import { rawRequest } from '../support/api-client.ts';
import { detained, withoutId } from '../support/sample-events.ts';
import { TEST_JWT_SECRET, testAuth, testToken } from '../support/tokens.ts';

/** The runtime's key and the older version's are one, as after an upgrade. */
const MASTER_KEY = randomBytes(32).toString('base64');

/**
 * The indexes and view attributes revision 3 added (and `byHearingDue`, which revision 5 added): a data
 * directory of revision 2 has none of them.
 */
const ALERT_INDEXES = new Set(['byVisitDue', 'byTermDue', 'byNewsDue', 'byHearingDue', 'byPendingUntil']);

let workDir: string;
beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'views-at-start-'));
});
afterAll(() => rm(workDir, { recursive: true, force: true }));

function configIn(dir: string) {
  const suffix = randomBytes(4).toString('hex');
  return loadLocalConfig(
    {
      PORT: '0',
      LEDGER_WEB: 'off',
      DYNAMODB_ENDPOINT: inject('dynamodbEndpoint'),
      LEDGER_TABLE: `upgrade-ledger-${suffix}`,
      VIEWS_TABLE: `upgrade-views-${suffix}`,
      KEYS_TABLE: `upgrade-keys-${suffix}`,
      LEDGER_JWT_SECRET: TEST_JWT_SECRET,
      LEDGER_MASTER_KEY: MASTER_KEY,
      XDG_CONFIG_HOME: join(dir, 'config'),
    },
    dir,
  );
}

describe('a data directory written by an older version of the views', () => {
  it('gets the indexes it lacks and its views rebuilt at start, so no case is missing from the alerts', async () => {
    const config = configIn(join(workDir, 'older'));
    const clients = createDynamoDBClients({ endpoint: config.dynamodb.endpoint! });
    // The tables as revision 2 made them: the views table without the alert indexes.
    const olderViews = {
      ...viewsTable,
      globalSecondaryIndexes: viewsTable.globalSecondaryIndexes.filter(
        (index) => !ALERT_INDEXES.has(index.indexName),
      ),
    };
    await clients.client.send(new CreateTableCommand(toCreateTableInput(ledgerTable, config.tables.ledger)));
    await clients.client.send(new CreateTableCommand(toCreateTableInput(olderViews, config.tables.views)));
    await clients.client.send(new CreateTableCommand(toCreateTableInput(caseKeysTable, config.tables.keys)));

    // A person detained 90 days ago and never visited: a consular visit overdue, recorded and projected then.
    const older = createServices({
      auth: testAuth,
      clients,
      tables: config.tables,
      keyWrapper: new LocalKeyWrapper(Buffer.from(MASTER_KEY, 'base64')),
    });
    const detainedOn = addDays(dayOf(Date.now()), -90);
    const token = await testToken(['recorder']);
    const opened = await rawRequest(older.app, '/cases', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        caseId: 'upgrade-1',
        subject: { name: 'Test Person Upgrade', nationality: 'Utopia' },
        events: [withoutId(detained(detainedOn))],
      }),
    });
    expect(opened.status).toBe(201);
    const events = await older.ledger.readStream('upgrade-1');
    const projectedAt = new Date();
    await older.views.put(
      {
        view: foldCase('upgrade-1', events, { asOf: projectedAt }),
        timeline: caseTimeline(events),
        projectedAt,
      },
      2,
    );
    // What revision 2 wrote: none of the alert keys.
    await clients.documents.send(
      new UpdateCommand({
        TableName: config.tables.views,
        Key: { caseId: 'upgrade-1' },
        UpdateExpression: 'REMOVE visitDay, termDay, newsDay, hearingDay, pendingAt',
      }),
    );

    const said: string[] = [];
    const runtime = await startLocalRuntime(config, { logger: () => {}, say: (line) => said.push(line) });
    try {
      const { Table } = await clients.client.send(
        new DescribeTableCommand({ TableName: config.tables.views }),
      );
      expect(new Set(Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName))).toEqual(
        new Set(viewsTable.globalSecondaryIndexes.map((index) => index.indexName)),
      );
      expect(said).toContainEqual(expect.stringMatching(/^The views were written by an older version/));
      const alerts = await fetch(`${runtime.url}/alerts`, {
        headers: { authorization: `Bearer ${await testToken(['viewer'])}` },
      });
      expect(alerts.status).toBe(200);
      const body = (await alerts.json()) as { alerts: { caseId: string; kind: string }[] };
      expect(body.alerts).toContainEqual(
        expect.objectContaining({ caseId: 'upgrade-1', kind: 'consular_visit_overdue' }),
      );
    } finally {
      await runtime.stop();
    }

    // Marked: the next start rebuilds nothing.
    const again: string[] = [];
    const second = await startLocalRuntime(config, { logger: () => {}, say: (line) => again.push(line) });
    await second.stop();
    expect(again.filter((line) => /older version/.test(line))).toEqual([]);
    clients.client.destroy();
  });

  it('marks a views table it makes as current, so a fresh start rebuilds nothing', async () => {
    const said: string[] = [];
    const runtime = await startLocalRuntime(configIn(join(workDir, 'fresh')), {
      logger: () => {},
      say: (line) => said.push(line),
    });
    await runtime.stop();
    expect(said.filter((line) => /older version/.test(line))).toEqual([]);
  });
});
