import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  LEGACY_MASTER_KEY_FILE_NAME,
  MasterKeyConflictError,
  masterKeyDirOf,
  openMasterKeyRing,
} from '../../local/master-key-file.ts';

let workDir: string;
beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'master-key-'));
});
afterAll(() => rm(workDir, { recursive: true, force: true }));

const keyFiles = async (dir: string) => (await readdir(dir)).filter((name) => name.endsWith('.key')).sort();

describe('the master-key folder of a data directory', () => {
  it('is named by an id the data directory keeps, so a moved data directory finds its keys', async () => {
    const home = join(workDir, 'home');
    const dataDir = join(workDir, 'moved', 'a', '.ledger-data');
    const keyDir = await masterKeyDirOf(home, dataDir);
    expect(keyDir.startsWith(`${home}/`)).toBe(true);
    expect(await masterKeyDirOf(home, dataDir)).toBe(keyDir);
    await rename(join(workDir, 'moved', 'a'), join(workDir, 'moved', 'b'));
    expect(await masterKeyDirOf(home, join(workDir, 'moved', 'b', '.ledger-data'))).toBe(keyDir);
    expect(await masterKeyDirOf(home, join(workDir, 'other', '.ledger-data'))).not.toBe(keyDir);
    const racing = join(workDir, 'racing', '.ledger-data');
    expect(new Set(await Promise.all([1, 2, 3].map(() => masterKeyDirOf(home, racing)))).size).toBe(1);
  });
});

describe('the master keys of a data directory', () => {
  it('are made once, in a folder and files readable by their owner only, and the same on every later start', async () => {
    const keyDir = join(workDir, 'fresh', 'keys');
    const first = await openMasterKeyRing({ keyDir, dataDir: join(workDir, 'fresh', '.ledger-data') });
    expect(first.created).toBe(true);
    expect(first.keys()).toHaveLength(1);
    expect((await stat(keyDir)).mode & 0o777).toBe(0o700);
    const [file] = await keyFiles(keyDir);
    expect((await stat(join(keyDir, file!))).mode & 0o777).toBe(0o600);
    const again = await openMasterKeyRing({ keyDir });
    expect(again.created).toBe(false);
    expect(again.keys()).toEqual(first.keys());
  });

  it('give one key to starts that race for it', async () => {
    const keyDir = join(workDir, 'race');
    const rings = await Promise.all([1, 2, 3].map(() => openMasterKeyRing({ keyDir })));
    expect(new Set(rings.map((ring) => ring.keys()[0]!.id)).size).toBe(1);
    expect(await keyFiles(keyDir)).toHaveLength(1);
  });

  it('rotate: a new key is on disk before it is used, and retiring destroys the older files', async () => {
    const keyDir = join(workDir, 'rotate');
    const ring = await openMasterKeyRing({ keyDir });
    const old = ring.keys()[0]!;
    await ring.add();
    expect(ring.keys().map((key) => key.id)).toEqual([old.id, ring.keys()[1]!.id]);
    // A start now (a crash before the rotation finished) holds both, newest last.
    expect((await openMasterKeyRing({ keyDir })).keys()).toEqual(ring.keys());
    await ring.retireOlder();
    expect(ring.keys()).toHaveLength(1);
    expect(await keyFiles(keyDir)).toEqual(['master-000002.key']);
    expect((await openMasterKeyRing({ keyDir })).keys()).toEqual(ring.keys());
  });

  it('take over a master.key left in the data directory, destroy it there, and begin a rotation away from it', async () => {
    const dataDir = join(workDir, 'legacy', '.ledger-data');
    await mkdir(dataDir, { recursive: true });
    const legacy = randomBytes(32);
    await writeFile(join(dataDir, LEGACY_MASTER_KEY_FILE_NAME), `${legacy.toString('base64')}\n`);
    const ring = await openMasterKeyRing({ keyDir: join(workDir, 'legacy', 'keys'), dataDir });
    expect(ring.keys()).toHaveLength(2);
    expect(ring.keys()[0]!.key.equals(legacy)).toBe(true);
    expect(await readdir(dataDir)).not.toContain(LEGACY_MASTER_KEY_FILE_NAME);
  });

  it('refuse a data directory whose master.key is not one of the folder’s, rather than pick one', async () => {
    const dataDir = join(workDir, 'conflict', '.ledger-data');
    const keyDir = join(workDir, 'conflict', 'keys');
    await mkdir(dataDir, { recursive: true });
    await openMasterKeyRing({ keyDir, dataDir });
    await writeFile(join(dataDir, LEGACY_MASTER_KEY_FILE_NAME), `${randomBytes(32).toString('base64')}\n`);
    await expect(openMasterKeyRing({ keyDir, dataDir })).rejects.toBeInstanceOf(MasterKeyConflictError);
    expect(await readdir(dataDir)).toContain(LEGACY_MASTER_KEY_FILE_NAME);
  });

  it('refuse a damaged key file, naming it, rather than making a new key that would orphan every subject', async () => {
    const keyDir = join(workDir, 'damaged');
    await openMasterKeyRing({ keyDir });
    const [file] = await keyFiles(keyDir);
    await writeFile(join(keyDir, file!), 'c2hvcnQ=\n');
    await expect(openMasterKeyRing({ keyDir })).rejects.toThrow(join(keyDir, file!));
    expect(await readFile(join(keyDir, file!), 'utf8')).toBe('c2hvcnQ=\n');
  });
});
