import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getRequestListener } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatVerifierKey, parseVerifierKey } from '../../domain/log/verifier-key.ts';
import { createWitnessApp, MAX_WITNESS_BODY_BYTES } from '../../local/witness/witness-app.ts';
import { openWitnessState, type WitnessState } from '../../local/witness/witness-state.ts';
import {
  cosignatureTimestamp,
  noteTextOf,
  readWitnessVkey,
  signatureLinesOf,
  type WitnessVkey,
} from './cosignature-check.ts';
import { makeLogKey, signedNote, TestLog, type TestLogKey } from './test-log.ts';

/** The witness app over real HTTP on loopback, fed checkpoints of logs made and signed in the test. */

const NOW = new Date('2026-12-02T10:00:00.000Z');
const WITNESS_NAME = 'witness.ngo-b.example/w1';

let dir: string;
let stateFile: string;
let state: WitnessState;
let server: Server;
let base: string;
let witness: WitnessVkey;
let logA: TestLog;
let logKeyB: TestLogKey;

function witnessKey() {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const raw = new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }).subarray(-32));
  return {
    name: WITNESS_NAME,
    publicKey: raw,
    sign: async (message: Uint8Array) => new Uint8Array(sign(null, message, privateKey)),
  };
}

async function serve(app: { fetch: (request: Request) => Response | Promise<Response> }) {
  const listening = createServer(getRequestListener(app.fetch));
  await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve));
  return { server: listening, base: `http://127.0.0.1:${(listening.address() as AddressInfo).port}` };
}

const submit = (body: string | Uint8Array) =>
  fetch(`${base}/add-checkpoint`, { method: 'POST', body: body as RequestInit['body'] });

const originHash = (origin: string) => createHash('sha256').update(origin).digest('hex');

/** The detail of a problem answer. */
const detailOf = async (response: Response) => ((await response.json()) as { detail: unknown }).detail;

const latest = (origin: string) => fetch(`${base}/${originHash(origin)}/checkpoint`);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'witness-app-'));
  stateFile = join(dir, 'witness-state.json');
  state = await openWitnessState(stateFile);
  const key = witnessKey();
  witness = readWitnessVkey(formatVerifierKey(key.name, 0x04, key.publicKey));
  logA = new TestLog(makeLogKey('ledger.ngo-a.example/log'));
  logKeyB = makeLogKey('ledger.consulate-c.example/log');
  const app = createWitnessApp({
    state,
    logs: [parseVerifierKey(logA.key.vkey), parseVerifierKey(logKeyB.vkey)],
    key,
    clock: () => NOW,
  });
  ({ server, base } = await serve(app));
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await state.close();
  await rm(dir, { recursive: true, force: true });
});

/** What a refusal must not have changed: the checkpoint served and the state on disk. */
async function unchanged<T>(origin: string, refuse: () => Promise<T>): Promise<T> {
  const before = [await (await latest(origin)).text(), await readFile(stateFile, 'utf8').catch(() => '')];
  const result = await refuse();
  const after = [await (await latest(origin)).text(), await readFile(stateFile, 'utf8').catch(() => '')];
  expect(after).toEqual(before);
  return result;
}

describe('POST /add-checkpoint, cosigning', () => {
  it('cosigns the first checkpoint of a log from size 0, with a cosignature/v1 line timestamped now', async () => {
    logA.append(5);
    const response = await submit(logA.addCheckpointBody(0, logA.checkpoint()));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    const body = await response.text();
    expect(body).toMatch(/^— witness\.ngo-b\.example\/w1 [A-Za-z0-9+/]+=*\n$/);
    const text = noteTextOf(logA.checkpoint());
    expect(cosignatureTimestamp(text, body, witness)).toBe(NOW.getTime() / 1000);
    // Not a signature of anything else: another note text does not verify with it.
    expect(cosignatureTimestamp(text.replace('\n5\n', '\n6\n'), body, witness)).toBeUndefined();
  });

  it('keeps it on disk before answering, and serves it with the log signature and its own', async () => {
    const kept = JSON.parse(await readFile(stateFile, 'utf8'));
    expect(kept.logs[logA.key.origin]).toMatchObject({
      size: 5,
      root: Buffer.from(logA.root()).toString('base64'),
      cosignedAt: NOW.toISOString(),
    });
    const response = await latest(logA.key.origin);
    expect(response.status).toBe(200);
    const note = await response.text();
    expect(note).toBe(kept.logs[logA.key.origin].checkpoint);
    const lines = signatureLinesOf(note);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe(signatureLinesOf(logA.checkpoint())[0]);
    expect(cosignatureTimestamp(noteTextOf(note), lines[1]!, witness)).toBe(NOW.getTime() / 1000);
  });

  it('cosigns a checkpoint that extends it, given the consistency proof from the size it holds', async () => {
    logA.append(4);
    const response = await submit(logA.addCheckpointBody(5, logA.checkpoint()));
    expect(response.status).toBe(200);
    expect(cosignatureTimestamp(noteTextOf(logA.checkpoint()), await response.text(), witness)).toBeDefined();
    expect(noteTextOf(await (await latest(logA.key.origin)).text())).toContain('\n9\n');
  });

  it('cosigns the same checkpoint again (old size = size, same root, no proof)', async () => {
    const response = await submit(logA.addCheckpointBody(9, logA.checkpoint()));
    expect(response.status).toBe(200);
  });

  it('ignores signatures of keys it does not know, and keeps only the log’s in what it serves', async () => {
    const stranger = makeLogKey('stranger.example/log');
    const note = `${logA.checkpoint()}${signatureLinesOf(signedNote(noteTextOf(logA.checkpoint()), stranger))[0]}`;
    const response = await submit(logA.addCheckpointBody(9, note));
    expect(response.status).toBe(200);
    const served = await (await latest(logA.key.origin)).text();
    expect(served).not.toContain('stranger.example');
  });

  it('cosigns an empty log at size 0 with the empty root', async () => {
    const empty = new TestLog(logKeyB);
    const response = await submit(empty.addCheckpointBody(0, empty.checkpoint(0)));
    expect(response.status).toBe(200);
  });
});

describe('POST /add-checkpoint, refusing a rollback (409) and a fork (422)', () => {
  it('answers 409 with the size it holds when the old size is below it (a rolled-back view)', async () => {
    const response = await unchanged(logA.key.origin, () =>
      submit(logA.addCheckpointBody(5, logA.checkpoint(7), logA.consistency(5, 7))),
    );
    expect(response.status).toBe(409);
    expect(response.headers.get('content-type')).toBe('text/x.tlog.size');
    expect(await response.text()).toBe('9\n');
  });

  it('answers 409 to a client that knows nothing yet (old 0), so it can learn the size', async () => {
    const response = await unchanged(logA.key.origin, () =>
      submit(logA.addCheckpointBody(0, logA.checkpoint())),
    );
    expect(response.status).toBe(409);
    expect(await response.text()).toBe('9\n');
  });

  it('answers 409 when the old size is above what it holds', async () => {
    logA.append(3);
    const response = await unchanged(logA.key.origin, () =>
      submit(logA.addCheckpointBody(10, logA.checkpoint())),
    );
    expect(response.status).toBe(409);
    expect(await response.text()).toBe('9\n');
  });

  it('refuses 422 the same size with another root, signed by the log: a fork', async () => {
    const fork = new TestLog(logA.key).append(9, 'fork');
    const response = await unchanged(logA.key.origin, () =>
      submit(fork.addCheckpointBody(9, fork.checkpoint())),
    );
    expect(response.status).toBe(422);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await detailOf(response)).toMatch(/another root hash/);
  });

  it('refuses 422 a larger tree of another history, with a proof that holds only in that history', async () => {
    const fork = new TestLog(logA.key).append(9, 'fork').append(3, 'fork');
    const response = await unchanged(logA.key.origin, () =>
      submit(fork.addCheckpointBody(9, fork.checkpoint())),
    );
    expect(response.status).toBe(422);
    expect(await detailOf(response)).toMatch(/consistency proof from size 9 to 12 does not hold/);
  });

  it('refuses 422 a proof with one hash changed, or one hash short', async () => {
    const proof = logA.consistency(9);
    const flipped = proof.map((hash, index) =>
      index === 0 ? hash.map((byte, at) => (at === 0 ? byte ^ 1 : byte)) : hash,
    );
    for (const bad of [flipped, proof.slice(1), [...proof, proof[0]!]]) {
      const response = await unchanged(logA.key.origin, () =>
        submit(logA.addCheckpointBody(9, logA.checkpoint(), bad)),
      );
      expect(response.status).toBe(422);
    }
  });

  it('refuses 422 a proof between equal sizes', async () => {
    const response = await unchanged(logA.key.origin, () =>
      submit(logA.addCheckpointBody(9, logA.checkpoint(9), logA.consistency(5, 9))),
    );
    expect(response.status).toBe(422);
  });

  it('refuses 422 a size-0 checkpoint whose root is not the empty tree’s, and a proof from size 0', async () => {
    const fresh = new TestLog(makeLogKey('ledger.fresh.example/log'));
    const app = createWitnessApp({
      state,
      logs: [parseVerifierKey(fresh.key.vkey)],
      key: witnessKey(),
      clock: () => NOW,
    });
    const notEmpty = fresh.checkpoint(0, { root: new Uint8Array(32).fill(7) });
    const answer = await app.request('/add-checkpoint', {
      method: 'POST',
      body: fresh.addCheckpointBody(0, notEmpty),
    });
    expect(answer.status).toBe(422);
    fresh.append(4);
    const withProof = await app.request('/add-checkpoint', {
      method: 'POST',
      body: fresh.addCheckpointBody(0, fresh.checkpoint(), [fresh.root(2)]),
    });
    expect(withProof.status).toBe(422);
    expect(state.latest(fresh.key.origin)).toBeUndefined();
  });

  it('moves on once the log shows a checkpoint that extends the one it holds', async () => {
    const response = await submit(logA.addCheckpointBody(9, logA.checkpoint()));
    expect(response.status).toBe(200);
    expect(state.latest(logA.key.origin)?.size).toBe(12);
  });
});

describe('POST /add-checkpoint, signatures (403) and origins (404)', () => {
  it('answers 404 for a log it does not watch', async () => {
    const other = new TestLog(makeLogKey('ledger.unknown.example/log')).append(2);
    const response = await submit(other.addCheckpointBody(0, other.checkpoint()));
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
  });

  it('answers 403 for a checkpoint signed only by another key under the log’s name', async () => {
    const impostor = makeLogKey(logA.key.origin);
    logA.append(1);
    const response = await unchanged(logA.key.origin, () =>
      submit(logA.addCheckpointBody(12, logA.checkpoint(13, { key: impostor }))),
    );
    expect(response.status).toBe(403);
    expect(await detailOf(response)).toMatch(/no signature/);
  });

  it('answers 403 when the log key’s own signature line does not verify, even beside a good one', async () => {
    const good = logA.checkpoint();
    const [line] = signatureLinesOf(good);
    const bytes = Buffer.from(line!.trim().split(' ')[2]!, 'base64');
    bytes[10]! ^= 0xff;
    const bad = `— ${logA.key.origin} ${bytes.toString('base64')}\n`;
    for (const note of [`${noteTextOf(good)}\n${bad}`, `${good}${bad}`]) {
      const response = await unchanged(logA.key.origin, () => submit(logA.addCheckpointBody(12, note)));
      expect(response.status).toBe(403);
    }
  });

  it('answers 403 for a checkpoint whose text was changed after signing', async () => {
    const altered = logA.checkpoint().replace('\n13\n', '\n14\n');
    const response = await unchanged(logA.key.origin, () => submit(logA.addCheckpointBody(12, altered, [])));
    expect(response.status).toBe(403);
  });
});

describe('POST /add-checkpoint, malformed and hostile bodies (400, 413)', () => {
  const bodies: Array<[string, () => string | Uint8Array]> = [
    ['an empty body', () => ''],
    ['no old line', () => logA.checkpoint()],
    [
      'an old size with a leading zero',
      () => logA.addCheckpointBody(12, logA.checkpoint()).replace('old 12', 'old 012'),
    ],
    ['a negative old size', () => logA.addCheckpointBody(12, logA.checkpoint()).replace('old 12', 'old -1')],
    ['an old size above the checkpoint’s', () => logA.addCheckpointBody(14, logA.checkpoint(), [])],
    ['a proof line that is not base64', () => `old 12\n!!!!\n\n${logA.checkpoint()}`],
    [
      'a proof line of 31 bytes',
      () => `old 12\n${Buffer.alloc(31).toString('base64')}\n\n${logA.checkpoint()}`,
    ],
    [
      '64 proof lines',
      () => `old 12\n${`${Buffer.alloc(32).toString('base64')}\n`.repeat(64)}\n${logA.checkpoint()}`,
    ],
    ['no blank line before the checkpoint', () => `old 12\n${logA.checkpoint()}`],
    ['a checkpoint without signatures', () => `old 12\n\n${noteTextOf(logA.checkpoint())}`],
    [
      'a checkpoint size with a leading zero',
      () =>
        logA.addCheckpointBody(
          12,
          signedNote(`${logA.key.origin}\n013\n${Buffer.from(logA.root()).toString('base64')}\n`, logA.key),
          [],
        ),
    ],
    [
      'a control character in the note',
      () =>
        logA.addCheckpointBody(
          12,
          signedNote(
            `${logA.key.origin}\n13\n${Buffer.from(logA.root()).toString('base64')}\n\u0007\n`,
            logA.key,
          ),
        ),
    ],
    [
      'bytes that are not UTF-8',
      () =>
        Buffer.concat([Buffer.from('old 12\n\n'), Buffer.from([0xff, 0xfe]), Buffer.from(logA.checkpoint())]),
    ],
    ['CRLF line ends', () => logA.addCheckpointBody(12, logA.checkpoint()).replaceAll('\n', '\r\n')],
  ];
  for (const [what, body] of bodies) {
    it(`answers 400 to ${what}, changing nothing`, async () => {
      const response = await unchanged(logA.key.origin, () => submit(body()));
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(await detailOf(response)).toEqual(expect.any(String));
    });
  }

  it('answers 413 to a body over 64 KiB, declared or streamed', async () => {
    const huge = 'x'.repeat(MAX_WITNESS_BODY_BYTES + 1);
    expect((await unchanged(logA.key.origin, () => submit(huge))).status).toBe(413);
    const streamed = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(huge));
        controller.close();
      },
    });
    const response = await fetch(`${base}/add-checkpoint`, {
      method: 'POST',
      body: streamed,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(413);
  });

  it('answers 404 to GET /add-checkpoint and to any other path', async () => {
    expect((await fetch(`${base}/add-checkpoint`)).status).toBe(404);
    expect((await fetch(`${base}/../etc/passwd`)).status).toBe(404);
    expect((await fetch(`${base}/${originHash(logA.key.origin).toUpperCase()}/checkpoint`)).status).toBe(404);
    expect((await fetch(`${base}/${originHash('ledger.unknown.example/log')}/checkpoint`)).status).toBe(404);
  });
});

describe('one decision at a time', () => {
  it('of many racing submissions from the same size, exactly one is cosigned, the rest learn the new size', async () => {
    const held = state.latest(logA.key.origin)!.size;
    logA.append(2);
    const sizes = [held + 1, held + 3, held + 2, held + 3, held + 1, held + 2];
    const answers = await Promise.all(
      sizes.map((size) =>
        submit(logA.addCheckpointBody(held, logA.checkpoint(size), logA.consistency(held, size))),
      ),
    );
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status === 409)).toHaveLength(sizes.length - 1);
    const winner = sizes[statuses.indexOf(200)]!;
    expect(state.latest(logA.key.origin)?.size).toBe(winner);
    for (const answer of answers.filter((a) => a.status === 409))
      expect(await answer.text()).toBe(`${winner}\n`);
  });

  it('answers 500 and cosigns nothing when the state cannot be written; the old state stays', async () => {
    const lone = new TestLog(makeLogKey('ledger.lone.example/log')).append(3);
    const loneFile = join(dir, 'lone-state.json');
    const loneState = await openWitnessState(loneFile);
    const app = createWitnessApp({
      state: loneState,
      logs: [parseVerifierKey(lone.key.vkey)],
      key: witnessKey(),
    });
    // A folder in the file's place: the rename that would put the new state there fails.
    await mkdir(join(loneFile, 'in-the-way'), { recursive: true });
    const response = await app.request('/add-checkpoint', {
      method: 'POST',
      body: lone.addCheckpointBody(0, lone.checkpoint()),
    });
    expect(response.status).toBe(500);
    expect(await response.text()).not.toContain('—');
    expect(loneState.latest(lone.key.origin)).toBeUndefined();
    await loneState.close();
  });
});
