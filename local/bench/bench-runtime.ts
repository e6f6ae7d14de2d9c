import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { TableNames } from '../../functions/tables/ensure-tables.ts';
import { startDynamoDBLocal } from '../dynamodb-local.ts';
import { findFreePort } from '../free-port.ts';
import { LocalError } from '../local-error.ts';
import { type BenchChild, startTsxChild } from './bench-child.ts';

/** The system under test: DynamoDB Local, and the local runtime (`npm start`) in a process of its own. */
export interface BenchRuntime {
  readonly dynamodbEndpoint: string;
  readonly dynamodbPid: number;
  /** The runtime's API, e.g. `http://127.0.0.1:41234`. */
  readonly apiUrl: string;
  readonly runtimePid: number;
  readonly tables: TableNames;
  /** The secret the runtime checks tokens with: the benchmark mints its own. */
  readonly jwtSecret: string;
  /** Stops the runtime, then DynamoDB Local. Safe to call more than once. */
  stop(): Promise<void>;
  /** The master key (base64) the runtime wraps case keys with. */
  readonly masterKey: string;
}

/** The runtime did not come up; the message carries the end of what it printed. */
export class BenchRuntimeError extends LocalError {
  readonly code = 'bench_runtime_failed';
  constructor(message: string, output: string) {
    super(output.trim() ? `${message}\nThe local runtime printed:\n${output.trim()}` : message);
    this.name = 'BenchRuntimeError';
  }
}

async function waitForHealth(runtime: BenchChild, url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { exitCode } = runtime.process;
    if (exitCode !== null)
      throw new BenchRuntimeError(`the local runtime exited (${exitCode})`, runtime.output());
    try {
      const response = await fetch(`${url}/health`);
      await response.arrayBuffer();
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await sleep(100);
  }
  throw new BenchRuntimeError(
    `the local runtime did not answer at ${url} within ${timeoutMs} ms`,
    runtime.output(),
  );
}

/**
 * Starts DynamoDB Local in memory on a free port, then the local runtime as `npm start` runs it, in its own
 * process, against that DynamoDB (`DYNAMODB_ENDPOINT`) and on another free port: the API, the stream poller and
 * the projector, exactly as a user runs them. The benchmark's own load then never shares an event loop with
 * the system it measures.
 */
export async function startBenchRuntime(readyTimeoutMs = 60_000): Promise<BenchRuntime> {
  const dynamodb = await startDynamoDBLocal();
  const tables = {
    ledger: 'ledger',
    views: 'views',
    keys: 'case-keys',
    notifications: 'notifications',
    log: 'log',
  };
  const jwtSecret = randomBytes(32).toString('base64url');
  // Shared with the benchmark's own stores, so cases either side opens are sealed under one master key.
  const masterKey = randomBytes(32).toString('base64');
  let runtime: BenchChild | undefined;
  const scratch = await mkdtemp(path.join(tmpdir(), 'bench-log-'));
  const removeScratch = () => rm(scratch, { recursive: true, force: true });
  try {
    const port = await findFreePort('127.0.0.1');
    const apiUrl = `http://127.0.0.1:${port}`;
    runtime = startTsxChild('local/start.ts', [], {
      DYNAMODB_ENDPOINT: dynamodb.endpoint,
      PORT: String(port),
      LEDGER_TABLE: tables.ledger,
      VIEWS_TABLE: tables.views,
      LEDGER_JWT_SECRET: jwtSecret,
      KEYS_TABLE: tables.keys,
      NOTIFICATIONS_TABLE: tables.notifications,
      LOG_TABLE: tables.log,
      LEDGER_MASTER_KEY: masterKey,
      // The log's tiles and key for this run only: a fresh DynamoDB must not meet an older run's tiles.
      LOG_DIR: path.join(scratch, 'log'),
      LOG_KEY_FILE: path.join(scratch, 'log-key.pem'),
    });
    await waitForHealth(runtime, apiUrl, readyTimeoutMs);
    const started = runtime;
    let stopping: Promise<void> | undefined;
    return {
      dynamodbEndpoint: dynamodb.endpoint,
      dynamodbPid: dynamodb.pid,
      apiUrl,
      runtimePid: started.pid,
      tables,
      jwtSecret,
      masterKey,
      stop() {
        stopping ??= started
          .stop()
          .finally(() => dynamodb.stop())
          .finally(removeScratch);
        return stopping;
      },
    };
  } catch (error) {
    await runtime?.stop();
    await dynamodb.stop();
    await removeScratch();
    throw error;
  }
}
