import { readFileSync } from 'node:fs';
import { link, mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod';
import { LocalError } from './local-error.ts';

/** The lock a running local runtime holds on its data directory: one runtime, one DynamoDB Local per folder. */
export const LOCK_FILE_NAME = 'runtime.lock';

const lockSchema = z.object({
  /** The Node.js process of `npm start` that holds the lock. */
  pid: z.int().positive(),
  startedAt: z.string(),
  /** Its DynamoDB Local, once launched: stopped by the next start if it outlived its runtime. */
  dynamodbPid: z.int().positive().optional(),
  /** Its API, once listening: what a refused second start names. */
  apiUrl: z.string().optional(),
});

export type LockHolder = z.output<typeof lockSchema>;

/** Another runtime, still alive, holds the data directory: the message names it and what to do. */
export class DataDirInUseError extends LocalError {
  readonly code = 'data_dir_in_use';
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder,
  ) {
    super(
      `Another local runtime is using ${dataDir}: pid ${holder.pid}` +
        `${holder.apiUrl ? `, serving ${holder.apiUrl}` : ', still starting'}.\n` +
        `Stop it first (Ctrl-C in its terminal, or kill ${holder.pid}), or give this one its own folder: ` +
        'LEDGER_DATA_DIR=/another/folder npm start (and PORT, if the port is taken).',
    );
    this.name = 'DataDirInUseError';
  }
}

export interface DataDirLock {
  /** Adds what the holder knows once it has it, so a refused start can name it. */
  update(details: Pick<LockHolder, 'dynamodbPid' | 'apiUrl'>): Promise<void>;
  /** Gives the directory up; only while the lock is still this process's. Safe to call more than once. */
  release(): Promise<void>;
}

/** Whether a process of that id exists (signal 0 checks without sending anything). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A live Node.js process under that pid: a pid reused by another program after a crash does not hold a lock. */
function isRuntimeProcess(pid: number): boolean {
  if (!isAlive(pid)) return false;
  try {
    return /node|tsx/.test(readFileSync(`/proc/${pid}/cmdline`, 'utf8'));
  } catch {
    // No /proc (macOS): alive is all that can be told.
    return true;
  }
}

/** A DynamoDB Local this project launched on this data directory, judged from its command line (Linux). */
function isOurDynamoDBLocal(pid: number, dataDir: string): boolean {
  try {
    const commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    const isDynamoDBLocal = commandLine.some(
      (part) => part === 'LoopbackDynamoDBLocal' || part.endsWith('DynamoDBLocal.jar'),
    );
    const dbPath = commandLine[commandLine.indexOf('-dbPath') + 1];
    return isDynamoDBLocal && dbPath === dataDir;
  } catch {
    // No /proc (macOS) or the process is gone: the pid from our own lock file is trusted while it lives.
    return process.platform !== 'linux' && isAlive(pid);
  }
}

async function waitUntilGone(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return true;
}

/** Stops a DynamoDB Local whose runtime died (kill -9, a crash) before it could stop it. */
async function stopOrphan(pid: number, dataDir: string, log: (line: string) => void): Promise<void> {
  if (!isAlive(pid) || !isOurDynamoDBLocal(pid, dataDir)) return;
  log(`Stopping DynamoDB Local (pid ${pid}) left running on ${dataDir} by a runtime that is gone.`);
  process.kill(pid, 'SIGTERM');
  if (await waitUntilGone(pid, 10_000)) return;
  process.kill(pid, 'SIGKILL');
  await waitUntilGone(pid, 10_000);
}

async function readHolder(path: string): Promise<LockHolder | undefined> {
  try {
    const parsed = lockSchema.safeParse(JSON.parse(await readFile(path, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    // Missing, unreadable or not JSON: not a lock anyone can be holding (it is always written whole, see below).
    return undefined;
  }
}

/**
 * Takes the data directory for this process, or refuses. The lock is `<dataDir>/runtime.lock`, holding the
 * holder's pid (and, once known, its DynamoDB Local's pid and its API's URL). It is created whole and at once:
 * written to a file of this process's own and hard-linked into place, which fails if a lock exists — so two
 * starts at the same moment cannot both win, and nobody ever reads half a lock.
 *
 * A lock whose process is gone is stale: its DynamoDB Local, if it outlived its runtime, is stopped first (two
 * of them on the same files would corrupt them), then the lock is taken over.
 *
 * A lock file beats a library such as proper-lockfile here because the next start needs to know *who* holds
 * the directory (pid and URL, for the message) and whether that process still lives, which the pid answers at
 * once; a lock judged stale by its age would take seconds to expire after a crash, or need a heartbeat.
 *
 * @throws {DataDirInUseError} when a live runtime holds it; nothing in the directory is touched then.
 */
export async function lockDataDir(
  dataDir: string,
  log: (line: string) => void = (line) => console.error(line),
): Promise<DataDirLock> {
  // The first start on a folder makes it: the lock is the first thing in it.
  await mkdir(dataDir, { recursive: true });
  const path = join(dataDir, LOCK_FILE_NAME);
  const mine: LockHolder = { pid: process.pid, startedAt: new Date().toISOString() };
  const write = async (holder: LockHolder) => {
    const temporary = `${path}.${process.pid}.tmp`;
    await writeFile(temporary, `${JSON.stringify(holder, null, 2)}\n`, { mode: 0o600 });
    return temporary;
  };

  for (let attempt = 0; attempt < 5; attempt++) {
    const temporary = await write(mine);
    try {
      await link(temporary, path);
      await unlink(temporary);
      return heldLock(path, mine, write);
    } catch (error) {
      await unlink(temporary).catch(() => undefined);
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = await readHolder(path);
    if (holder !== undefined && holder.pid !== process.pid && isRuntimeProcess(holder.pid)) {
      throw new DataDirInUseError(dataDir, holder);
    }
    if (holder?.dynamodbPid !== undefined) await stopOrphan(holder.dynamodbPid, dataDir, log);
    // Moved aside, then checked: if a start that raced us to the same stale lock has already put its own in
    // place, that is what was moved, and it goes back.
    const aside = `${path}.stale.${process.pid}`;
    if (
      await rename(path, aside).then(
        () => true,
        () => false,
      )
    ) {
      const moved = await readHolder(aside);
      if (moved !== undefined && moved.pid !== holder?.pid) await link(aside, path).catch(() => undefined);
      await unlink(aside).catch(() => undefined);
    }
  }
  throw new Error(`could not take the lock ${path}: it keeps changing hands`);
}

function heldLock(
  path: string,
  holder: LockHolder,
  write: (holder: LockHolder) => Promise<string>,
): DataDirLock {
  let current = holder;
  let released = false;
  const stillMine = async () => (await readHolder(path))?.pid === holder.pid;
  return {
    async update(details) {
      if (released || !(await stillMine())) return;
      current = { ...current, ...details };
      await rename(await write(current), path);
    },
    async release() {
      if (released) return;
      released = true;
      if (!(await stillMine())) return;
      await unlink(path).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
      });
    },
  };
}
