import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { z } from 'zod';
import { DEMO_GROUP_ID, demoData } from '../../local/demo-data.ts';
import { findFreePort } from '../../local/free-port.ts';
import { loadDemoData } from '../../local/load-demo-data.ts';
import { mintToken } from '../../local/tokens.ts';
import { runToExit } from '../support/run-to-exit.ts';

/**
 * `npm start` as a user runs it: a separate process, real HTTP, real DynamoDB Local and stream, real signals.
 */

const STARTUP_TIMEOUT_MS = 90_000;
const root = fileURLToPath(new URL('../../', import.meta.url));
const tsx = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));

/** Runs `local/start.ts` to its end with extra environment, for the cases where it should not stay up. */
function runStart(args: string[], extraEnv: Record<string, string>) {
  return runToExit(tsx, ['local/start.ts', ...args], { cwd: root, env: { ...process.env, ...extraEnv } });
}

interface Started {
  readonly url: string;
  readonly javaPid: number;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Reads the child's stdout until the banner names the API's URL and DynamoDB Local's pid. */
function waitForBanner(child: ChildProcess, output: { text: string }): Promise<Started> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no banner in time; output so far:\n${output.text}`)),
      STARTUP_TIMEOUT_MS,
    );
    const check = () => {
      const url = /running at (http:\/\/\S+)/.exec(output.text)?.[1];
      const javaPid = /DynamoDB Local: \S+ \(pid (\d+)\)/.exec(output.text)?.[1];
      if (url && javaPid) {
        clearTimeout(timer);
        resolve({ url, javaPid: Number(javaPid) });
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`local/start.ts exited with ${code} before it was ready:\n${output.text}`));
    });
  });
}

/** The secret the spawned `npm start` checks tokens with, so the test can mint its own. */
const E2E_JWT_SECRET = 'end-to-end-secret-long-enough-0123456789';
let bearer: string | undefined;

/** `fetch` with a token of every role: what a desk with all roles would send. */
async function authed(url: string, init: RequestInit = {}) {
  bearer ??= await mintToken({
    secret: E2E_JWT_SECRET,
    subject: 'e2e-tester',
    roles: ['viewer', 'recorder', 'auditor', 'admin'],
  });
  return fetch(url, {
    ...init,
    headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${bearer}` },
  });
}

/** The append result, checked rather than trusted. */
const appendResult = z.object({ caseId: z.string(), version: z.int(), events: z.array(z.unknown()) });

async function postJson(url: string, body: unknown) {
  const response = await authed(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  expect(response.status, text).toBe(201);
  return appendResult.parse(JSON.parse(text));
}

/** GETs a JSON answer that must be a 200. */
// biome-ignore lint/suspicious/noExplicitAny: answers are asserted field by field
async function getJson(url: string): Promise<any> {
  const response = await authed(url);
  expect(response.status, url).toBe(200);
  return response.json();
}

/** Polls the case view until the projector has caught up with `version`; the stream makes this eventual. */
async function waitForCaseVersion(url: string, version: number) {
  const deadline = Date.now() + 30_000;
  let last: unknown;
  while (Date.now() < deadline) {
    const response = await authed(url);
    last = response.status === 200 ? await response.json() : await response.text();
    if (typeof last === 'object' && last !== null && 'version' in last && last.version === version)
      return last;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the view never reached version ${version}; last answer: ${JSON.stringify(last)}`);
}

const event = (type: string, occurredAt: string, data: Record<string, unknown>) => ({
  type,
  occurredAt,
  sources: [{ title: 'End-to-end test (fictional)' }],
  data,
});

describe('npm start', () => {
  let child: ChildProcess;
  let started: Started;
  const output = { text: '' };

  beforeAll(async () => {
    const port = await findFreePort();
    const { DYNAMODB_ENDPOINT: _ignored, ...env } = process.env;
    child = spawn(tsx, ['local/start.ts'], {
      cwd: root,
      env: { ...env, LEDGER_IN_MEMORY: '1', PORT: String(port), LEDGER_JWT_SECRET: E2E_JWT_SECRET },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      output.text += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output.text += chunk.toString();
    });
    started = await waitForBanner(child, output);
  }, STARTUP_TIMEOUT_MS + 5_000);

  afterAll(() => {
    // Only if a test failed half-way: never leave the processes behind.
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    if (started && isRunning(started.javaPid)) process.kill(started.javaPid, 'SIGKILL');
  });

  it('answers every question of the demo group over HTTP: summary, alerts, sorted lists and exports', async () => {
    const demo = demoData(new Date());
    const demoCases = demo.cases;
    await loadDemoData(
      { baseUrl: started.url },
      await mintToken({ secret: E2E_JWT_SECRET, subject: 'e2e-demo', roles: ['recorder'] }),
      demo,
    );
    const group = `groupId=${DEMO_GROUP_ID}`;
    // The projector is fed by the stream: wait until every demo case has its view.
    const deadline = Date.now() + 30_000;
    let listed: Array<{ caseId: string }> = [];
    while (listed.length < demoCases.length && Date.now() < deadline) {
      listed = (await getJson(`${started.url}/cases?${group}`)).cases;
      if (listed.length < demoCases.length) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(listed).toHaveLength(demoCases.length);

    const summary = await getJson(`${started.url}/summary?${group}`);
    expect(summary.total).toBe(demoCases.length);
    const counted = Object.values(summary.byStatus as Record<string, number>).reduce((a, b) => a + b, 0);
    expect(counted).toBe(demoCases.length);

    const alerts = await getJson(`${started.url}/alerts?${group}`);
    expect(alerts.alerts.length).toBeGreaterThan(0);

    const byTerm = await getJson(`${started.url}/cases?${group}&sort=custodyUntil`);
    const terms = byTerm.cases.map((view: { custodyUntil: string | null }) => view.custodyUntil ?? '~');
    expect(terms).toEqual([...terms].sort());

    const csv = await authed(`${started.url}/cases.csv?${group}`);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const rows = parse(await csv.text(), { columns: true }) as Array<{ caseId: string }>;
    expect(rows.map((row) => row.caseId).sort()).toEqual(demoCases.map((demo) => demo.caseId).sort());

    const caseId = demoCases[0]!.caseId;
    const view = await getJson(`${started.url}/cases/${caseId}`);
    const ndjson = await (await authed(`${started.url}/cases/${caseId}/events.ndjson`)).text();
    const versions = ndjson
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line).version);
    expect(versions).toEqual(Array.from({ length: view.version }, (_, i) => i + 1));
  });

  it('never prints the LEDGER_JWT_SECRET it was given', () => {
    expect(output.text).toContain('with the LEDGER_JWT_SECRET you set, not shown here');
    expect(output.text).not.toContain(E2E_JWT_SECRET);
  });

  it('says first where the web application is, and serves it there with no step of its own', async () => {
    const first = output.text
      .split('\n')
      .find((line) => !line.startsWith('{') && !line.includes('web application'));
    expect(first).toBe(`Open ${started.url}/app/ in a browser and sign in.`);
    const page = await fetch(`${started.url}/app/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
  });

  it('serves the API, projects appended events into the case view, and stops cleanly on SIGTERM', async () => {
    expect(started.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(isRunning(started.javaPid)).toBe(true);

    const health = await fetch(`${started.url}/health`);
    expect(health.status).toBe(200);
    // Everything else answers to a token only.
    expect((await fetch(`${started.url}/cases`)).status).toBe(401);

    const opened = await postJson(`${started.url}/cases`, {
      subject: { name: 'Ada Example', nationality: 'Ruritania' },
      groupId: 'e2e-group',
      events: [event('Detained', '2025-06-30', { place: 'Riverside Square, Exampleton' })],
    });
    const caseId = opened.caseId;
    expect(opened.events).toHaveLength(2);

    const appended = await postJson(`${started.url}/cases/${caseId}/events`, {
      events: [event('ConsularVisit', '2025-07-03', { by: 'Consulate of Ruritania in Exampleton' })],
    });
    expect(appended.version).toBe(opened.version + 1);

    const view = await waitForCaseVersion(`${started.url}/cases/${caseId}`, appended.version);
    expect(view).toMatchObject({ caseId, status: 'detained', groupId: 'e2e-group', consularVisitCount: 1 });

    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    expect(isRunning(started.javaPid)).toBe(false);
  });
});

/** Starts `command args` with a data directory and waits for its banner; the caller stops it. */
async function startOn(command: string, args: string[], env: Record<string, string>) {
  const { DYNAMODB_ENDPOINT: _ignored, ...inherited } = process.env;
  const child = spawn(command, args, {
    cwd: root,
    env: { ...inherited, PORT: String(await findFreePort()), LEDGER_JWT_SECRET: E2E_JWT_SECRET, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = { text: '' };
  child.stdout?.on('data', (chunk: Buffer) => {
    output.text += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output.text += chunk.toString();
  });
  return { child, output, started: await waitForBanner(child, output) };
}

async function waitUntilGone(pid: number): Promise<void> {
  while (isRunning(pid)) await new Promise((resolve) => setTimeout(resolve, 100));
}

describe('npm run demo', () => {
  it('opens its port only once the demo is loaded: the first /health answer means every case is there', async () => {
    const port = await findFreePort();
    const url = `http://127.0.0.1:${port}`;
    const { DYNAMODB_ENDPOINT: _ignored, ...env } = process.env;
    const child = spawn(tsx, ['local/demo.ts'], {
      cwd: root,
      env: { ...env, PORT: String(port), LEDGER_JWT_SECRET: E2E_JWT_SECRET },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = once(child, 'exit');
    try {
      let health: Response | undefined;
      while (health === undefined && child.exitCode === null) {
        health = await fetch(`${url}/health`).catch(() => undefined);
        if (health === undefined) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(health?.status).toBe(200);
      // No waiting for the projector here: at the first answer it has caught up already.
      const listed = await getJson(`${url}/cases?groupId=${DEMO_GROUP_ID}`);
      expect(listed.cases).toHaveLength(demoData(new Date()).cases.length);

      // Its dates are counted back from today: the alerts are this week's, not those of a year ago.
      const { alerts } = await getJson(`${url}/alerts?groupId=${DEMO_GROUP_ID}`);
      expect(alerts).toContainEqual(
        expect.objectContaining({
          caseId: 'demo-c01',
          kind: 'custody_term_expiring',
          days: expect.any(Number),
        }),
      );
      const expiring = alerts.find((alert: { kind: string }) => alert.kind === 'custody_term_expiring');
      expect(expiring.days).toBeGreaterThanOrEqual(9);
      expect(expiring.days).toBeLessThanOrEqual(10);
      for (const alert of alerts) expect(alert.days ?? 0, JSON.stringify(alert)).toBeLessThan(100);
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  }, 180_000);
});

describe('npm start on a data directory', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'ledger-e2e-data-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('refuses a second start on the same folder, naming the first by pid and URL, and leaves its runtime.json', async () => {
    const first = await startOn(tsx, ['local/start.ts'], { LEDGER_DATA_DIR: dataDir });
    try {
      const runtimeFile = await readFile(join(dataDir, 'runtime.json'), 'utf8');
      const { pid } = JSON.parse(runtimeFile) as { pid: number };
      const second = await runStart([], { LEDGER_DATA_DIR: dataDir, PORT: String(await findFreePort()) });
      expect(second.code).toBe(1);
      expect(second.stderr).toContain(
        `Another local runtime is using ${dataDir}: pid ${pid}, serving ${first.started.url}.`,
      );
      expect(second.stderr).not.toMatch(/^\s+at /m);
      // The first one's file is still there, unchanged, and the first one still answers.
      expect(await readFile(join(dataDir, 'runtime.json'), 'utf8')).toBe(runtimeFile);
      expect((await fetch(`${first.started.url}/health`)).status).toBe(200);
    } finally {
      first.child.kill('SIGTERM');
      await once(first.child, 'exit');
    }
  }, 180_000);

  it('stops, with its DynamoDB Local, when the process that started it is killed outright', async () => {
    // tsx runs the runtime as its child: SIGKILL of tsx leaves that child with no one to pass a signal on.
    const started = await startOn(tsx, ['local/start.ts'], { LEDGER_DATA_DIR: dataDir });
    const { pid: runtimePid } = JSON.parse(await readFile(join(dataDir, 'runtime.json'), 'utf8')) as {
      pid: number;
    };
    onTestFinished(() => {
      if (isRunning(runtimePid)) process.kill(runtimePid, 'SIGKILL');
      if (isRunning(started.started.javaPid)) process.kill(started.started.javaPid, 'SIGKILL');
    });
    expect(runtimePid).not.toBe(started.child.pid);
    started.child.kill('SIGKILL');
    await waitUntilGone(runtimePid);
    await waitUntilGone(started.started.javaPid);
    expect(isRunning(started.started.javaPid)).toBe(false);
    // It stopped as it does on Ctrl-C: its lock is given back, so the next start needs no clean-up.
    await expect(readFile(join(dataDir, 'runtime.lock'))).rejects.toMatchObject({ code: 'ENOENT' });
  }, 120_000);

  it("stops the runtime and DynamoDB Local when only npm's pid gets SIGTERM, as an IDE's stop button sends", async () => {
    const npm = await startOn('npm', ['start'], { LEDGER_DATA_DIR: dataDir });
    const { pid: runtimePid } = JSON.parse(await readFile(join(dataDir, 'runtime.json'), 'utf8')) as {
      pid: number;
    };
    // Only if it fails (a timeout too): never leave behind the orphans this test is about.
    onTestFinished(() => {
      if (isRunning(runtimePid)) process.kill(runtimePid, 'SIGKILL');
      if (isRunning(npm.started.javaPid)) process.kill(npm.started.javaPid, 'SIGKILL');
    });
    expect(runtimePid).not.toBe(npm.child.pid);
    npm.child.kill('SIGTERM');
    await once(npm.child, 'exit');
    await waitUntilGone(runtimePid);
    await waitUntilGone(npm.started.javaPid);
    expect(isRunning(runtimePid)).toBe(false);
    expect(isRunning(npm.started.javaPid)).toBe(false);
  }, 120_000);
});

describe('npm start, when it cannot or should not start', () => {
  it('explains its options with --help and exits 0', async () => {
    const { code, stdout } = await runStart(['--help'], {});
    expect(code).toBe(0);
    expect(stdout).toMatch(/LEDGER_DATA_DIR/);
  });

  it('says which variable names an unreachable DynamoDB, what was tried and what to do, without an SDK dump', async () => {
    const endpoint = `http://127.0.0.1:${await findFreePort()}`;
    const { code, stderr } = await runStart([], { DYNAMODB_ENDPOINT: endpoint, PORT: '0' });
    expect(code).toBe(1);
    expect(stderr).toBe(
      `Cannot reach DynamoDB at ${endpoint}, the DYNAMODB_ENDPOINT you set (ECONNREFUSED: nothing listens there).\n` +
        'Start that DynamoDB first, correct DYNAMODB_ENDPOINT (e.g. http://127.0.0.1:8000), ' +
        'or unset it and npm start launches DynamoDB Local itself.\n',
    );
  });

  it('names every bad setting, without a stack trace, and exits 1', async () => {
    const { code, stderr } = await runStart([], { PORT: 'eighty', LEDGER_IN_MEMORY: 'maybe' });
    expect(code).toBe(1);
    expect(stderr).toMatch(/Invalid configuration[\s\S]*PORT[\s\S]*LEDGER_IN_MEMORY/);
    expect(stderr).not.toMatch(/^\s+at /m);
  });
});
