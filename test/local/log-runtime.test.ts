import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parseCheckpoint } from '../../domain/log/checkpoint.ts';
import { parseNote, verifyNote } from '../../domain/log/signed-note.ts';
import { formatVerifierKey, parseVerifierKey, SIGNATURE_TYPE } from '../../domain/log/verifier-key.ts';
import { createDynamoDBClients } from '../../functions/dynamodb-clients.ts';
import { LocalKeyWrapper, masterKeyFrom } from '../../functions/personal-data/local-key-wrapper.ts';
import { createServices } from '../../functions/services.ts';
import { runCli } from '../../local/cli/program.ts';
import { loadLocalConfig } from '../../local/local-config.ts';
import { type LocalRuntime, startLocalRuntime } from '../../local/local-runtime.ts';
import { loadOrCreateEd25519KeyFile } from '../../local/log-key-file.ts';
import { TextSink } from '../cli/cli-harness.ts';
import { temporaryDirectory } from '../log/integrator-support.ts';
import { cosignedAt, signedBy } from '../support/c2sp-note-checker.ts';
import { consularVisit, opening, withoutId } from '../support/sample-events.ts';
import { TEST_JWT_SECRET, testToken } from '../support/tokens.ts';
import { startWitnessProcess, type WitnessProcess } from '../witness/witness-process.ts';

/**
 * `npm start`'s runtime with its transparency log: live appends integrated (and cosigned by a witness
 * running as its own process), then `npx ledger log …` against it, and a backfill of events recorded while the
 * runtime was stopped.
 */
const ORIGIN = 'test.example/runtime-log';
const suffix = randomBytes(4).toString('hex');
let dir: Awaited<ReturnType<typeof temporaryDirectory>>;
let witness: WitnessProcess;
let env: Record<string, string>;
let runtime: LocalRuntime | undefined;
const masterKey = randomBytes(32).toString('base64');

beforeAll(async () => {
  dir = await temporaryDirectory('log-runtime');
  const logKeyFile = join(dir.path, 'keys', 'log.pem');
  const logKey = await loadOrCreateEd25519KeyFile(logKeyFile);
  witness = await startWitnessProcess({
    name: 'witness.example/w1',
    keyFile: join(dir.path, 'keys', 'witness.pem'),
    state: join(dir.path, 'witness-state.json'),
    logs: [formatVerifierKey(ORIGIN, SIGNATURE_TYPE.ed25519, logKey.publicKey)],
  });
  env = {
    DYNAMODB_ENDPOINT: inject('dynamodbEndpoint'),
    LEDGER_TABLE: `lr-ledger-${suffix}`,
    VIEWS_TABLE: `lr-views-${suffix}`,
    KEYS_TABLE: `lr-keys-${suffix}`,
    NOTIFICATIONS_TABLE: `lr-notifications-${suffix}`,
    LOG_TABLE: `lr-log-${suffix}`,
    LEDGER_MASTER_KEY: masterKey,
    LEDGER_JWT_SECRET: TEST_JWT_SECRET,
    LEDGER_DATA_DIR: join(dir.path, 'data'),
    LEDGER_WEB: 'off',
    PORT: '0',
    LOG_DIR: join(dir.path, 'log'),
    LOG_KEY_FILE: logKeyFile,
    LOG_ORIGIN: ORIGIN,
    LOG_WITNESSES: `${witness.vkey} ${witness.url}`,
    XDG_CONFIG_HOME: join(dir.path, 'config'),
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  runtime = await startLocalRuntime(loadLocalConfig(env, dir.path), { logger: () => {} });
});
afterAll(async () => {
  await runtime?.stop();
  await witness?.stop();
  await dir?.remove();
});

async function cliWith(overrides: Record<string, string>, ...args: string[]) {
  const stdout = new TextSink();
  const stderr = new TextSink();
  const code = await runCli(args, { env: { ...env, ...overrides }, cwd: dir.path, stdout, stderr });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

const cli = (...args: string[]) => cliWith({}, ...args);

/** What a command said last on stderr: the CLI names the tables it works on first. */
const lastLine = (text: string) => text.trimEnd().split('\n').at(-1);

async function openCase(events: number): Promise<string[]> {
  const recorder = await testToken(['recorder']);
  const answer = await fetch(`${runtime!.url}/cases`, {
    method: 'POST',
    headers: { authorization: `Bearer ${recorder}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      subject: { name: 'Ada Example', nationality: 'Utopia' },
      occurredAt: '2025-06-01',
      events: Array.from({ length: events - 1 }, (_, i) => withoutId(consularVisit(`2025-06-${10 + i}`))),
    }),
  });
  expect(answer.status).toBe(201);
  const { caseId } = (await answer.json()) as { caseId: string };
  const auditor = await testToken(['auditor']);
  const stored = await fetch(`${runtime!.url}/cases/${caseId}/events?form=stored`, {
    headers: { authorization: `Bearer ${auditor}` },
  });
  return ((await stored.json()) as { events: { eventId: string }[] }).events.map((event) => event.eventId);
}

const keysOf = async () =>
  (await (await fetch(`${runtime!.url}/log/key`)).text()).trimEnd().split('\n').map(parseVerifierKey);

describe('the local runtime with its log', () => {
  let eventIds: string[] = [];

  it('integrates live appends and publishes each checkpoint with the witness cosignature', async () => {
    eventIds = [...(await openCase(3)), ...(await openCase(4))];
    await runtime!.logCaughtUp();
    const note = await (await fetch(`${runtime!.url}/log/checkpoint`)).text();
    const parsed = parseNote(note);
    expect(parseCheckpoint(parsed.text).size).toBe(7);
    const keys = await keysOf();
    expect(keys.map((key) => key.name)).toEqual([ORIGIN, 'witness.example/w1']);
    expect(verifyNote(parsed, keys).verified.map((key) => key.name)).toEqual([ORIGIN, 'witness.example/w1']);
    // And by the independent C2SP checker: the log's signature, and the witness's cosignature/v1.
    const vkeys = (await (await fetch(`${runtime!.url}/log/key`)).text()).trimEnd().split('\n');
    expect(signedBy(note, vkeys[0]!)).toBe(true);
    expect(signedBy(note, witness.vkey)).toBe(true);
    expect(cosignedAt(note, witness.vkey)).toBeDefined();
  });

  it('answers npx ledger log checkpoint, prove and consistency against it', async () => {
    const served = await (await fetch(`${runtime!.url}/log/checkpoint`)).text();
    const checkpoint = await cli('log', 'checkpoint');
    expect(checkpoint.code).toBe(0);
    expect(checkpoint.stdout).toBe(served);
    expect(lastLine(checkpoint.stderr)).toBe(
      `Signed by ${ORIGIN}; cosigned by 1 of 1 witness in LOG_WITNESSES (witness.example/w1).`,
    );

    const proved = await cli('log', 'prove', eventIds[4]!);
    expect(proved.code, proved.stderr).toBe(0);
    expect(JSON.parse(proved.stdout)).toMatchObject({
      eventId: eventIds[4],
      treeSize: 7,
      checks: { eventHashHolds: true, inclusionHolds: true },
    });
    expect((await cli('log', 'prove', eventIds[0]!, '--size', '1')).code).toBe(0);

    const consistent = await cli('log', 'consistency', '3', '7');
    expect(consistent.code, consistent.stderr).toBe(0);
    expect(JSON.parse(consistent.stdout)).toMatchObject({ from: 3, to: 7, holds: true });

    for (const args of [
      ['log', 'prove', 'not-an-event-id'],
      ['log', 'prove', eventIds[0]!, '--size', '01'],
      ['log', 'consistency', '5', '1'],
      ['log', 'consistency', '1', '-1'],
      ['log', 'consistency', '1', '8'],
      ['log', 'prove', eventIds[0]!, '--size', '99'],
    ]) {
      const refused = await cli(...args);
      expect(refused.code, args.join(' ')).toBe(2);
      expect(refused.stderr).not.toMatch(/\n\s+at /);
    }
    expect((await cli('log', 'prove', '00000000-0000-4000-8000-000000000000')).code).toBe(1);
  });

  it('finds an altered stored event out: its proof no longer checks', async () => {
    const clients = createDynamoDBClients({ endpoint: env.DYNAMODB_ENDPOINT! });
    try {
      const services = createServices({
        clients,
        tables: loadLocalConfig(env, dir.path).tables,
        keyWrapper: new LocalKeyWrapper(masterKeyFrom(masterKey)),
      });
      const guard = (await services.ledger.findGuards([eventIds[1]!])).get(eventIds[1]!)!;
      await clients.documents.send(
        new UpdateCommand({
          TableName: env.LEDGER_TABLE,
          Key: { streamId: guard.caseId, version: guard.eventVersion },
          UpdateExpression: 'SET #by = :by',
          ExpressionAttributeNames: { '#by': 'recordedBy' },
          ExpressionAttributeValues: { ':by': 'someone-else' },
        }),
      );
      const proved = await cli('log', 'prove', eventIds[1]!);
      expect(proved.code).toBe(1);
      expect(JSON.parse(proved.stdout).checks).toEqual({ eventHashHolds: false, inclusionHolds: true });
    } finally {
      clients.client.destroy();
    }
  });

  it('takes in, by npx ledger log backfill, what was recorded while it was not running', async () => {
    await runtime!.stop();
    runtime = undefined;
    const clients = createDynamoDBClients({ endpoint: env.DYNAMODB_ENDPOINT! });
    try {
      const services = createServices({
        clients,
        tables: loadLocalConfig(env, dir.path).tables,
        keyWrapper: new LocalKeyWrapper(masterKeyFrom(masterKey)),
      });
      await services.ledger.append({
        caseId: `offline-${suffix}`,
        events: [opening({ occurredAt: '2025-06-01' }), consularVisit('2025-06-02')],
        expected: 'no_stream',
        recordedBy: 'test-recorder',
      });
    } finally {
      clients.client.destroy();
    }
    const backfilled = await cli('log', 'backfill');
    expect(backfilled.code, backfilled.stderr).toBe(0);
    expect(backfilled.stderr).toMatch(/2 taken into the log; the newest checkpoint has size 9/);
    const checkpoint = await cli('log', 'checkpoint');
    const parsed = parseNote(checkpoint.stdout);
    expect(lastLine(checkpoint.stderr)).toMatch(
      /^Signed by .*; cosigned by 1 of 1 witness in LOG_WITNESSES /,
    );
    // A second witness that never saw this log is counted and not named; another log key does not verify.
    const stranger = await loadOrCreateEd25519KeyFile(join(dir.path, 'keys', 'stranger.pem'));
    const strangerVkey = formatVerifierKey(
      'witness.example/w2',
      SIGNATURE_TYPE.cosignatureV1,
      stranger.publicKey,
    );
    const twoWitnesses = await cliWith(
      {
        LOG_WITNESSES: `${env.LOG_WITNESSES}; ${strangerVkey} http://127.0.0.1:9/`,
        LOG_KEY_FILE: join(dir.path, 'keys', 'stranger.pem'),
      },
      'log',
      'checkpoint',
    );
    expect(twoWitnesses.stdout).toBe(checkpoint.stdout);
    expect(lastLine(twoWitnesses.stderr)).toBe(
      `NOT signed by ${ORIGIN}: no signature of the key in LOG_KEY_FILE; cosigned by 1 of 2 witnesses in LOG_WITNESSES (witness.example/w1).`,
    );
    // Checking what the log signed never makes a key: a key file that is not there is said, and stays absent.
    const missingKey = join(dir.path, 'keys', 'not-here.pem');
    const keyless = await cliWith({ LOG_KEY_FILE: missingKey }, 'log', 'checkpoint');
    expect(keyless.code, keyless.stderr).toBe(0);
    expect(keyless.stdout).toBe(checkpoint.stdout);
    expect(lastLine(keyless.stderr)).toBe(
      `The log's key is not on this machine (${missingKey}), so its signature was not checked; cosigned by 1 of 1 witness in LOG_WITNESSES (witness.example/w1).`,
    );
    expect(existsSync(missingKey)).toBe(false);
    expect(parseCheckpoint(parsed.text).size).toBe(9);
    const witnessKey = parseVerifierKey(witness.vkey);
    expect(verifyNote(parsed, [witnessKey]).verified).toHaveLength(1);
  });
});
