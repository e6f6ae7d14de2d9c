import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoDBStreamsClient } from '../../local/dynamodb-streams-client.ts';
import { type StreamPoller, startStreamPoller } from '../../local/stream-poller.ts';
import { createTestTables, type TestTables } from '../support/test-tables.ts';

let db: TestTables;
let poller: StreamPoller;
const delivered: DynamoDBRecord[] = [];

beforeAll(async () => {
  db = await createTestTables('lambda-record');
  poller = await startStreamPoller({
    client: db.clients.client,
    streamsClient: createDynamoDBStreamsClient({ endpoint: db.endpoint }),
    tableName: db.tables.ledger,
    idleDelayMs: 20,
    handler: async (event) => {
      delivered.push(...event.Records);
      return { batchItemFailures: [] };
    },
  });
});
afterAll(async () => {
  await poller.stop();
  await db.drop();
});

describe('stream records as Lambda delivers them', () => {
  it('carry empty maps and lists, as an event with no data fields has them', async () => {
    await db.clients.documents.send(
      new PutCommand({
        TableName: db.tables.ledger,
        Item: { streamId: '#empty', version: 1, data: {}, list: [], nested: { inner: {} } },
      }),
    );
    await poller.idle();
    const image = delivered.find((record) => record.dynamodb?.Keys?.streamId?.S === '#empty')?.dynamodb
      ?.NewImage;
    expect(image?.data).toEqual({ M: {} });
    expect(image?.list).toEqual({ L: [] });
    expect(image?.nested).toEqual({ M: { inner: { M: {} } } });
  });
});
