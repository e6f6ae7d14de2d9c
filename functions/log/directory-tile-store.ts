import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type { TileStore } from './ports.ts';

/** The log's paths: lower-case letters, digits, dots and slashes, no empty, `.` or `..` segment. */
const SAFE_PATH = /^[a-z0-9]+(?:[./][a-z0-9]+)*$/;

function within(root: string, path: string): string {
  if (!SAFE_PATH.test(path) || path.split('/').some((segment) => segment === '.' || segment === '..')) {
    throw new RangeError(`not a path of the log: ${JSON.stringify(path.slice(0, 100))}`);
  }
  const full = resolve(root, path);
  if (!full.startsWith(root + sep)) throw new RangeError('a path of the log stays inside its directory');
  return full;
}

/**
 * The log's tiles, bundles and checkpoint as files under a directory, laid out as the paths say
 * (`<dir>/tile/0/x001/067`), as `LOG_DIR` keeps them locally. Each write goes to a temporary file first and is
 * renamed into place, so a reader (or a crash) never sees half a tile.
 */
export function directoryTileStore(directory: string): TileStore {
  const root = resolve(directory);
  return {
    async read(path) {
      try {
        return new Uint8Array(await readFile(within(root, path)));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    },
    async write(path, bytes) {
      const target = within(root, path);
      await mkdir(dirname(target), { recursive: true });
      const temporary = join(dirname(target), `.${randomBytes(6).toString('hex')}.tmp`);
      try {
        await writeFile(temporary, bytes);
        await rename(temporary, target);
      } catch (error) {
        await rm(temporary, { force: true });
        throw error;
      }
    },
  };
}
