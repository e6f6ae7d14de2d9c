import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDynamoDBClients } from '../../functions/dynamodb-clients.ts';
import { type DynamoDBLocal, startDynamoDBLocal } from '../../local/dynamodb-local.ts';
import { JavaNotFoundError, parseJavaMajorVersion, requireJava } from '../../local/require-java.ts';

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('DynamoDB Local', () => {
  let parent: string;
  const started: DynamoDBLocal[] = [];

  beforeAll(async () => {
    parent = await mkdtemp(join(tmpdir(), 'ledger-dynamodb-local-'));
  });

  afterAll(async () => {
    await Promise.all(started.map((dynamodb) => dynamodb.stop()));
    await rm(parent, { recursive: true, force: true });
  });

  async function start(dataDir: string) {
    const dynamodb = await startDynamoDBLocal({ dataDir });
    started.push(dynamodb);
    return dynamodb;
  }

  it('keeps the data in the directory it is given, so it survives a restart, and stop() ends the process', async () => {
    const dataDir = join(parent, 'not-yet-created', 'data');
    const first = await start(dataDir);
    expect(first.endpoint).not.toBe(inject('dynamodbEndpoint'));
    // Different credentials and region than the next start: one shared database regardless.
    const before = createDynamoDBClients({ endpoint: first.endpoint, region: 'eu-west-1' });
    await before.client.send(
      new CreateTableCommand({
        TableName: 'survivors',
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      }),
    );
    await before.client.send(
      new PutItemCommand({ TableName: 'survivors', Item: { id: { S: 'one' }, note: { S: 'still here' } } }),
    );
    before.client.destroy();
    await first.stop();

    expect(isRunning(first.pid)).toBe(false);
    expect(await readdir(dataDir)).not.toEqual([]);

    const second = await start(dataDir);
    const after = createDynamoDBClients({ endpoint: second.endpoint });
    const { Item } = await after.client.send(
      new GetItemCommand({ TableName: 'survivors', Key: { id: { S: 'one' } } }),
    );
    after.client.destroy();
    await second.stop();
    await second.stop();

    expect(Item?.note).toEqual({ S: 'still here' });
    expect(isRunning(second.pid)).toBe(false);
  });

  it('refuses a relative data directory, which DynamoDB Local would resolve against its own folder', async () => {
    await expect(startDynamoDBLocal({ dataDir: 'relative/data' })).rejects.toThrow(/absolute/);
  });
});

describe('the Java check', () => {
  it('says how to install Java, or to use another DynamoDB, when Java cannot run', async () => {
    const check = requireJava('/nonexistent/bin/java');
    await expect(check).rejects.toBeInstanceOf(JavaNotFoundError);
    await expect(check).rejects.toThrow(
      /Java 17 or later[\s\S]*openjdk-17-jdk-headless[\s\S]*DYNAMODB_ENDPOINT/,
    );
  });

  it('reads modern and legacy version strings', () => {
    expect(parseJavaMajorVersion('openjdk version "17.0.15" 2025-04-15')).toBe(17);
    expect(parseJavaMajorVersion('java version "1.8.0_292"')).toBe(8);
    expect(parseJavaMajorVersion('openjdk version "21" 2023-09-19')).toBe(21);
    expect(parseJavaMajorVersion('no version here')).toBeUndefined();
  });
});
