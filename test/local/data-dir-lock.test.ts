import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataDirInUseError, isAlive, LOCK_FILE_NAME, lockDataDir } from '../../local/data-dir-lock.ts';
import { startDynamoDBLocal } from '../../local/dynamodb-local.ts';

/** A pid that certainly belongs to no process any more: one of ours that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await once(child, 'exit');
  return child.pid!;
}

describe('the lock on a data directory', () => {
  let parent: string;
  beforeAll(async () => {
    parent = await mkdtemp(join(tmpdir(), 'ledger-lock-'));
  });
  afterAll(async () => {
    await rm(parent, { recursive: true, force: true });
  });

  it('refuses a second holder while the first lives, naming its pid and URL, and passes on once released', async () => {
    const dataDir = await mkdtemp(join(parent, 'held-'));
    // The holder is a live Node process other than this one, as a first `npm start` would be.
    const holder = spawn(process.execPath, ['-e', 'setInterval(() => {}, 60000)']);
    try {
      await writeFile(
        join(dataDir, LOCK_FILE_NAME),
        JSON.stringify({
          pid: holder.pid,
          startedAt: '2026-01-01T00:00:00Z',
          apiUrl: 'http://127.0.0.1:3999',
        }),
      );
      const refused = await lockDataDir(dataDir).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(refused).toBeInstanceOf(DataDirInUseError);
      expect((refused as Error).message).toContain(`pid ${holder.pid}, serving http://127.0.0.1:3999`);
      expect((refused as Error).message).toContain('LEDGER_DATA_DIR=');
      // The refused start left the holder's lock as it was.
      expect(JSON.parse(await readFile(join(dataDir, LOCK_FILE_NAME), 'utf8')).pid).toBe(holder.pid);
    } finally {
      holder.kill('SIGKILL');
      await once(holder, 'exit');
    }
    // Now the holder is gone: its lock is stale, and taken over.
    const lock = await lockDataDir(dataDir);
    expect(JSON.parse(await readFile(join(dataDir, LOCK_FILE_NAME), 'utf8')).pid).toBe(process.pid);
    await lock.release();
    await expect(readFile(join(dataDir, LOCK_FILE_NAME))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('makes a data directory that does not exist yet, as on the very first npm start', async () => {
    const dataDir = join(parent, 'first-start', '.ledger-data');
    const lock = await lockDataDir(dataDir);
    expect(JSON.parse(await readFile(join(dataDir, LOCK_FILE_NAME), 'utf8')).pid).toBe(process.pid);
    await lock.release();
  });

  it('stops the DynamoDB Local that outlived a dead holder on the same files before taking over', async () => {
    const dataDir = await mkdtemp(join(parent, 'orphan-'));
    const orphan = await startDynamoDBLocal({ dataDir });
    try {
      await writeFile(
        join(dataDir, LOCK_FILE_NAME),
        JSON.stringify({ pid: await deadPid(), startedAt: '2026-01-01T00:00:00Z', dynamodbPid: orphan.pid }),
      );
      const lines: string[] = [];
      const lock = await lockDataDir(dataDir, (line) => lines.push(line));
      expect(isAlive(orphan.pid)).toBe(false);
      expect(lines.join('\n')).toContain(`Stopping DynamoDB Local (pid ${orphan.pid})`);
      await lock.release();
    } finally {
      await orphan.stop();
    }
  });

  it('never stops a process of that pid which is not a DynamoDB Local on this directory', async () => {
    const dataDir = await mkdtemp(join(parent, 'stranger-'));
    const stranger = spawn(process.execPath, ['-e', 'setInterval(() => {}, 60000)']);
    try {
      await writeFile(
        join(dataDir, LOCK_FILE_NAME),
        JSON.stringify({
          pid: await deadPid(),
          startedAt: '2026-01-01T00:00:00Z',
          dynamodbPid: stranger.pid,
        }),
      );
      const lock = await lockDataDir(dataDir);
      expect(isAlive(stranger.pid!)).toBe(true);
      await lock.release();
    } finally {
      stranger.kill('SIGKILL');
    }
  });
});
