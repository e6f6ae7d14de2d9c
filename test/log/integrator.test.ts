import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCheckpoint } from '../../domain/log/checkpoint.ts';
import { verifyConsistency } from '../../domain/log/proof-checks.ts';
import { parseNote, verifyNote } from '../../domain/log/signed-note.ts';
import { consistencyProof } from '../../domain/log/tile-tree.ts';
import { formatVerifierKey, parseVerifierKey, SIGNATURE_TYPE } from '../../domain/log/verifier-key.ts';
import { directoryTileStore } from '../../functions/log/directory-tile-store.ts';
import { createLogIntegrator } from '../../functions/log/integrator.ts';
import { LogStore } from '../../functions/log/log-store.ts';
import type { NoteSigner, TileStore } from '../../functions/log/ports.ts';
import { tileReader } from '../../functions/log/tile-reader.ts';
import { openLogKey } from '../../local/log-key-file.ts';
import { signedBy } from '../support/c2sp-note-checker.ts';
import { createTestTables, type TestTables } from '../support/test-tables.ts';
import {
  candidate,
  consistencyHolds,
  expectedPaths,
  filesUnder,
  leafHash,
  rootOfEventHashes,
  rootOfLeaves,
  temporaryDirectory,
} from './integrator-support.ts';

const ORIGIN = 'test.example/integrator-log';
let signer: NoteSigner;

beforeAll(async () => {
  signer = await openLogKey({ name: ORIGIN });
});

/** A log of its own per test: its own tables and tile directory. */
async function freshLog() {
  const tables = await createTestTables('log-step');
  const dir = await temporaryDirectory('log-tiles');
  const store = new LogStore({ documents: tables.clients.documents, tableName: tables.tables.log });
  return {
    tables,
    dir,
    store,
    tiles: directoryTileStore(dir.path),
    async drop() {
      await dir.remove();
      await tables.drop();
    },
  };
}

function integratorOver(store: LogStore, tiles: TileStore) {
  return createLogIntegrator({ store, tiles, signer, clock: () => new Date('2026-12-02T10:00:00Z') });
}

/** Every leaf the table holds, by index. */
async function storedLeaves(tables: TestTables) {
  const leaves: { index: number; eventId: string; hash: string }[] = [];
  for (let partition = 0; ; partition++) {
    const page = await tables.clients.documents.send(
      new QueryCommand({
        TableName: tables.tables.log,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `leaves#${partition}` },
        ConsistentRead: true,
      }),
    );
    if ((page.Items ?? []).length === 0) break;
    for (const item of page.Items ?? []) {
      leaves.push({ index: item.index, eventId: item.eventId, hash: item.hash });
    }
  }
  return leaves.sort((a, b) => a.index - b.index);
}

async function publishedCheckpoints(tables: TestTables) {
  const page = await tables.clients.documents.send(
    new QueryCommand({
      TableName: tables.tables.log,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': 'checkpoints' },
      ConsistentRead: true,
    }),
  );
  return (page.Items ?? []).map((item) => ({ size: Number(item.size), note: String(item.note) }));
}

async function logKey() {
  return formatVerifierKey(ORIGIN, SIGNATURE_TYPE.ed25519, await signer.publicKey());
}

/**
 * The checkpoint is signed by the log's key — by the project's check and by the independent C2SP checker —
 * and names the size and root an outsider computes.
 */
async function expectCheckpointOf(note: string, hashes: readonly string[]) {
  const parsed = parseNote(note);
  const vkey = await logKey();
  expect(verifyNote(parsed, [parseVerifierKey(vkey)]).verified).toHaveLength(1);
  expect(signedBy(note, vkey)).toBe(true);
  const checkpoint = parseCheckpoint(parsed.text);
  expect(checkpoint.origin).toBe(ORIGIN);
  expect(checkpoint.size).toBe(hashes.length);
  expect(Buffer.from(checkpoint.root).toString('hex')).toBe(rootOfEventHashes(hashes).toString('hex'));
}

describe('one integrator', () => {
  it('gives every event one index in the order given, and publishes a checkpoint of the tree an outsider computes', async () => {
    const log = await freshLog();
    try {
      const integrator = integratorOver(log.store, log.tiles);
      const events = Array.from({ length: 300 }, candidate);
      const sizes: number[] = [];
      // Batches of every shape: one, a transaction's worth, more than one transaction, a repeat.
      for (const [from, to] of [
        [0, 1],
        [1, 50],
        [50, 180],
        [180, 300],
      ] as const) {
        const result = await integrator.integrate(events.slice(from, to));
        expect(result.integrated).toBe(to - from);
        sizes.push(result.size);
      }
      expect(sizes).toEqual([1, 50, 180, 300]);
      const again = await integrator.integrate([...events.slice(0, 10), events[5]!]);
      expect(again).toMatchObject({ integrated: 0, size: 300 });

      const leaves = await storedLeaves(log.tables);
      expect(leaves.map((leaf) => leaf.index)).toEqual(events.map((_, i) => i));
      expect(leaves.map((leaf) => leaf.eventId)).toEqual(events.map((e) => e.eventId));
      const served = await readFile(join(log.dir.path, 'checkpoint'), 'utf8');
      await expectCheckpointOf(
        served,
        events.map((e) => e.hash),
      );

      // Laid out as tlog-tiles says, with the partial tiles of every size the log went through kept: a batch
      // is committed 49 events a transaction, so 50 → 180 passes through 99 and 148.
      const committed = [1, 50, 99, 148, 180, 229, 278, 300];
      const expected = new Set(['checkpoint', ...committed.flatMap(expectedPaths)]);
      expect(new Set(await filesUnder(log.dir.path))).toEqual(expected);
      // The level-0 tile is the leaf hashes; the level-1 tile's one hash is the root of the first 256.
      const leafHashes = events.map((e) => leafHash(Buffer.from(e.hash, 'hex')));
      expect(await readFile(join(log.dir.path, 'tile/0/000'))).toEqual(
        Buffer.concat(leafHashes.slice(0, 256)),
      );
      expect(await readFile(join(log.dir.path, 'tile/0/001.p/44'))).toEqual(
        Buffer.concat(leafHashes.slice(256)),
      );
      expect(await readFile(join(log.dir.path, 'tile/1/000.p/1'))).toEqual(
        rootOfLeaves(leafHashes.slice(0, 256)),
      );
      const bundle = await readFile(join(log.dir.path, 'tile/entries/000.p/1'));
      expect(bundle).toEqual(Buffer.concat([Buffer.from([0, 32]), Buffer.from(events[0]!.hash, 'hex')]));

      // Consistency between every two published sizes, by the project's check and by an outsider's.
      const published = await publishedCheckpoints(log.tables);
      expect(published.map((c) => c.size)).toEqual([1, 50, 180, 300]);
      const read = tileReader(log.tiles, 300).tile;
      for (const older of published) {
        for (const newer of published.filter((c) => c.size >= older.size)) {
          const proof = await consistencyProof(older.size, newer.size, read);
          const [a, b] = [older, newer].map((c) => parseCheckpoint(parseNote(c.note).text).root);
          expect(verifyConsistency(older.size, newer.size, proof, a!, b!)).toBe(true);
          expect(consistencyHolds(older.size, newer.size, proof, a!, b!)).toBe(true);
        }
      }
    } finally {
      await log.drop();
    }
  });

  it('refuses a candidate whose hash cannot be an entry, and gives it no index', async () => {
    const log = await freshLog();
    try {
      const good = candidate();
      const result = await integratorOver(log.store, log.tiles).integrate([
        { eventId: 'bad-1', hash: 'A'.repeat(64) },
        { eventId: 'bad-2', hash: 'ab' },
        good,
      ]);
      expect(result.refused.map((r) => r.eventId)).toEqual(['bad-1', 'bad-2']);
      expect((await storedLeaves(log.tables)).map((leaf) => leaf.eventId)).toEqual([good.eventId]);
    } finally {
      await log.drop();
    }
  });
});

describe('integrators racing', () => {
  it('never fork: over the same events and over different ones, every event gets one index and one history comes out', async () => {
    const log = await freshLog();
    try {
      // Two integrators, each with its own view of the same table and directory: as two Lambda invocations.
      const a = integratorOver(log.store, log.tiles);
      const b = integratorOver(
        new LogStore({ documents: log.tables.clients.documents, tableName: log.tables.tables.log }),
        directoryTileStore(log.dir.path),
      );
      const all: ReturnType<typeof candidate>[] = [];
      for (let round = 0; round < 12; round++) {
        const shared = Array.from({ length: 7 }, candidate);
        const onlyA = Array.from({ length: 5 }, candidate);
        const onlyB = Array.from({ length: 9 }, candidate);
        all.push(...shared, ...onlyA, ...onlyB);
        await Promise.all([a.integrate([...shared, ...onlyA]), b.integrate([...onlyB, ...shared])]);
      }
      const leaves = await storedLeaves(log.tables);
      expect(leaves.map((leaf) => leaf.index)).toEqual(all.map((_, i) => i));
      expect(new Set(leaves.map((leaf) => leaf.eventId))).toEqual(new Set(all.map((e) => e.eventId)));
      const byId = new Map(all.map((e) => [e.eventId, e.hash]));
      expect(leaves.every((leaf) => byId.get(leaf.eventId) === leaf.hash)).toBe(true);

      const served = await readFile(join(log.dir.path, 'checkpoint'), 'utf8');
      await expectCheckpointOf(
        served,
        leaves.map((leaf) => leaf.hash),
      );
      // Every checkpoint either published is a prefix of the one history.
      for (const published of await publishedCheckpoints(log.tables)) {
        await expectCheckpointOf(
          published.note,
          leaves.slice(0, published.size).map((leaf) => leaf.hash),
        );
      }
    } finally {
      await log.drop();
    }
  });
});

/** The real directory store, but its `write` throws on the chosen calls: a crash at that moment. */
function failingOn(store: TileStore, failAt: (call: number, path: string) => boolean): TileStore {
  let calls = 0;
  return {
    read: (path) => store.read(path),
    async write(path, bytes) {
      calls += 1;
      if (failAt(calls, path)) throw new Error(`crash before writing ${path}`);
      await store.write(path, bytes);
    },
  };
}

describe('a step that crashes', () => {
  it('between the commit and the tiles, or before the checkpoint: what is published stays consistent, and the next step completes it', async () => {
    for (const crash of [
      (call: number) => call === 1,
      (call: number) => call === 3,
      (_: number, path: string) => path === 'checkpoint',
    ]) {
      const log = await freshLog();
      try {
        const first = Array.from({ length: 30 }, candidate);
        await integratorOver(log.store, log.tiles).integrate(first);
        const second = Array.from({ length: 60 }, candidate);
        await expect(
          integratorOver(log.store, failingOn(log.tiles, crash)).integrate(second),
        ).rejects.toThrow(/crash/);

        // Whatever the crash left, the served checkpoint is a whole one: signed, with every tile there.
        const served = await readFile(join(log.dir.path, 'checkpoint'), 'utf8');
        const size = parseCheckpoint(parseNote(served).text).size;
        const leaves = await storedLeaves(log.tables);
        await expectCheckpointOf(
          served,
          leaves.slice(0, size).map((leaf) => leaf.hash),
        );
        const onDisk = new Set(await filesUnder(log.dir.path));
        expect(expectedPaths(size).filter((path) => !onDisk.has(path))).toEqual([]);

        // The next step (with nothing new) finishes the tiles and publishes the committed size.
        const after = await integratorOver(log.store, log.tiles).integrate([]);
        expect(after.size).toBe(leaves.length);
        const republished = await readFile(join(log.dir.path, 'checkpoint'), 'utf8');
        await expectCheckpointOf(
          republished,
          leaves.map((leaf) => leaf.hash),
        );
        // And the events the crashed step was given come in once, when offered again.
        await integratorOver(log.store, log.tiles).integrate(second);
        const final = await storedLeaves(log.tables);
        expect(final.map((leaf) => leaf.eventId)).toEqual([...first, ...second].map((e) => e.eventId));
      } finally {
        await log.drop();
      }
    }
  });
});
