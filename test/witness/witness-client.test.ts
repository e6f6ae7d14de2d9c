import { generateKeyPairSync, sign } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getRequestListener } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatVerifierKey, parseVerifierKey } from '../../domain/log/verifier-key.ts';
import { httpWitnesses } from '../../functions/log/witness-client.ts';
import { findFreePort } from '../../local/free-port.ts';
import { createWitnessApp } from '../../local/witness/witness-app.ts';
import { openWitnessState, type WitnessState } from '../../local/witness/witness-state.ts';
import { cosignatureTimestamp, noteTextOf, readWitnessVkey } from './cosignature-check.ts';
import { makeLogKey, TestLog } from './test-log.ts';

/**
 * The ledger's side of tlog-witness: httpWitnesses against the real witness app over loopback HTTP, and
 * against witnesses that misbehave in every way a server can.
 */

function newWitnessKey(name: string) {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const raw = new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }).subarray(-32));
  return {
    name,
    publicKey: raw,
    sign: async (message: Uint8Array) => new Uint8Array(sign(null, message, privateKey)),
    vkey: formatVerifierKey(name, 0x04, raw),
  };
}

const servers: Server[] = [];
/** A server on loopback answering with `handler`; its base URL. */
async function listenWith(listener: Parameters<typeof createServer>[0] & object): Promise<string> {
  const server = createServer(listener);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const listen = (handler: (request: Request) => Response | Promise<Response>) =>
  listenWith(getRequestListener(handler));

let dir: string;
let state: WitnessState;
const log = new TestLog(makeLogKey('ledger.ngo-a.example/log'));
const key = newWitnessKey('witness.ngo-b.example/w1');
let witnessUrl: string;
const proofsAsked: number[] = [];

const request = (size = log.size, note = log.checkpoint(size), from: TestLog = log) => ({
  checkpoint: note,
  size,
  proofFrom: async (oldSize: number) => {
    proofsAsked.push(oldSize);
    return from.consistency(oldSize, size);
  },
});

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'witness-client-'));
  state = await openWitnessState(join(dir, 'state.json'));
  const app = createWitnessApp({ state, logs: [parseVerifierKey(log.key.vkey)], key });
  witnessUrl = await listen(app.fetch);
});
afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    server.close();
  }
  await state.close();
  await rm(dir, { recursive: true, force: true });
});

describe('httpWitnesses against a real witness', () => {
  it('gets a cosignature for the first checkpoint, which verifies with the witness key', async () => {
    log.append(6);
    const witnesses = httpWitnesses([{ verifierKey: key.vkey, url: witnessUrl }]);
    const gathered = await witnesses.gather(request());
    expect(gathered.outcomes).toEqual([{ witness: key.name, ok: true, detail: 'cosigned size 6' }]);
    expect(gathered.cosignatures).toHaveLength(1);
    const vkey = readWitnessVkey(key.vkey);
    expect(cosignatureTimestamp(noteTextOf(log.checkpoint()), gathered.cosignatures[0]!, vkey)).toBeDefined();
  });

  it('proves from the size it last cosigned, without asking twice', async () => {
    const witnesses = httpWitnesses([{ verifierKey: key.vkey, url: `${witnessUrl}/` }]);
    log.append(3);
    proofsAsked.length = 0;
    // A new client knows nothing: old 0, a 409 naming 6, then the proof from 6.
    expect((await witnesses.gather(request())).outcomes[0]).toMatchObject({
      ok: true,
      detail: 'cosigned size 9',
    });
    expect(proofsAsked).toEqual([6]);
    log.append(2);
    proofsAsked.length = 0;
    // The same client now remembers 9: one request, proved from 9.
    expect((await witnesses.gather(request())).outcomes[0]).toMatchObject({ ok: true });
    expect(proofsAsked).toEqual([9]);
  });

  it('reports a fork refused (422) as an outcome, without throwing and without a cosignature', async () => {
    const fork = new TestLog(log.key).append(13, 'fork');
    const witnesses = httpWitnesses([{ verifierKey: key.vkey, url: witnessUrl }]);
    const gathered = await witnesses.gather(request(13, fork.checkpoint(), fork));
    expect(gathered.cosignatures).toEqual([]);
    expect(gathered.outcomes[0]).toMatchObject({ ok: false });
    expect(gathered.outcomes[0]!.detail).toMatch(/inconsistent.*does not hold/);
  });

  it('says so when the witness holds a larger tree than the checkpoint shows (a rollback of ours)', async () => {
    const witnesses = httpWitnesses([{ verifierKey: key.vkey, url: witnessUrl }]);
    const gathered = await witnesses.gather(request(4));
    expect(gathered.outcomes[0]!.ok).toBe(false);
    expect(gathered.outcomes[0]!.detail).toMatch(/holds size 11, above this checkpoint's 4/);
  });

  it('reports a witness that does not watch the log, and one whose key is not the one it signs with', async () => {
    const other = new TestLog(makeLogKey('ledger.elsewhere.example/log')).append(2);
    const unknown = await httpWitnesses([{ verifierKey: key.vkey, url: witnessUrl }]).gather(
      request(2, other.checkpoint(), other),
    );
    expect(unknown.outcomes[0]!.detail).toMatch(/does not watch this log/);
    const stranger = newWitnessKey(key.name);
    const wrongKey = await httpWitnesses([{ verifierKey: stranger.vkey, url: witnessUrl }]).gather(request());
    expect(wrongKey).toEqual({
      cosignatures: [],
      outcomes: [
        {
          witness: key.name,
          ok: false,
          detail: 'answered 200 without a cosignature that verifies with its key',
        },
      ],
    });
  });
});

describe('httpWitnesses against witnesses that misbehave', () => {
  const gatherFrom = (url: string, timeoutMs?: number) =>
    httpWitnesses([{ verifierKey: key.vkey, url }], timeoutMs === undefined ? {} : { timeoutMs }).gather(
      request(),
    );

  it('does not follow a redirect', async () => {
    let followed = false;
    const target = await listen(() => {
      followed = true;
      return new Response('');
    });
    const url = await listen(
      () => new Response(null, { status: 307, headers: { location: `${target}/add-checkpoint` } }),
    );
    const gathered = await gatherFrom(url);
    expect(gathered.outcomes[0]!.detail).toMatch(/307, a redirect \(not followed/);
    expect(followed).toBe(false);
  });

  it('gives up on a witness that never answers, after its timeout', async () => {
    const url = await listenWith((_request: IncomingMessage, _response: ServerResponse) => undefined);
    const gathered = await gatherFrom(url, 300);
    expect(gathered.outcomes[0]).toMatchObject({ ok: false, detail: 'no answer within 0.3 s' });
  });

  it('reports a witness that is down', async () => {
    const port = await findFreePort('127.0.0.1');
    const gathered = await gatherFrom(`http://127.0.0.1:${port}`);
    expect(gathered.outcomes[0]!.detail).toMatch(/^unreachable \(ECONNREFUSED\)/);
  });

  it('keeps nothing of a 200 that is not a valid cosignature, or that is huge', async () => {
    const vkey = readWitnessVkey(key.vkey);
    const valid = (await httpWitnesses([{ verifierKey: key.vkey, url: witnessUrl }]).gather(request()))
      .cosignatures[0]!;
    expect(cosignatureTimestamp(noteTextOf(log.checkpoint()), valid, vkey)).toBeDefined();
    const bytes = Buffer.from(valid.trim().split(' ')[2]!, 'base64');
    bytes[20]! ^= 1;
    const bodies = [
      'not a signature line\n',
      `— ${key.name} ${bytes.toString('base64')}\n`,
      valid.trimEnd(),
      `${valid}— ${key.name} !!!\n`.replace(valid, ''),
      '',
    ];
    for (const body of bodies) {
      const url = await listen(() => new Response(body));
      expect((await gatherFrom(url)).cosignatures).toEqual([]);
    }
    // A valid line among bad ones is kept alone.
    const mixed = await listen(
      () => new Response(`garbage\n${valid}— other.example/w ${bytes.toString('base64')}\n`),
    );
    expect((await gatherFrom(mixed)).cosignatures).toEqual([valid]);
    const huge = await listen(() => new Response(`${valid}${'x'.repeat(100_000)}\n`));
    expect((await gatherFrom(huge)).outcomes[0]!.detail).toMatch(/more than 65536 bytes/);
  });

  it('reports a 409 without a size, and a witness that keeps answering 409', async () => {
    const noSize = await listen(() => new Response('nine\n', { status: 409 }));
    expect((await gatherFrom(noSize)).outcomes[0]!.detail).toBe('answered 409 without the size it holds');
    let asked = 0;
    const moving = await listen(
      () => new Response(`${++asked}\n`, { status: 409, headers: { 'content-type': 'text/x.tlog.size' } }),
    );
    expect((await gatherFrom(moving)).outcomes[0]!.detail).toMatch(/still answers 409/);
  });

  it('asks every witness at once and reports each, one failing not stopping the others', async () => {
    const down = `http://127.0.0.1:${await findFreePort('127.0.0.1')}`;
    const other = newWitnessKey('witness.other.example/w2');
    const gathered = await httpWitnesses([
      { verifierKey: other.vkey, url: down },
      { verifierKey: key.vkey, url: witnessUrl },
    ]).gather(request());
    expect(gathered.outcomes.map((outcome) => [outcome.witness, outcome.ok])).toEqual([
      ['witness.other.example/w2', false],
      [key.name, true],
    ]);
    expect(gathered.cosignatures).toHaveLength(1);
  });

  it('refuses at construction a witness key that is a log key, or a URL that is not http(s)', () => {
    expect(() => httpWitnesses([{ verifierKey: log.key.vkey, url: witnessUrl }])).toThrow(/type 0x04/);
    expect(() => httpWitnesses([{ verifierKey: key.vkey, url: 'file:///etc/passwd' }])).toThrow(/not http/);
  });
});
