import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MASTER_KEY_FILE_NAME, masterKeyOfDataDir } from '../../local/master-key-file.ts';

let workDir: string;
beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'master-key-'));
});
afterAll(() => rm(workDir, { recursive: true, force: true }));

describe('the master key of a data directory', () => {
  it('is made once, readable by its owner only, and the same on every later start', async () => {
    const dataDir = join(workDir, 'fresh', '.ledger-data');
    const first = await masterKeyOfDataDir(dataDir);
    expect(first.created).toBe(true);
    expect(first.key).toHaveLength(32);
    expect((await stat(join(dataDir, MASTER_KEY_FILE_NAME))).mode & 0o777).toBe(0o600);
    const again = await masterKeyOfDataDir(dataDir);
    expect(again).toEqual({ key: first.key, created: false });
  });

  it('gives one key to starts that race for it', async () => {
    const dataDir = join(workDir, 'race');
    const keys = await Promise.all([1, 2, 3].map(() => masterKeyOfDataDir(dataDir)));
    expect(new Set(keys.map(({ key }) => key.toString('hex'))).size).toBe(1);
  });

  it('refuses a damaged key file, naming it, rather than making a new key that would orphan every subject', async () => {
    const dataDir = join(workDir, 'damaged');
    await masterKeyOfDataDir(dataDir);
    await writeFile(join(dataDir, MASTER_KEY_FILE_NAME), 'c2hvcnQ=\n');
    await expect(masterKeyOfDataDir(dataDir)).rejects.toThrow(join(dataDir, MASTER_KEY_FILE_NAME));
  });
});
