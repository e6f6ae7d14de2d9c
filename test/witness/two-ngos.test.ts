import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { checkEvidence } from '../../domain/log/evidence-check.ts';
import { readEvidencePacket } from '../../domain/log/evidence-packet.ts';
import { formatVerifierKey } from '../../domain/log/verifier-key.ts';
import { loadLocalConfig } from '../../local/local-config.ts';
import { type LocalRuntime, startLocalRuntime } from '../../local/local-runtime.ts';
import { loadOrCreateEd25519KeyFile } from '../../local/log-key-file.ts';
import { type PacketLike, packetProblems } from '../api/evidence-packet-check.ts';
import { runToExit } from '../support/run-to-exit.ts';
import { TEST_JWT_SECRET, testToken } from '../support/tokens.ts';
import { cosignatureTimestamp, noteTextOf, readWitnessVkey, signatureLinesOf } from './cosignature-check.ts';
import { startWitnessProcess, type WitnessProcess } from './witness-process.ts';

/**
 * Two NGOs, each running a ledger (a local runtime) and a witness (`npx ledger witness`, a process of its own)
 * for the other's log: each ledger's checkpoints carry the other's cosignature; a fork and a rollback signed
 * with a ledger's own key are refused; the witness's state survives its restart.
 */

interface Ngo {
  readonly name: 'a' | 'b';
  readonly origin: string;
  readonly logKeyFile: string;
  logVkey: string;
  sign: (message: Uint8Array) => Promise<Uint8Array>;
  runtime?: LocalRuntime;
  /** The witness this NGO runs, for the other's log. */
  witness?: WitnessProcess;
}

const bin = fileURLToPath(new URL('../../local/cli/bin.mjs', import.meta.url));

let dir: string;
const ngos: Record<'a' | 'b', Ngo> = {} as never;
const other = (ngo: Ngo) => (ngo.name === 'a' ? ngos.b : ngos.a);
let recorder: string;
let auditor: string;

const witnessOptions = (ngo: Ngo, port?: number) => ({
  name: `witness.ngo-${ngo.name}.example/w1`,
  keyFile: join(dir, `witness-${ngo.name}.pem`),
  state: join(dir, `witness-${ngo.name}-state.json`),
  logs: [other(ngo).logVkey],
  ...(port !== undefined && { port }),
});

async function startRuntime(ngo: Ngo): Promise<LocalRuntime> {
  const suffix = randomBytes(4).toString('hex');
  const witness = other(ngo).witness!;
  const config = loadLocalConfig(
    {
      PORT: '0',
      LEDGER_WEB: 'off',
      DYNAMODB_ENDPOINT: inject('dynamodbEndpoint'),
      LEDGER_TABLE: `ngo-${ngo.name}-ledger-${suffix}`,
      VIEWS_TABLE: `ngo-${ngo.name}-views-${suffix}`,
      KEYS_TABLE: `ngo-${ngo.name}-keys-${suffix}`,
      NOTIFICATIONS_TABLE: `ngo-${ngo.name}-notifications-${suffix}`,
      LOG_TABLE: `ngo-${ngo.name}-log-${suffix}`,
      LOG_DIR: join(dir, `log-${ngo.name}`),
      LOG_ORIGIN: ngo.origin,
      LOG_KEY_FILE: ngo.logKeyFile,
      LOG_WITNESSES: `${witness.vkey} ${witness.url}`,
      LEDGER_JWT_SECRET: TEST_JWT_SECRET,
      LEDGER_MASTER_KEY: randomBytes(32).toString('base64'),
      XDG_CONFIG_HOME: join(dir, `config-${ngo.name}`),
    },
    join(dir, `cwd-${ngo.name}`),
  );
  return startLocalRuntime(config, { logger: () => {} });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'two-ngos-'));
  for (const name of ['a', 'b'] as const) {
    const origin = `ledger.ngo-${name}.example/log`;
    const logKeyFile = join(dir, `log-${name}.pem`);
    const key = await loadOrCreateEd25519KeyFile(logKeyFile);
    ngos[name] = {
      name,
      origin,
      logKeyFile,
      logVkey: formatVerifierKey(origin, 0x01, key.publicKey),
      sign: key.sign,
    };
  }
  // Each NGO's witness watches the other's log; each ledger then sends its checkpoints to the other's witness.
  [ngos.a.witness, ngos.b.witness] = await Promise.all([
    startWitnessProcess(witnessOptions(ngos.a)),
    startWitnessProcess(witnessOptions(ngos.b)),
  ]);
  [ngos.a.runtime, ngos.b.runtime] = await Promise.all([startRuntime(ngos.a), startRuntime(ngos.b)]);
  recorder = await testToken(['recorder']);
  auditor = await testToken(['auditor']);
});

afterAll(async () => {
  await Promise.all(Object.values(ngos).map((ngo) => ngo.runtime?.stop()));
  await Promise.all(Object.values(ngos).map((ngo) => ngo.witness?.stop()));
  await rm(dir, { recursive: true, force: true });
});

async function openCase(ngo: Ngo, caseId: string) {
  const response = await fetch(`${ngo.runtime!.url}/cases`, {
    method: 'POST',
    headers: { authorization: `Bearer ${recorder}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      caseId,
      subject: { name: `Test Person ${ngo.name.toUpperCase()}`, nationality: 'Utopia' },
    }),
  });
  expect(response.status).toBe(201);
  await ngo.runtime!.logCaughtUp();
}

const checkpointOf = async (ngo: Ngo) => (await fetch(`${ngo.runtime!.url}/log/checkpoint`)).text();
const sizeOf = (note: string) => Number(noteTextOf(note).split('\n')[1]);
const cosignedBy = (note: string, witness: WitnessProcess) =>
  signatureLinesOf(note).filter(
    (line) => cosignatureTimestamp(noteTextOf(note), line, readWitnessVkey(witness.vkey)) !== undefined,
  ).length;

/** A checkpoint signed with the NGO's own log key, as a ledger that lies would sign one. */
async function signedByLog(ngo: Ngo, size: number, root: Uint8Array): Promise<string> {
  const text = `${ngo.origin}\n${size}\n${Buffer.from(root).toString('base64')}\n`;
  const [, hexId] = ngo.logVkey.split('+');
  const signature = await ngo.sign(Buffer.from(text));
  return `${text}\n— ${ngo.origin} ${Buffer.concat([Buffer.from(hexId!, 'hex'), signature]).toString('base64')}\n`;
}

const submit = (witness: WitnessProcess, body: string) =>
  fetch(`${witness.url}/add-checkpoint`, { method: 'POST', body });

describe('two NGOs watching each other', () => {
  it("each ledger's checkpoint carries the other's cosignature", async () => {
    await Promise.all([openCase(ngos.a, 'a-case-1'), openCase(ngos.b, 'b-case-1')]);
    for (const ngo of [ngos.a, ngos.b]) {
      const note = await checkpointOf(ngo);
      expect(sizeOf(note)).toBeGreaterThanOrEqual(1);
      expect(cosignedBy(note, other(ngo).witness!)).toBe(1);
      // Not by its own witness: that one watches the other log.
      expect(cosignedBy(note, ngo.witness!)).toBe(0);
      // The witness serves what it cosigned, with the ledger's signature.
      const hash = createHash('sha256').update(ngo.origin).digest('hex');
      const served = await (await fetch(`${other(ngo).witness!.url}/${hash}/checkpoint`)).text();
      expect(noteTextOf(served)).toBe(noteTextOf(note));
    }
  });

  it("the evidence packet names the other's witness, whose cosignature checks", async () => {
    const response = await fetch(`${ngos.a.runtime!.url}/cases/a-case-1/evidence`, {
      headers: { authorization: `Bearer ${auditor}` },
    });
    expect(response.status).toBe(200);
    const text = await response.text();
    const packet = JSON.parse(text) as PacketLike;
    expect(packet.witnessKeys).toEqual([ngos.b.witness!.vkey]);
    expect(packetProblems(packet)).toMatchObject({ problems: [], cosigned: 1 });
    // The project's own checker, which `npx ledger verify-evidence` prints, says the same.
    const reading = readEvidencePacket(text);
    if (!reading.ok) throw new Error(`not read as a packet: ${JSON.stringify(reading.problem)}`);
    expect(checkEvidence(reading.packet)).toMatchObject({ ok: true, failures: [], cosigned: 1 });
    const file = join(dir, 'evidence-a-case-1.json');
    await writeFile(file, text);
    const verified = await runToExit(process.execPath, [bin, 'verify-evidence', file], {
      cwd: dir,
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    });
    expect(verified.code).toBe(0);
    await writeFile(file, text.replace(/"occurredAt": "[^"]+"/, '"occurredAt": "2025-01-01T00:00:00Z"'));
    const altered = await runToExit(process.execPath, [bin, 'verify-evidence', file], {
      cwd: dir,
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    });
    expect(altered.code).toBe(1);
  });

  it("refuses a fork signed with the ledger's own key: the same size, another root (422)", async () => {
    const note = await checkpointOf(ngos.a);
    const size = sizeOf(note);
    const fork = await signedByLog(ngos.a, size, randomBytes(32));
    const response = await submit(ngos.b.witness!, `old ${size}\n\n${fork}`);
    expect(response.status).toBe(422);
  });

  it('refuses a rollback to an older size (409, naming the size it holds)', async () => {
    const size = sizeOf(await checkpointOf(ngos.a));
    const older = await signedByLog(ngos.a, size - 1, randomBytes(32));
    const response = await submit(ngos.b.witness!, `old ${size - 1}\n\n${older}`);
    expect(response.status).toBe(409);
    expect(response.headers.get('content-type')).toBe('text/x.tlog.size');
    expect(await response.text()).toBe(`${size}\n`);
  });

  it('keeps its state across a restart: still refuses the fork, and cosigns what extends it', async () => {
    const witness = ngos.b.witness!;
    const port = Number(new URL(witness.url).port);
    const before = sizeOf(await checkpointOf(ngos.a));
    expect(await witness.stop()).toBe(0);
    ngos.b.witness = await startWitnessProcess(witnessOptions(ngos.b, port));
    expect(ngos.b.witness.vkey).toBe(witness.vkey);
    const fork = await signedByLog(ngos.a, before, randomBytes(32));
    expect((await submit(ngos.b.witness, `old ${before}\n\n${fork}`)).status).toBe(422);
    expect((await submit(ngos.b.witness, `old 0\n\n${fork}`)).status).toBe(409);
    // The ledger goes on; the restarted witness cosigns its next checkpoint, proved from the size it kept.
    await openCase(ngos.a, 'a-case-2');
    const note = await checkpointOf(ngos.a);
    expect(sizeOf(note)).toBeGreaterThan(before);
    expect(cosignedBy(note, ngos.b.witness)).toBe(1);
  });
});
