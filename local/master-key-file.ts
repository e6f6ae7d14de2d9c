import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { masterKeyFrom } from '../functions/personal-data/local-key-wrapper.ts';

export const MASTER_KEY_FILE_NAME = 'master.key';

/**
 * The local runtime's master key, which wraps every case key (issue 6): kept beside the data in
 * `<dataDir>/master.key` (mode 0600), made on the first start. Data kept on disk must outlive the process, and
 * so must the key that reads its subjects; delete the file and every subject reads `[erased]`.
 */
export async function masterKeyOfDataDir(dataDir: string): Promise<{ key: Buffer; created: boolean }> {
  const path = join(dataDir, MASTER_KEY_FILE_NAME);
  try {
    return { key: masterKeyFrom((await readFile(path, 'utf8')).trim()), created: false };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new Error(`${path}: ${(error as Error).message}`);
    }
  }
  await mkdir(dataDir, { recursive: true });
  const key = randomBytes(32);
  // Written whole to a file of its own, then linked into place: `link` never overwrites, so a start that
  // races this one either links first or reads a complete key, never an empty or half-written file.
  const draft = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(draft, `${key.toString('base64')}\n`, { encoding: 'utf8', mode: 0o600, flag: 'wx' });
  try {
    await link(draft, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return masterKeyOfDataDir(dataDir);
  } finally {
    await unlink(draft);
  }
  return { key, created: true };
}
