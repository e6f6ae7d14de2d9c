import { createPublicKey, randomUUID, verify } from 'node:crypto';
import { GetPublicKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { StoredEvent } from '../../domain/stored-event.ts';
import { lambdaApi } from '../../functions/api/lambda-api.ts';
import { ConfigurationError } from '../../functions/config.ts';
import { integratorOnAws } from '../../functions/log/handlers/integrator-on-aws.ts';
import { AuditFeed } from '../../functions/store/audit-feed.ts';
import { toEventItem } from '../../functions/store/ledger-items.ts';
import { LedgerStore } from '../../functions/store/ledger-store.ts';
import { type KmsStandIn, startKmsStandIn } from '../support/kms-stand-in.ts';
import { type S3StandIn, startS3StandIn } from '../support/s3-stand-in.ts';
import { consularVisit, detained, opening } from '../support/sample-events.ts';
import { createTestTables, type TestTables } from '../support/test-tables.ts';
import { rootOfEventHashes } from './integrator-support.ts';

/**
 * The integrator as its Lambda entry builds it from the stack's environment, against DynamoDB Local and the real
 * S3 and KMS clients talking to loopback stand-ins of those services: the wiring the stack deploys, end to end.
 */
const BUCKET = 'detention-ledger-test-log-tiles';
const ORIGIN = 'ledger.ngo-test.example/log';
const credentials = { accessKeyId: 'stand-in', secretAccessKey: 'stand-in' };

let db: TestTables;
let s3: S3StandIn;
let kms: KmsStandIn;
let env: Record<string, string>;
let clients: { s3: S3Client; kms: KMSClient };

beforeAll(async () => {
  db = await createTestTables('log-on-aws');
  s3 = await startS3StandIn();
  kms = await startKmsStandIn();
  env = {
    LEDGER_TABLE: db.tables.ledger,
    VIEWS_TABLE: db.tables.views,
    KEYS_TABLE: db.tables.keys,
    NOTIFICATIONS_TABLE: db.tables.notifications,
    LOG_TABLE: db.tables.log,
    DYNAMODB_ENDPOINT: inject('dynamodbEndpoint'),
    AWS_REGION: 'eu-west-1',
    LOG_BUCKET: BUCKET,
    LOG_KMS_KEY_ID: kms.keyId,
    LOG_ORIGIN: ORIGIN,
  };
  const region = 'eu-west-1';
  clients = {
    s3: new S3Client({ endpoint: s3.endpoint, forcePathStyle: true, region, credentials, maxAttempts: 1 }),
    kms: new KMSClient({ endpoint: kms.endpoint, region, credentials, maxAttempts: 1 }),
  };
});
afterAll(async () => {
  await Promise.all([s3.close(), kms.close()]);
  await db.drop();
});

async function appendCase(): Promise<void> {
  const clock = () => new Date();
  const ledger = new LedgerStore({
    documents: db.clients.documents,
    tableName: db.tables.ledger,
    clock,
    subjects: db.subjectVault(clock),
  });
  await ledger.append({
    caseId: `on-aws-${randomUUID()}`,
    events: [opening({ occurredAt: '2024-01-01' }), detained('2024-01-02'), consularVisit('2024-01-03')],
    expected: 'no_stream',
    recordedBy: 'test-recorder',
  });
}

async function recorded(): Promise<StoredEvent[]> {
  const audit = new AuditFeed({ documents: db.clients.documents, tableName: db.tables.ledger });
  return (await audit.page({ from: new Date(0), to: new Date(Date.now() + 60_000), limit: 1000 })).events;
}

/** The checkpoint in the bucket: its note text and the log's signature over it, checked with KMS's public key. */
async function publishedCheckpoint() {
  const stored = s3.objects.get(`${BUCKET}/checkpoint`);
  expect(stored?.headers['content-type']).toBe('text/plain; charset=utf-8');
  const note = stored!.body.toString('utf8');
  const [text, signatures] = note.split('\n\n') as [string, string];
  const [origin, size, root] = text.split('\n');
  const line = signatures.split('\n').find((l) => l.startsWith(`— ${ORIGIN} `))!;
  const signature = Buffer.from(line.split(' ')[2]!, 'base64').subarray(4);
  const spki = (await clients.kms.send(new GetPublicKeyCommand({ KeyId: kms.keyId }))).PublicKey!;
  const publicKey = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  return {
    origin,
    size: Number(size),
    root: Buffer.from(root!, 'base64'),
    signed: verify(null, Buffer.from(`${text}\n`), publicKey, signature),
  };
}

describe('the integrator on AWS, from its environment', () => {
  it('takes in the ledger on its scheduled pass, writes the tiles to S3 and signs the checkpoint with KMS', async () => {
    await appendCase();
    const integrator = integratorOnAws(env, clients);
    const summary = await integrator.pass(() => 900_000);
    expect(summary).toMatchObject({ read: 3, integrated: 3, published: 3, stopped: false });

    const checkpoint = await publishedCheckpoint();
    expect(checkpoint).toMatchObject({ origin: ORIGIN, size: 3, signed: true });
    expect(checkpoint.root).toEqual(rootOfEventHashes((await recorded()).map((event) => event.hash)));
    expect(s3.objects.get(`${BUCKET}/tile/0/000.p/3`)?.body).toHaveLength(3 * 32);
    expect(s3.objects.get(`${BUCKET}/tile/entries/000.p/3`)?.headers['cache-control']).toBe(
      'public, max-age=10',
    );
    const signs = kms.requests.filter((request) => request.operation === 'Sign');
    expect(signs.length).toBeGreaterThan(0);
    for (const request of signs) {
      expect(request.body).toMatchObject({ MessageType: 'RAW', SigningAlgorithm: 'ED25519_SHA_512' });
    }
  });

  it('takes in a batch of the stream, and acknowledges it whole', async () => {
    const integrator = integratorOnAws(env, clients);
    const before = new Set((await recorded()).map((event) => event.eventId));
    await appendCase();
    const fresh = (await recorded()).filter((event) => !before.has(event.eventId));
    expect(fresh).toHaveLength(3);
    const batch: DynamoDBStreamEvent = {
      Records: fresh.map((event, index) => ({
        eventName: 'INSERT',
        eventSource: 'aws:dynamodb',
        dynamodb: {
          SequenceNumber: String(1000 + index),
          NewImage: marshall(toEventItem(event), { removeUndefinedValues: true }) as never,
        },
      })),
    };
    expect(await integrator.onRecords(batch)).toEqual({ batchItemFailures: [] });
    const checkpoint = await publishedCheckpoint();
    expect(checkpoint).toMatchObject({ size: 6, signed: true });
    expect(checkpoint.root).toEqual(rootOfEventHashes((await recorded()).map((event) => event.hash)));
    // The scheduled pass after it finds nothing more to take in.
    expect(await integrator.pass(() => 900_000)).toMatchObject({ integrated: 0, published: 6 });
  });

  it('fails the batch from its first record when KMS cannot sign, so the stream delivers it again', async () => {
    const integrator = integratorOnAws({ ...env, LOG_KMS_KEY_ID: `${kms.keyId}-other` }, clients);
    await appendCase();
    const before = await recorded();
    const last = before.at(-1)!;
    const answer = await integrator.onRecords({
      Records: [
        {
          eventName: 'INSERT',
          eventSource: 'aws:dynamodb',
          dynamodb: { SequenceNumber: '2000', NewImage: marshall(toEventItem(last)) as never },
        },
      ],
    });
    expect(answer).toEqual({ batchItemFailures: [{ itemIdentifier: '2000' }] });
    expect((await publishedCheckpoint()).size).toBe(6);
  });

  it("lets the API serve the log from the bucket and the key's public half, as the stack wires it", async () => {
    const apiEnv: Record<string, string> = { ...env, AUTH_MODE: 'api-gateway' };
    const { app } = lambdaApi('api-gateway', apiEnv, clients);
    const checkpoint = await app.request('/log/checkpoint');
    expect(checkpoint.status).toBe(200);
    expect(await checkpoint.text()).toBe(s3.objects.get(`${BUCKET}/checkpoint`)!.body.toString('utf8'));
    const keys = await app.request('/log/key');
    expect(keys.status).toBe(200);
    const spki = (await clients.kms.send(new GetPublicKeyCommand({ KeyId: kms.keyId }))).PublicKey!;
    const raw = Buffer.from(spki).subarray(-32);
    const [logKey] = (await keys.text()).split('\n');
    expect(logKey).toMatch(new RegExp(`^${ORIGIN.replace(/[.]/g, '\\.')}\\+[0-9a-f]{8}\\+`));
    expect(Buffer.from(logKey!.split('+').slice(2).join('+'), 'base64')).toEqual(
      Buffer.concat([Buffer.from([1]), raw]),
    );
    const tile = await app.request('/log/tile/0/000.p/6');
    expect(tile.status).toBe(200);
    expect(Buffer.from(await tile.arrayBuffer())).toEqual(s3.objects.get(`${BUCKET}/tile/0/000.p/6`)!.body);
    // Without the bucket and key the routes say the log is not here, and nothing else changes.
    const withoutLog = Object.fromEntries(
      Object.entries(apiEnv).filter(([name]) => name !== 'LOG_BUCKET' && name !== 'LOG_KMS_KEY_ID'),
    );
    expect((await lambdaApi('api-gateway', withoutLog).app.request('/log/checkpoint')).status).toBe(503);
  });

  it.each([
    ['no bucket nor key', { LOG_BUCKET: undefined, LOG_KMS_KEY_ID: undefined }, /LOG_BUCKET, LOG_KMS_KEY_ID/],
    ['a bucket without a key', { LOG_KMS_KEY_ID: undefined }, /go together/],
    ['a bucket name S3 refuses', { LOG_BUCKET: 'Log_Tiles' }, /S3 bucket name/],
    ['a key id with spaces', { LOG_KMS_KEY_ID: 'alias/log key' }, /without spaces/],
    ['an origin with a space', { LOG_ORIGIN: 'ledger ngo' }, /LOG_ORIGIN/],
  ])('refuses to start with %s, in plain words', (_, change, message) => {
    let thrown: unknown;
    try {
      integratorOnAws({ ...env, ...change }, clients);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigurationError);
    expect((thrown as ConfigurationError).message).toMatch(message);
  });
});
