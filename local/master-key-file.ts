import { randomBytes } from 'node:crypto';
import {
  chmod,
  link,
  mkdir,
  open,
  readdir,
  readFile,
  rename,
  stat,
  unlink,
  writeFile,
} from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { masterKeyFrom } from '../functions/personal-data/local-key-wrapper.ts';
import {
  type MasterKey,
  masterKeyOf,
  type RotatingKeyRing,
} from '../functions/personal-data/master-key-ring.ts';
import { LocalError } from './local-error.ts';

/** Where master keys were kept before they moved out of the data directory; read once, then destroyed. */
export const LEGACY_MASTER_KEY_FILE_NAME = 'master.key';

const KEY_FILE = /^master-(\d{6})\.key$/;
const keyFileName = (generation: number) => `master-${String(generation).padStart(6, '0')}.key`;

/** The file in a data directory that names its master-key folder: an id, not a secret. */
export const KEY_FOLDER_ID_FILE_NAME = 'master-keys.id';

/**
 * The folder of one data directory's master keys: `<keysHome>/<id>`, under the user's configuration folder and
 * not in the data directory, so a copy of the data directory (a backup, a stolen disk, a synced folder) holds
 * no key. The id is made on first start and kept in the data directory (`master-keys.id`), so a data
 * directory that is moved or renamed still finds its keys, and each data directory has its own.
 *
 * @example
 * ```ts
 * await masterKeyDirOf('/home/ada/.config/detention-ledger/master-keys', '/srv/ledger/.ledger-data');
 * // '/home/ada/.config/detention-ledger/master-keys/3f2a…'
 * ```
 */
export async function masterKeyDirOf(keysHome: string, dataDir: string): Promise<string> {
  const path = join(dataDir, KEY_FOLDER_ID_FILE_NAME);
  for (;;) {
    try {
      const id = (await readFile(path, 'utf8')).trim();
      if (!/^[0-9a-f]{32}$/.test(id)) throw new Error(`${path}: not the id of a master-key folder`);
      return join(keysHome, id);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    await mkdir(dataDir, { recursive: true });
    // Linked into place, never overwritten: of two first starts racing, both end with the winner's id.
    await writeKeyFile(dataDir, KEY_FOLDER_ID_FILE_NAME, `${randomBytes(16).toString('hex')}\n`);
  }
}

/** Two different master keys claim one data directory: making or picking one could orphan every subject. */
export class MasterKeyConflictError extends LocalError {
  readonly code = 'master_key_conflict';
  constructor(legacyFile: string, keyDir: string) {
    super(
      `${legacyFile} holds a master key that is not among those in ${keyDir}. Move the one that opens this ` +
        'data directory’s subjects aside, keep it safe, and start again.',
    );
    this.name = 'MasterKeyConflictError';
  }
}

async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Writes a key file whole, flushed to disk, then links it into place: `link` never overwrites, so a racing
 * writer of the same generation either links first or finds a complete file, never an empty or torn one.
 * Resolves `false` when the name was taken.
 */
export async function writeKeyFile(dir: string, name: string, content: Buffer | string): Promise<boolean> {
  const path = join(dir, name);
  const draft = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const handle = await open(draft, 'wx', 0o600);
  try {
    await handle.writeFile(typeof content === 'string' ? content : `${content.toString('base64')}\n`, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await link(draft, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return false;
  } finally {
    await unlink(draft);
    await syncDir(dir);
  }
}

/**
 * Destroys a key file: renamed out of the ring first (one atomic step, so a crash never leaves a damaged key
 * under a key file's name), then overwritten, so the key does not linger in the file's blocks, then unlinked.
 */
async function destroyKeyFile(path: string): Promise<void> {
  const retired = `${path}.retired`;
  await rename(path, retired);
  await syncDir(dirname(path));
  await shred(retired);
}

async function shred(path: string): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    const { size } = await handle.stat();
    await handle.write(randomBytes(size), 0, size, 0);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await unlink(path);
}

async function readKey(path: string): Promise<Buffer> {
  try {
    return masterKeyFrom((await readFile(path, 'utf8')).trim());
  } catch (error) {
    throw new Error(`${path}: ${(error as Error).message}`, { cause: error });
  }
}

async function readLegacy(dataDir: string | undefined): Promise<{ path: string; key: Buffer } | undefined> {
  if (dataDir === undefined) return undefined;
  const path = join(dataDir, LEGACY_MASTER_KEY_FILE_NAME);
  try {
    return { path, key: await readKey(path) };
  } catch (error) {
    if (((error as Error).cause as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') return undefined;
    throw error;
  }
}

/** A draft a crash left behind was never linked, so never used; one younger than a minute may be a racing start's. */
async function sweepDraft(path: string): Promise<void> {
  try {
    if (Date.now() - (await stat(path)).mtimeMs > 60_000) await unlink(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

interface HeldKey extends MasterKey {
  readonly generation: number;
}

async function readRing(dir: string): Promise<HeldKey[]> {
  const held: HeldKey[] = [];
  for (const name of (await readdir(dir)).sort()) {
    if (name.endsWith('.tmp')) await sweepDraft(join(dir, name));
    if (name.endsWith('.retired')) await shred(join(dir, name)); // a retirement a crash interrupted
    const match = KEY_FILE.exec(name);
    if (match) held.push({ ...masterKeyOf(await readKey(join(dir, name))), generation: Number(match[1]) });
  }
  return held;
}

export interface MasterKeyRingFile extends RotatingKeyRing {
  /** The folder the keys are in. */
  readonly dir: string;
  /** Whether this start made the first key (a new data directory, or a lost key folder). */
  readonly created: boolean;
}

/**
 * The local runtime's master keys, one file each (mode 0600) in `keyDir` (mode 0700), newest the highest
 * generation. Made on first start; a `master.key` left in the data directory by an older version is taken
 * over and a rotation away from it begun, so the start that follows finishes it and destroys that key.
 *
 * @throws {MasterKeyConflictError} when the data directory's old key is not one of the key folder's.
 */
export async function openMasterKeyRing(options: {
  readonly keyDir: string;
  readonly dataDir?: string | undefined;
}): Promise<MasterKeyRingFile> {
  const dir = options.keyDir;
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  if (options.dataDir !== undefined) {
    await writeFile(
      join(dir, 'data-dir.txt'),
      `These master keys open the subjects of ${options.dataDir}\n`,
      {
        mode: 0o600,
      },
    );
  }
  let held = await readRing(dir);
  let created = false;
  const legacy = await readLegacy(options.dataDir);
  if (legacy) {
    if (held.length === 0) {
      await writeKeyFile(dir, keyFileName(1), legacy.key);
      await writeKeyFile(dir, keyFileName(2), randomBytes(32));
    } else if (!held.some((key) => key.key.equals(legacy.key))) {
      throw new MasterKeyConflictError(legacy.path, dir);
    }
    // Taken over (now, or by a start that stopped before this line): the data directory must not keep it.
    await destroyKeyFile(legacy.path);
    held = await readRing(dir);
  }
  if (held.length === 0) {
    created = await writeKeyFile(dir, keyFileName(1), randomBytes(32));
    held = await readRing(dir);
  }
  return {
    dir,
    created,
    keys: () => held,
    async add() {
      const generation = held.at(-1)!.generation + 1;
      const key = randomBytes(32);
      if (!(await writeKeyFile(dir, keyFileName(generation), key))) {
        throw new Error(
          `${join(dir, keyFileName(generation))} appeared meanwhile: is another runtime using ${dir}?`,
        );
      }
      held = [...held, { ...masterKeyOf(key), generation }];
    },
    async retireOlder() {
      const newest = held.at(-1)!;
      for (const key of held.slice(0, -1)) await destroyKeyFile(join(dir, keyFileName(key.generation)));
      await syncDir(dir);
      held = [newest];
    },
  };
}
