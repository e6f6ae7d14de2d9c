import { createHash } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

/**
 * What a build of the web application is made from, relative to the project root: the files whose change
 * makes a build stale. `web/public` is copied into the build as it is, so it counts too; `package-lock.json`
 * stands for every dependency the bundle pulls in.
 */
export const WEB_SOURCE_FILES = ['web/index.html', 'web/vite.config.ts', 'package-lock.json'] as const;
export const WEB_SOURCE_DIRS = ['web/src', 'web/public'] as const;

/** The file a successful build leaves in its output: the hash of the sources it was made from. */
export const BUILD_STAMP_FILE = '.source-hash';

export interface SourceFile {
  /** Relative to the project root, with `/` separators whatever the platform. */
  readonly path: string;
  readonly content: Uint8Array;
}

/**
 * One hash over the files, independent of the order they were listed in. Each path and length goes in before
 * its content, so moving bytes from one file to the next, or renaming a file, changes the hash.
 */
export function sourceHash(files: readonly SourceFile[]): string {
  const hash = createHash('sha256');
  for (const file of [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    hash.update(`${file.path}\0${file.content.byteLength}\0`);
    hash.update(file.content);
  }
  return hash.digest('hex');
}

/** Whether a build stamped `stamp` (`undefined`: no build, or no stamp) was made from sources hashing `hash`. */
export function isStale(stamp: string | undefined, hash: string): boolean {
  return stamp?.trim() !== hash;
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}

async function filesUnder(root: string, dir: string): Promise<string[]> {
  let entries: Dirent[];
  try {
    entries = await readdir(join(root, dir), { withFileTypes: true, recursive: true });
  } catch (error) {
    if (isMissing(error)) return [];
    throw error;
  }
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)).split(sep).join('/'));
}

/** Reads the web application's sources under `root` (the project root); a source that is absent is left out. */
export async function readWebSources(root: string): Promise<SourceFile[]> {
  const paths = [
    ...WEB_SOURCE_FILES,
    ...(await Promise.all(WEB_SOURCE_DIRS.map((dir) => filesUnder(root, dir)))).flat(),
  ];
  const files = await Promise.all(
    paths.map(async (path) => {
      try {
        return { path, content: await readFile(join(root, path)) };
      } catch (error) {
        if (isMissing(error)) return undefined;
        throw error;
      }
    }),
  );
  return files.filter((file) => file !== undefined);
}

/** The stamp of the build in `outDir`, or `undefined` when there is no build there (or it was never stamped). */
export async function readBuildStamp(outDir: string): Promise<string | undefined> {
  try {
    return await readFile(join(outDir, BUILD_STAMP_FILE), 'utf8');
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}
