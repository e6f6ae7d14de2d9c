import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoDBClients, type DynamoDBClients } from '../../functions/dynamodb-clients.ts';
import { LocalKeyWrapper } from '../../functions/personal-data/local-key-wrapper.ts';
import { createServices } from '../../functions/services.ts';
import { openMasterKeyRing } from '../../local/master-key-file.ts';
import { openedSubjectName } from '../support/answered-events.ts';
import { jsonAt, typedClient } from '../support/api-client.ts';
import { createTestTables, type TestTables } from '../support/test-tables.ts';
import { testAuth } from '../support/tokens.ts';

let workDir: string;
let db: TestTables;
beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'key-rotation-'));
  db = await createTestTables('rotation');
});
afterAll(async () => {
  await db.drop();
  await rm(workDir, { recursive: true, force: true });
});

/** A runtime's start over the key folder: its master keys read from disk, a pending rotation finished. */
async function start(keyDir: string, clients: DynamoDBClients = db.clients) {
  const ring = await openMasterKeyRing({ keyDir });
  const services = createServices({
    auth: testAuth,
    clients,
    tables: db.tables,
    keyWrapper: new LocalKeyWrapper(ring),
  });
  const report = await services.caseKeys.finishRotation();
  return { ring, services, client: await typedClient(services.app), report };
}

/**
 * A process that crashes at the `after`+1-th DynamoDB call named `command`: its own clients, with a fault
 * injected in front of the real DynamoDB Local.
 */
function crashingClients(command: RegExp, after: number): DynamoDBClients {
  const clients = createDynamoDBClients({ endpoint: db.endpoint });
  let seen = 0;
  clients.client.middlewareStack.add(
    (next, context) => async (args) => {
      if (command.test(context.commandName ?? '') && ++seen > after)
        throw new Error('the process crashed here');
      return next(args);
    },
    { step: 'initialize', name: 'injectedCrash' },
  );
  return clients;
}

async function keyItems(prefix: string) {
  const { Items = [] } = await db.clients.documents.send(
    new ScanCommand({ TableName: db.tables.keys, ConsistentRead: true }),
  );
  return Items.filter((item) => String(item.caseId).startsWith(prefix));
}

type Client = Awaited<ReturnType<typeof typedClient>>;

const eraseCase = (client: Client, caseId: string, json: { reason: string; eventId?: string }) =>
  client.cases[':caseId'].erase.$post({ param: { caseId }, json });

async function openCases(client: Client, prefix: string, count: number) {
  for (let index = 0; index < count; index++) {
    const opened = await client.cases.$post({
      header: {},
      json: { caseId: `${prefix}-${index}`, subject: { name: `Test Person ${prefix} ${index}` } },
    });
    expect(opened.status).toBe(201);
  }
}

async function nameOf(client: Client, caseId: string) {
  const history = await jsonAt(
    await client.cases[':caseId'].events.$get({ param: { caseId }, query: {} }),
    200,
  );
  return openedSubjectName(history.events[0]);
}

async function expectEveryKeyOpens(client: Client, prefix: string, count: number, erased: number[]) {
  for (let index = 0; index < count; index++) {
    expect(await nameOf(client, `${prefix}-${index}`)).toBe(
      erased.includes(index) ? '[erased]' : `Test Person ${prefix} ${index}`,
    );
  }
}

const keyFiles = async (dir: string) => (await readdir(dir)).filter((name) => name.endsWith('.key'));

describe('each erasure replaces the local master key', () => {
  it('re-wraps every surviving case key under a new master key, says which on each item, and destroys the old one', async () => {
    const keyDir = join(workDir, 'plain');
    const { ring, client } = await start(keyDir);
    await openCases(client, 'plain', 4);
    const before = new Map((await keyItems('plain')).map((item) => [item.caseId, item.wrappedKey]));
    const oldId = ring.keys()[0]!.id;
    expect([...(await keyItems('plain'))].map((item) => item.wrappedBy)).toEqual(
      Array(4).fill(`local:${oldId}`),
    );

    expect((await eraseCase(client, 'plain-1', { reason: 'Request of the person (invented)' })).status).toBe(
      200,
    );
    const newId = ring.keys()[0]!.id;
    expect(ring.keys()).toHaveLength(1);
    expect(newId).not.toBe(oldId);
    expect(await keyFiles(keyDir)).toEqual(['master-000002.key']);
    const after = await keyItems('plain');
    expect(after.map((item) => item.caseId).sort()).toEqual(['plain-0', 'plain-2', 'plain-3']);
    for (const item of after) {
      expect(item.wrappedBy).toBe(`local:${newId}`);
      expect(item.wrappedKey).not.toBe(before.get(item.caseId));
    }
    await expectEveryKeyOpens(client, 'plain', 4, [1]);
    // A remnant of the erased case's wrapped key, as a disk may keep it, opens with no key this runtime holds.
    const wrapper = new LocalKeyWrapper(await openMasterKeyRing({ keyDir }));
    await expect(wrapper.unwrap('plain-1', String(before.get('plain-1')))).rejects.toThrow(oldId);
    // Put back by hand from a copy taken before the erasure, it is as destroyed as the master key that wrapped it.
    await db.clients.documents.send(
      new PutCommand({
        TableName: db.tables.keys,
        Item: {
          caseId: 'plain-1',
          wrappedKey: before.get('plain-1'),
          wrappedBy: `local:${oldId}`,
          createdAt: '',
        },
      }),
    );
    expect(await nameOf(client, 'plain-1')).toBe('[erased]');
  });

  it('erases each of several concurrent erasures and ends holding one master key, newer than the first', async () => {
    const keyDir = join(workDir, 'together');
    const { client, ring } = await start(keyDir);
    await openCases(client, 'together', 6);
    const first = ring.keys()[0]!.id;
    const answers = await Promise.all(
      [0, 2, 4].map((index) => eraseCase(client, `together-${index}`, { reason: 'Court order (invented)' })),
    );
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
    expect(ring.keys()).toHaveLength(1);
    expect(ring.keys()[0]!.id).not.toBe(first);
    await expectEveryKeyOpens(client, 'together', 6, [0, 2, 4]);
    expect(new Set((await keyItems('together')).map((item) => item.wrappedBy))).toEqual(
      new Set([`local:${ring.keys()[0]!.id}`]),
    );
  });
});

describe('erasures and openings during a rotation', () => {
  it('share one rotation among erasures asked for together', async () => {
    const keyDir = join(workDir, 'shared');
    const { client, services } = await start(keyDir);
    await openCases(client, 'shared', 5);
    const results = await Promise.all([0, 1, 2].map((index) => services.caseKeys.destroy(`shared-${index}`)));
    expect(results).toEqual([{ existed: true }, { existed: true }, { existed: true }]);
    expect(await keyFiles(keyDir)).toEqual(['master-000002.key']);
    await expectEveryKeyOpens(client, 'shared', 5, [0, 1, 2]);
  });

  it('lose no key whose making began under the master key a rotation retires', async () => {
    const keyDir = join(workDir, 'making');
    // The key's put is held until the rotation's read of the keys table is back — the order that would lose
    // it — unless the rotation waits for it, which it must; then the hold gives up after a while, and the put
    // lands before the rotation reads.
    const clients = createDynamoDBClients({ endpoint: db.endpoint });
    let scanned: () => void = () => {};
    const scan = new Promise<void>((resolve) => {
      scanned = resolve;
    });
    let putting: () => void = () => {};
    const put = new Promise<void>((resolve) => {
      putting = resolve;
    });
    clients.client.middlewareStack.add(
      (next, context) => async (args) => {
        if (/^Put/.test(context.commandName ?? '')) {
          putting();
          await Promise.race([scan, new Promise((resolve) => setTimeout(resolve, 2_000))]);
        }
        const result = await next(args);
        if (/^Scan/.test(context.commandName ?? '')) scanned();
        return result;
      },
      { step: 'initialize', name: 'holdPut' },
    );
    const healthy = await start(keyDir);
    await openCases(healthy.client, 'making', 2);
    const { services } = await start(keyDir, clients);
    const making = services.caseKeys.obtain('making-new');
    await put; // wrapped under the old master key, on its way to the table
    const [key] = await Promise.all([making, services.caseKeys.destroy('making-0')]);
    clients.client.destroy();
    const restarted = await start(keyDir);
    expect(restarted.ring.keys()).toHaveLength(1);
    expect(await restarted.services.caseKeys.find('making-new')).toEqual(key);
    await expectEveryKeyOpens(restarted.client, 'making', 2, [0]);
  });
});

describe('an erasure that cannot keep a new master key', () => {
  it('still destroys the case key, fails, and rotates on its retry', async () => {
    const keyDir = join(workDir, 'unkept');
    const { client, ring } = await start(keyDir);
    await openCases(client, 'unkept', 3);
    // The name the new master key would take is held by a directory: it cannot be written.
    await mkdir(join(keyDir, 'master-000002.key'));
    const erase = {
      reason: 'Request of the person (invented)',
      eventId: '0000000a-1d7a-4f3e-8a55-0c2d9b7e4a10',
    };
    expect((await eraseCase(client, 'unkept-1', erase)).status).toBe(500);
    expect(await nameOf(client, 'unkept-1')).toBe('[erased]');
    expect(ring.keys()).toHaveLength(1);
    await rm(join(keyDir, 'master-000002.key'), { recursive: true });
    expect((await eraseCase(client, 'unkept-1', erase)).status).toBe(200);
    expect(await keyFiles(keyDir)).toEqual(['master-000002.key']);
    await expectEveryKeyOpens(client, 'unkept', 3, [1]);
  });
});

describe('a rotation interrupted at any point loses no key: the next start finishes it', () => {
  type Interruption = {
    readonly clients: () => DynamoDBClients;
    /** Sets the fault up once the crashing process has read its keys. */
    readonly arm?: (keyDir: string) => Promise<void>;
  };
  const plainClients = () => createDynamoDBClients({ endpoint: db.endpoint });
  const interruptions: Array<[string, Interruption]> = [
    [
      'after the new master key is kept, before the case key is deleted',
      { clients: () => crashingClients(/^Delete/, 0) },
    ],
    [
      'after the case key is deleted, before any other is re-wrapped',
      { clients: () => crashingClients(/^Update/, 0) },
    ],
    ['after some case keys are re-wrapped', { clients: () => crashingClients(/^Update/, 2) }],
    [
      'after every case key is re-wrapped, before the old master key is destroyed',
      {
        clients: plainClients,
        // The old key file cannot be renamed out of the ring: a directory holds the name it would take.
        arm: (keyDir) => mkdir(join(keyDir, 'master-000001.key.retired')),
      },
    ],
  ];
  for (const [index, [when, interruption]] of interruptions.entries()) {
    it(`when the process stops ${when}`, async () => {
      const prefix = `crash${index}`;
      const keyDir = join(workDir, prefix);
      const eventId = `0000000${index}-1d7a-4f3e-8a55-0c2d9b7e4a10`;
      const erase = { reason: 'Request of the person (invented)', eventId };
      const healthy = await start(keyDir);
      await openCases(healthy.client, prefix, 5);
      const clients = interruption.clients();
      const crashed = await start(keyDir, clients);
      await interruption.arm?.(keyDir);
      expect((await eraseCase(crashed.client, `${prefix}-3`, erase)).status).toBe(500);
      clients.client.destroy();
      await rm(join(keyDir, 'master-000001.key.retired'), { recursive: true, force: true });
      expect(await keyFiles(keyDir)).toHaveLength(2);

      const restarted = await start(keyDir);
      expect(restarted.ring.keys()).toHaveLength(1);
      expect(await keyFiles(keyDir)).toEqual(['master-000002.key']);
      const erasedBeforeCrash = (await keyItems(prefix)).length === 4;
      await expectEveryKeyOpens(restarted.client, prefix, 5, erasedBeforeCrash ? [3] : []);
      expect(new Set((await keyItems(prefix)).map((item) => item.wrappedBy))).toEqual(
        new Set([`local:${restarted.ring.keys()[0]!.id}`]),
      );
      // The erasure's retry finishes it, under yet another master key.
      expect((await eraseCase(restarted.client, `${prefix}-3`, erase)).status).toBe(200);
      await expectEveryKeyOpens(restarted.client, prefix, 5, [3]);
      expect(await keyFiles(keyDir)).toEqual(['master-000003.key']);
    });
  }
});
