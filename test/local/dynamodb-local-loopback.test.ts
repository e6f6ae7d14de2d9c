import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DynamoDBLocal, startDynamoDBLocal } from '../../local/dynamodb-local.ts';
import { planLaunch, UNBOUND_WARNING } from '../../local/dynamodb-local-launcher.ts';
import {
  createNetworkNamespace,
  type NetworkNamespace,
  namespaceUnavailable,
} from '../support/network-namespace.ts';

/** DynamoDB Local checks no signature: it must be reachable from this machine only, and from no web page. */

const root = fileURLToPath(new URL('../../', import.meta.url));
const fixture = fileURLToPath(new URL('./fixtures/hold-dynamodb-local.ts', import.meta.url));

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntilGone(pid: number): Promise<void> {
  while (isRunning(pid)) await new Promise((resolve) => setTimeout(resolve, 100));
}

function listenOnEveryInterface(): Promise<Server> {
  const server = createServer((socket) => socket.destroy());
  return new Promise((resolve) => server.listen(0, '0.0.0.0', () => resolve(server)));
}

describe('DynamoDB Local, as launched', () => {
  let dynamodb: DynamoDBLocal;
  let scratch: string;

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'ledger-loopback-'));
    dynamodb = await startDynamoDBLocal();
  });
  afterAll(async () => {
    await dynamodb?.stop();
    await rm(scratch, { recursive: true, force: true });
  });

  it('is unreachable from a second network namespace, while a listener on 0.0.0.0 is reachable', async (context) => {
    const unavailable = await namespaceUnavailable();
    if (unavailable !== undefined) {
      context.skip(`cannot show unreachability from another host: ${unavailable}`);
      return;
    }
    const control = await listenOnEveryInterface();
    let namespace: NetworkNamespace | undefined;
    try {
      namespace = await createNetworkNamespace();
      const controlPort = (control.address() as { port: number }).port;
      // The control shows the namespace does reach this machine: without it, a refusal would prove nothing.
      expect(await namespace.connectToHost(controlPort)).toBe('connected');
      expect(await namespace.connectToHost(dynamodb.port)).toBe('ECONNREFUSED');
      expect(dynamodb.loopbackOnly).toBe(true);
    } finally {
      await namespace?.remove();
      control.close();
    }
  });

  it('answers a preflight from a foreign origin without allowing that origin', async () => {
    const response = await fetch(dynamodb.endpoint, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://evil.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,authorization,x-amz-target',
      },
    });
    await response.body?.cancel();
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    // A plain request from that origin is not let through to a script either.
    const listed = await fetch(dynamodb.endpoint, {
      method: 'POST',
      headers: {
        origin: 'https://evil.example',
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'DynamoDB_20120810.ListTables',
      },
      body: '{}',
    });
    await listed.body?.cancel();
    expect(listed.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('runs the launcher through Java source mode where javac is missing, still on loopback only', async () => {
    const plan = await planLaunch({ javac: 'no-such-javac', cacheDir: join(scratch, 'cache') });
    expect(plan.mode).toBe('source');
    expect(plan.warning).toBeUndefined();
    const fromSource = await startDynamoDBLocal({ plan });
    try {
      expect(fromSource.loopbackOnly).toBe(true);
      const stdout = execFileSync('ss', ['-ltnH', `sport = :${fromSource.port}`], { encoding: 'utf8' });
      expect(stdout).toMatch(/127\.0\.0\.1\]?:\d+/);
      expect(stdout).not.toMatch(/(\*|0\.0\.0\.0|\[::\]):\d+/);
    } finally {
      await fromSource.stop();
    }
  });

  it('falls back to an unbound DynamoDB Local only on a Java that can build no launcher, with a warning', async () => {
    // A JRE: no javac, and a `java` without the jdk.compiler module that source mode needs.
    const jre = join(scratch, 'jre-java');
    await writeFile(
      jre,
      '#!/bin/sh\nif [ "$1" = "--list-modules" ]; then echo java.base@17; exit 0; fi\nexec java "$@"\n',
      { mode: 0o755 },
    );
    const plan = await planLaunch({
      java: jre,
      javac: 'no-such-javac',
      cacheDir: join(scratch, 'jre-cache'),
    });
    expect(plan.mode).toBe('unbound');
    expect(plan.warning).toBe(UNBOUND_WARNING);
    expect(plan.warning).toMatch(/EVERY network interface/);
  });

  it('does not outlive the Node process that started it, even one killed with SIGKILL', async () => {
    // One Node process (tsx as a loader, not its CLI, which would put a second Node in between).
    const parent = spawn(process.execPath, ['--import', 'tsx', fixture], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const [chunk] = (await once(parent.stdout, 'data')) as [Buffer];
    const { javaPid } = JSON.parse(chunk.toString()) as { javaPid: number };
    expect(isRunning(javaPid)).toBe(true);
    parent.kill('SIGKILL');
    await waitUntilGone(javaPid);
    expect(isRunning(javaPid)).toBe(false);
  }, 90_000);
});
