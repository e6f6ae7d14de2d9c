import { type AttributeValue, DescribeTableCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findStreamArn, listShards } from '../../local/describe-stream.ts';
import { createDynamoDBStreamsClient } from '../../local/dynamodb-streams-client.ts';
import type { LogEntry } from '../../local/json-lines-logger.ts';
import { type StreamPoller, type StreamPollerOptions, startStreamPoller } from '../../local/stream-poller.ts';
import { createTestTables, type TestTables } from '../support/test-tables.ts';

let db: TestTables;
let streams: DynamoDBStreamsClient;
const pollers: StreamPoller[] = [];

beforeEach(async () => {
  db = await createTestTables('poller');
  streams = createDynamoDBStreamsClient({ endpoint: db.endpoint });
});

afterEach(async () => {
  await Promise.all(pollers.splice(0).map((poller) => poller.stop()));
  streams.destroy();
  await db.drop();
});

type Handler = StreamPollerOptions['handler'];

async function poll(handler: Handler, extra: Partial<StreamPollerOptions> = {}) {
  const poller = await startStreamPoller({
    client: db.clients.client,
    streamsClient: streams,
    tableName: db.tables.ledger,
    handler,
    idleDelayMs: 20,
    retryDelayMs: 10,
    maxRetryDelayMs: 40,
    logger: () => undefined,
    ...extra,
  });
  pollers.push(poller);
  return poller;
}

async function putEvent(streamId: string, version: number, extra: Record<string, AttributeValue> = {}) {
  await db.clients.client.send(
    new PutItemCommand({
      TableName: db.tables.ledger,
      Item: {
        streamId: { S: streamId },
        version: { N: String(version) },
        itemKind: { S: 'event' },
        ...extra,
      },
    }),
  );
}

/** A handler that keeps every batch it was given and answers with what `answer` returns. */
function recordingHandler(
  answer: (event: DynamoDBStreamEvent, call: number) => DynamoDBBatchResponse | undefined,
) {
  const batches: DynamoDBRecord[][] = [];
  const handler: Handler = async (event) => {
    batches.push(event.Records);
    return answer(event, batches.length);
  };
  return { handler, batches };
}

const versionOf = (record: DynamoDBRecord) => Number(record.dynamodb?.Keys?.version?.N);
const sequenceOf = (record: DynamoDBRecord) => record.dynamodb?.SequenceNumber ?? '';

describe('the stream poller', () => {
  it('delivers written items in order, shaped exactly like the records a Lambda function receives', async () => {
    const { handler, batches } = recordingHandler(() => ({ batchItemFailures: [] }));
    const poller = await poll(handler);
    const nested: Record<string, AttributeValue> = {
      data: {
        M: {
          place: { S: 'Example City' },
          charges: { L: [{ M: { text: { S: 'invented charge' }, article: { N: '318' } } }, { NULL: true }] },
          announced: { BOOL: false },
          tags: { SS: ['a', 'b'] },
          counts: { NS: ['1', '2.5'] },
        },
      },
      hash: { B: new Uint8Array([0, 1, 2, 254, 255]) },
      proofs: { BS: [new Uint8Array([104, 105])] },
    };
    for (let version = 1; version <= 3; version++) await putEvent('case-a', version, nested);
    await poller.idle();

    const records = batches.flat();
    expect(records.map(versionOf)).toEqual([1, 2, 3]);
    const { Table } = await db.clients.client.send(new DescribeTableCommand({ TableName: db.tables.ledger }));
    const first = records[0]!;
    expect(first).toMatchObject({
      eventName: 'INSERT',
      eventSource: 'aws:dynamodb',
      eventSourceARN: Table?.LatestStreamArn,
      awsRegion: expect.any(String),
      eventID: expect.any(String),
    });
    expect(first.dynamodb?.StreamViewType).toBe('NEW_AND_OLD_IMAGES');
    expect(first.dynamodb?.Keys).toEqual({ streamId: { S: 'case-a' }, version: { N: '1' } });
    expect(first.dynamodb?.NewImage).toEqual({
      streamId: { S: 'case-a' },
      version: { N: '1' },
      itemKind: { S: 'event' },
      data: nested.data,
      hash: { B: Buffer.from([0, 1, 2, 254, 255]).toString('base64') },
      proofs: { BS: ['aGk='] },
    });
    // Lambda reports whole seconds since the epoch, not a Date and not milliseconds.
    const created = first.dynamodb?.ApproximateCreationDateTime;
    expect(Number.isInteger(created)).toBe(true);
    expect(new Date(created! * 1000).getUTCFullYear()).toBe(new Date().getUTCFullYear());
    // Records travel as plain JSON, as they do to Lambda.
    expect(JSON.parse(JSON.stringify(first))).toEqual(first);
  });

  it('delivers a modification with both images, so tampering with an event can be seen', async () => {
    const { handler, batches } = recordingHandler(() => undefined);
    const poller = await poll(handler);
    await putEvent('case-b', 1, { note: { S: 'original' } });
    await putEvent('case-b', 1, { note: { S: 'changed' } });
    await poller.idle();

    const modify = batches.flat().find((record) => record.eventName === 'MODIFY');
    expect(modify?.dynamodb?.OldImage?.note).toEqual({ S: 'original' });
    expect(modify?.dynamodb?.NewImage?.note).toEqual({ S: 'changed' });
  });

  it('keeps delivering items written after it became idle', async () => {
    const { handler, batches } = recordingHandler(() => undefined);
    const poller = await poll(handler);
    await putEvent('case-c', 1);
    await poller.idle();
    await putEvent('case-c', 2);
    await poller.idle();

    expect(batches.flat().map(versionOf)).toEqual([1, 2]);
  });

  it('asks a quiet shard less and less often, down to one read per idleDelayMs', async () => {
    let reads = 0;
    streams.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'GetRecordsCommand') reads += 1;
        return next(args);
      },
      { step: 'initialize', name: 'getRecordsCounter' },
    );
    const { handler, batches } = recordingHandler(() => undefined);
    const poller = await poll(handler, { busyDelayMs: 10, idleDelayMs: 300 });
    await putEvent('case-q', 1);
    await poller.idle();
    const shards = (await listShards(streams, await findStreamArn(db.clients.client, db.tables.ledger)))
      .length;
    reads = 0;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    // 10, 20, 40, … 300 ms: about ten reads a shard in 1.5 s, where a fixed 10 ms would make 150.
    expect(reads).toBeLessThanOrEqual(15 * shards);
    expect(batches.flat().map(versionOf)).toEqual([1]);
  });

  it('splits the records into batches of at most batchSize', async () => {
    const { handler, batches } = recordingHandler(() => undefined);
    for (let version = 1; version <= 7; version++) await putEvent('case-d', version);
    const poller = await poll(handler, { batchSize: 3 });
    await poller.idle();

    expect(batches.every((batch) => batch.length <= 3)).toBe(true);
    expect(batches.flat().map(versionOf)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('re-delivers from the earliest reported failure, with the records after it, and skips nothing', async () => {
    for (let version = 1; version <= 5; version++) await putEvent('case-e', version);
    const { handler, batches } = recordingHandler((event, call) => {
      // The first call fails versions 4 and 2: the retry must start at 2, the earliest.
      if (call > 1) return { batchItemFailures: [] };
      const failed = event.Records.filter((record) => [4, 2].includes(versionOf(record)));
      return { batchItemFailures: failed.map((record) => ({ itemIdentifier: sequenceOf(record) })) };
    });
    const poller = await poll(handler, { batchSize: 5 });
    await poller.idle();

    expect(batches.map((batch) => batch.map(versionOf))).toEqual([
      [1, 2, 3, 4, 5],
      [2, 3, 4, 5],
    ]);
  });

  it('retries a failed record until the handler accepts it, without moving past it', async () => {
    for (let version = 1; version <= 3; version++) await putEvent('case-f', version);
    const { handler, batches } = recordingHandler((event, call) => {
      const second = event.Records.find((record) => versionOf(record) === 2);
      return call <= 4 && second
        ? { batchItemFailures: [{ itemIdentifier: sequenceOf(second) }] }
        : undefined;
    });
    const poller = await poll(handler);
    await poller.idle();

    expect(batches.map((batch) => batch.map(versionOf))).toEqual([
      [1, 2, 3],
      [2, 3],
      [2, 3],
      [2, 3],
      [2, 3],
    ]);
  });

  it('sets a record aside after the allowed attempts, logs it, and delivers the records behind it', async () => {
    for (let version = 1; version <= 3; version++) await putEvent('case-poison', version);
    const logs: Record<string, unknown>[] = [];
    const { handler, batches } = recordingHandler((event) => {
      const poison = event.Records.find((record) => versionOf(record) === 2);
      return poison ? { batchItemFailures: [{ itemIdentifier: sequenceOf(poison) }] } : undefined;
    });
    const poller = await poll(handler, { maxAttempts: 3, logger: (entry) => logs.push(entry) });
    await poller.idle();

    expect(batches.map((batch) => batch.map(versionOf))).toEqual([[1, 2, 3], [2, 3], [2, 3], [3]]);
    const setAside = logs.filter((entry) => String(entry.message).includes('set aside'));
    expect(setAside).toHaveLength(1);
    expect(setAside[0]).toMatchObject({
      level: 'error',
      keys: { streamId: { S: 'case-poison' }, version: { N: '2' } },
    });
  });

  it('treats a failure naming no record of the batch as a failure of the whole batch', async () => {
    await putEvent('case-g', 1);
    await putEvent('case-g', 2);
    const { handler, batches } = recordingHandler((_, call) =>
      call === 1 ? { batchItemFailures: [{ itemIdentifier: 'not-a-sequence-number' }] } : undefined,
    );
    const poller = await poll(handler);
    await poller.idle();

    expect(batches.map((batch) => batch.map(versionOf))).toEqual([
      [1, 2],
      [1, 2],
    ]);
  });

  it('retries a batch whose handler throws, and logs each failure as one structured entry', async () => {
    await putEvent('case-h', 1);
    await putEvent('case-h', 2);
    const logged: LogEntry[] = [];
    const { handler, batches } = recordingHandler((_, call) => {
      if (call <= 2) throw new Error(`projection failed (${call})`);
      return undefined;
    });
    const poller = await poll(handler, { logger: (entry) => logged.push(entry) });
    await poller.idle();

    expect(batches.map((batch) => batch.map(versionOf))).toEqual([
      [1, 2],
      [1, 2],
      [1, 2],
    ]);
    expect(logged).toHaveLength(2);
    expect(logged[0]).toMatchObject({
      level: 'error',
      message: 'stream handler threw',
      attempt: 1,
      error: { name: 'Error', message: 'projection failed (1)' },
    });
    expect(logged[1]).toMatchObject({ attempt: 2, error: { message: 'projection failed (2)' } });
  });

  it('stops: stop() resolves while a handler keeps failing, a pending idle() rejects, nothing more arrives', async () => {
    await putEvent('case-i', 1);
    const { handler, batches } = recordingHandler(() => {
      throw new Error('always failing');
    });
    const poller = await poll(handler);
    const idle = poller.idle();
    const idleOutcome = idle.then(
      () => 'resolved',
      () => 'rejected',
    );
    while (batches.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    await poller.stop();
    const deliveredWhenStopped = batches.length;

    await putEvent('case-i', 2);
    // A second poller proves the new record is readable; the stopped one must not have received it.
    const witness = recordingHandler(() => undefined);
    await (await poll(witness.handler)).idle();

    expect(await idleOutcome).toBe('rejected');
    expect(witness.batches.flat().map(versionOf)).toEqual([1, 2]);
    expect(batches).toHaveLength(deliveredWhenStopped);
    await expect(poller.idle()).rejects.toThrow(/stopped/);
  });

  it('stops at once when the handler fails during stop(), without waiting out the retry delay', async () => {
    await putEvent('case-j', 1);
    let entered!: () => void;
    const inHandler = new Promise<void>((resolve) => {
      entered = resolve;
    });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const handler: Handler = async () => {
      entered();
      await gate;
      throw new Error('failing as the poller stops');
    };
    // A ten-minute retry: were it waited out, stop() would outlast the test.
    const poller = await poll(handler, { retryDelayMs: 600_000, maxRetryDelayMs: 600_000 });
    await inHandler;
    const stopped = poller.stop();
    release();
    await stopped;
  });

  it('stops at once when stop() comes during a shard listing, without waiting out the discovery interval', async () => {
    let holdListing = false;
    let entered!: () => void;
    const inListing = new Promise<void>((resolve) => {
      entered = resolve;
    });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    streams.middlewareStack.add(
      (next, context) => async (args) => {
        if (holdListing && context.commandName === 'DescribeStreamCommand') {
          entered();
          await gate;
        }
        return next(args);
      },
      { step: 'initialize', name: 'listingGate' },
    );
    // A ten-minute interval: were it waited out, stop() would outlast the test.
    const poller = await poll(async () => undefined, { discoveryIntervalMs: 600_000 });
    await poller.idle();
    holdListing = true;
    // An idle() starts a listing at once; it is held until the poller has been told to stop.
    poller.idle().catch(() => undefined);
    await inListing;
    const stopped = poller.stop();
    release();
    await stopped;
  });

  it('refuses a table without a stream', async () => {
    await expect(poll(async () => undefined, { tableName: db.tables.views })).rejects.toThrow(/no stream/);
  });
});
