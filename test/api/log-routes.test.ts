import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { getRequestListener } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCheckpoint } from '../../domain/log/checkpoint.ts';
import { verifyConsistency } from '../../domain/log/proof-checks.ts';
import { parseNote, verifyNote } from '../../domain/log/signed-note.ts';
import { parseVerifierKey } from '../../domain/log/verifier-key.ts';
import { directoryTileStore } from '../../functions/log/directory-tile-store.ts';
import type { Services } from '../../functions/services.ts';
import { createDynamoDBStreamsClient } from '../../local/dynamodb-streams-client.ts';
import { type LocalLog, startLocalLog } from '../../local/log/local-log.ts';
import { openLogKey } from '../../local/log-key-file.ts';
import {
  consistencyHolds,
  leafHash,
  rootOfEventHashes,
  temporaryDirectory,
} from '../log/integrator-support.ts';
import { consularVisit, withoutId } from '../support/sample-events.ts';
import { servicesOn } from '../support/test-services.ts';
import { createTestTables, type TestTables } from '../support/test-tables.ts';
import { testToken } from '../support/tokens.ts';

const ORIGIN = 'test.example/log-routes';
let db: TestTables;
let services: Services;
let log: LocalLog;
let server: Server;
let base: string;
let dir: Awaited<ReturnType<typeof temporaryDirectory>>;
let auditor: string;
let streams: ReturnType<typeof createDynamoDBStreamsClient>;

beforeAll(async () => {
  db = await createTestTables('log-routes');
  dir = await temporaryDirectory('log-routes');
  const tiles = directoryTileStore(dir.path);
  const signer = await openLogKey({ name: ORIGIN });
  services = servicesOn(db, { logParts: { tiles, signer } });
  streams = createDynamoDBStreamsClient({ endpoint: db.endpoint });
  log = await startLocalLog({
    parts: { tiles, signer, directory: dir.path, cleanup: async () => {} },
    store: services.logStore,
    audit: services.audit,
    client: db.clients.client,
    streamsClient: streams,
    ledgerTable: db.tables.ledger,
    clock: () => new Date(),
    logger: () => {},
  });
  server = createServer(getRequestListener(services.app.fetch));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  auditor = await testToken(['auditor']);
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await log.stop();
  streams.destroy();
  await dir.remove();
  await db.drop();
});

const get = (path: string, token?: string) =>
  fetch(`${base}${path}`, token ? { headers: { authorization: `Bearer ${token}` } } : {});

/** A request with the path exactly as written: no URL parser between it and the server. */
function rawGet(path: string): Promise<{ status: number; type: string | undefined; body: string }> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, path, method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (chunk) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'], body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Opens cases through the API, each with events: `count` events in all. */
async function appendThroughApi(cases: number, eventsPerCase: number) {
  const recorder = await testToken(['recorder']);
  const ids: string[] = [];
  for (let c = 0; c < cases; c++) {
    const answer = await fetch(`${base}/cases`, {
      method: 'POST',
      headers: { authorization: `Bearer ${recorder}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        subject: { name: 'Ada Example', nationality: 'Utopia' },
        occurredAt: '2025-06-01',
        events: Array.from({ length: eventsPerCase - 1 }, (_, i) =>
          withoutId(consularVisit(`2025-06-${String(2 + (i % 27)).padStart(2, '0')}`)),
        ),
      }),
    });
    expect(answer.status).toBe(201);
    ids.push(((await answer.json()) as { caseId: string }).caseId);
  }
  return ids;
}

/** Every event of the cases, as the ledger stores them. */
async function storedEvents(caseIds: readonly string[]) {
  const events: { eventId: string; hash: string; streamId: string; version: number }[] = [];
  for (const caseId of caseIds) {
    const answer = await get(`/cases/${caseId}/events?form=stored&limit=1000`, auditor);
    expect(answer.status).toBe(200);
    events.push(...((await answer.json()) as { events: typeof events }).events);
  }
  return events;
}

const fromBase64 = (text: string) => new Uint8Array(Buffer.from(text, 'base64'));

/** RFC 9162 §2.1.3.2, written here from the RFC. */
function inclusionHolds(leaf: Uint8Array, index: number, size: number, path: Uint8Array[], root: Uint8Array) {
  if (index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r: Uint8Array = leaf;
  const node = (a: Uint8Array, b: Uint8Array) =>
    new Uint8Array(
      createHash('sha256')
        .update(Buffer.from([1]))
        .update(a)
        .update(b)
        .digest(),
    );
  for (const p of path) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = node(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = node(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && Buffer.from(r).equals(Buffer.from(root));
}

let caseIds: string[] = [];
const sizes: number[] = [];

describe('the log under /log/, over real HTTP', () => {
  it('gives every event appended through the API exactly one index, with no gap, under a checkpoint an outsider can check', async () => {
    // Two rounds, so two checkpoints to prove consistency between; 270 events: a full level-0 tile.
    caseIds = await appendThroughApi(2, 45);
    await log.caughtUp();
    sizes.push(parseCheckpoint(parseNote(await (await get('/log/checkpoint')).text()).text).size);
    caseIds.push(...(await appendThroughApi(4, 45)));
    await log.caughtUp();

    const answer = await get('/log/checkpoint');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(answer.headers.get('cache-control')).toBe('no-cache');
    const note = await answer.text();
    const keys = (await (await get('/log/key')).text()).trimEnd().split('\n');
    expect(keys).toHaveLength(1);
    const key = parseVerifierKey(keys[0]!);
    expect(key.name).toBe(ORIGIN);
    expect(verifyNote(parseNote(note), [key]).verified).toHaveLength(1);
    const checkpoint = parseCheckpoint(parseNote(note).text);
    sizes.push(checkpoint.size);

    const events = await storedEvents(caseIds);
    expect(events).toHaveLength(270);
    expect(checkpoint.size).toBe(270);
    const byIndex: string[] = [];
    for (const event of events) {
      const proof = await get(`/log/proof/inclusion?eventId=${event.eventId}`, auditor);
      expect(proof.status).toBe(200);
      const body = (await proof.json()) as {
        index: number;
        treeSize: number;
        rootHash: string;
        hashes: string[];
      };
      expect(body.treeSize).toBe(270);
      expect(Buffer.from(fromBase64(body.rootHash))).toEqual(Buffer.from(checkpoint.root));
      expect(byIndex[body.index]).toBeUndefined();
      byIndex[body.index] = event.hash;
      const leaf = leafHash(Buffer.from(event.hash, 'hex'));
      expect(inclusionHolds(leaf, body.index, 270, body.hashes.map(fromBase64), checkpoint.root)).toBe(true);
    }
    expect(byIndex.filter((hash) => hash !== undefined)).toHaveLength(270);
    expect(rootOfEventHashes(byIndex).toString('hex')).toBe(Buffer.from(checkpoint.root).toString('hex'));
  });

  it('serves tiles and bundles byte for byte as written, full ones cached for a year', async () => {
    for (const [path, cache] of [
      ['tile/0/000', 'public, max-age=31536000, immutable'],
      ['tile/0/001.p/14', 'public, max-age=10'],
      ['tile/1/000.p/1', 'public, max-age=10'],
      ['tile/entries/000', 'public, max-age=31536000, immutable'],
      ['tile/entries/001.p/14', 'public, max-age=10'],
    ] as const) {
      const answer = await get(`/log/${path}`);
      expect(answer.status, path).toBe(200);
      expect(answer.headers.get('content-type')).toBe('application/octet-stream');
      expect(answer.headers.get('cache-control')).toBe(cache);
      expect(Buffer.from(await answer.arrayBuffer())).toEqual(await readFile(join(dir.path, path)));
    }
  });

  it('proves consistency between the published sizes, by the project check and by an outsider check', async () => {
    const roots = new Map<number, Uint8Array>();
    roots.set(sizes[1]!, parseCheckpoint(parseNote(await (await get('/log/checkpoint')).text()).text).root);
    for (const [from, to] of [
      [0, 270],
      [sizes[0]!, 270],
      [270, 270],
      [1, 270],
      [255, 256],
    ] as const) {
      const answer = await get(`/log/proof/consistency?from=${from}&to=${to}`);
      expect(answer.status).toBe(200);
      const body = (await answer.json()) as { from: number; to: number; hashes: string[] };
      expect(body).toMatchObject({ from, to });
      if (to === 270 && from === sizes[0]) {
        const older = rootOfEventHashesAt(from);
        const proof = body.hashes.map(fromBase64);
        expect(verifyConsistency(from, to, proof, await older, roots.get(270)!)).toBe(true);
        expect(consistencyHolds(from, to, proof, await older, roots.get(270)!)).toBe(true);
      }
    }
  });

  it('refuses every bad size, path and event id with a problem that says which, and changes nothing', async () => {
    const before = await (await get('/log/checkpoint')).text();
    const eventId = '00000000-0000-4000-8000-000000000000';
    const cases: Array<[string, number, RegExp]> = [
      ['/log/proof/consistency?from=01&to=5', 400, /from/],
      ['/log/proof/consistency?from=-1&to=5', 400, /from/],
      ['/log/proof/consistency?from=1e3&to=2000', 400, /from/],
      ['/log/proof/consistency?from=1&to=1.5', 400, /to/],
      ['/log/proof/consistency?from=10&to=5', 400, /from is above to/],
      ['/log/proof/consistency?from=1&to=271', 404, /above the newest checkpoint/],
      ['/log/proof/consistency?to=5', 400, /from/],
      [`/log/proof/consistency?from=1&to=${'9'.repeat(40)}`, 400, /to/],
      ['/log/proof/consistency?from=1&to=9007199254740993', 400, /to/],
    ];
    for (const [path, status, detail] of cases) {
      const answer = await get(path);
      expect(answer.status, path).toBe(status);
      expect(answer.headers.get('content-type')).toBe('application/problem+json');
      expect(JSON.stringify(await answer.json()), path).toMatch(detail);
    }
    const inclusion: Array<[string, number, RegExp]> = [
      [`/log/proof/inclusion?eventId=${eventId}`, 404, /has not taken in/],
      ['/log/proof/inclusion?eventId=not-an-id', 400, /eventId/],
      [`/log/proof/inclusion?eventId=${'a'.repeat(5000)}`, 400, /eventId/],
      [`/log/proof/inclusion?eventId=${eventId}&treeSize=271`, 404, /above the newest/],
      [`/log/proof/inclusion?eventId=${eventId}&treeSize=007`, 400, /treeSize/],
    ];
    for (const [path, status, detail] of inclusion) {
      const answer = await get(path, auditor);
      expect(answer.status, path).toBe(status);
      expect(JSON.stringify(await answer.json()), path).toMatch(detail);
    }
    // A `..` (or `%2e%2e`) is resolved by the URL before any route sees it, to a path outside /log/tile/ that
    // answers for itself (401 for /checkpoint); every other spelling reaches the tile route and is refused.
    for (const path of [
      '/log/tile/%2e%2e/%2e%2e/checkpoint',
      '/log/tile/0/..%2f..%2fcheckpoint',
      '/log/tile/0/000/',
      '/log/tile/00/000',
      '/log/tile/0/1',
      '/log/tile/0/000.p/0',
      '/log/tile/0/000.p/256',
      '/log/tile/0/000.p/007',
      '/log/tile/64/000',
      '/log/tile/entries/x000',
      `/log/tile/0/${'x001/'.repeat(40)}000`,
      '/log/tile/0/000%00',
    ]) {
      const answer = await rawGet(path);
      expect([400, 401, 404], path).toContain(answer.status);
      expect(answer.type, path).toBe('application/problem+json');
      expect(answer.body).not.toContain(ORIGIN);
    }
    const absent = await get('/log/tile/0/005');
    expect(absent.status).toBe(404);
    expect(((await absent.json()) as { detail: string }).detail).toMatch(/holds no tile\/0\/005/);
    expect(await (await get('/log/checkpoint')).text()).toBe(before);
  });

  it('answers inclusion proofs to auditors only', async () => {
    const [event] = await storedEvents(caseIds.slice(0, 1));
    const path = `/log/proof/inclusion?eventId=${event!.eventId}`;
    expect((await get(path)).status).toBe(401);
    expect((await get(path, await testToken(['viewer', 'recorder']))).status).toBe(403);
    expect((await get(path, await testToken(['admin']))).status).toBe(200);
  });

  it('lets an altered stored event fail its inclusion check', async () => {
    const [event] = await storedEvents(caseIds.slice(0, 1));
    const proof = (await (await get(`/log/proof/inclusion?eventId=${event!.eventId}`, auditor)).json()) as {
      index: number;
      treeSize: number;
      rootHash: string;
      hashes: string[];
    };
    const altered = `${event!.hash.slice(0, 63)}${event!.hash.endsWith('0') ? '1' : '0'}`;
    await db.clients.documents.send(
      new UpdateCommand({
        TableName: db.tables.ledger,
        Key: { streamId: event!.streamId, version: event!.version },
        UpdateExpression: 'SET #hash = :hash',
        ExpressionAttributeNames: { '#hash': 'hash' },
        ExpressionAttributeValues: { ':hash': altered },
      }),
    );
    const [now] = await storedEvents(caseIds.slice(0, 1));
    expect(now!.hash).toBe(altered);
    const args = [
      proof.index,
      proof.treeSize,
      proof.hashes.map(fromBase64),
      fromBase64(proof.rootHash),
    ] as const;
    expect(inclusionHolds(leafHash(Buffer.from(event!.hash, 'hex')), ...args)).toBe(true);
    expect(inclusionHolds(leafHash(Buffer.from(now!.hash, 'hex')), ...args)).toBe(false);
  });
});

/** The root of the first `size` leaves, from the stored leaves' hashes in index order (outsider's arithmetic). */
async function rootOfEventHashesAt(size: number): Promise<Uint8Array> {
  const events = await storedEvents(caseIds);
  const byIndex: string[] = [];
  for (const event of events) {
    const body = (await (await get(`/log/proof/inclusion?eventId=${event.eventId}`, auditor)).json()) as {
      index: number;
    };
    byIndex[body.index] = event.hash;
  }
  return rootOfEventHashes(byIndex.slice(0, size));
}
