import { createHash } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import * as z from 'zod';

/**
 * What a build of the web application is made from, relative to the project root: the files whose change
 * makes a build stale. `web/public` is copied into the build as it is, so it counts too; `package-lock.json`
 * stands for every dependency the bundle pulls in. The project files the last build imported from elsewhere
 * (the roles under functions/, the domain's date parser) are in its stamp, and count as well.
 */
export const WEB_SOURCE_FILES = ['web/index.html', 'web/vite.config.ts', 'package-lock.json'] as const;
export const WEB_SOURCE_DIRS = ['web/src', 'web/public'] as const;

/** The file a successful build leaves in its output: what it was made from (a `BuildStamp`, as JSON). */
export const BUILD_STAMP_FILE = '.build-stamp.json';

export interface BuildStamp {
  /** `sourceHash` of the sources and of `imports`, as they were when the build was made. */
  readonly hash: string;
  /** Project files beyond the fixed sources that the bundle was made of, relative to the project root. */
  readonly imports: readonly string[];
}

const stampSchema = z.strictObject({
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  imports: z.array(z.string()),
});

/** A stamp as written, or `undefined` for anything else (an older format, a torn write): such a build is stale. */
export function parseBuildStamp(text: string | undefined): BuildStamp | undefined {
  if (text === undefined) return undefined;
  try {
    const parsed = stampSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The project files among the modules a bundle was made of (absolute ids, as the bundler names them), relative
 * to `root` and sorted: not the dependencies under node_modules (the lock file stands for them), not the
 * bundler's virtual modules, nothing outside the project.
 */
export function projectImports(root: string, moduleIds: readonly string[]): string[] {
  const paths = moduleIds
    .filter((id) => !id.startsWith('\0') && isAbsolute(id))
    .map((id) => relative(root, id.split('?')[0]!).split(sep).join('/'))
    .filter((path) => path !== '' && !path.startsWith('../') && !path.split('/').includes('node_modules'));
  return [...new Set(paths)].sort();
}

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
export function isStale(stamp: BuildStamp | undefined, hash: string): boolean {
  return stamp?.hash !== hash;
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

/** Whether `path` is one of the fixed sources: the files and folders every build is made from. */
export function isFixedSource(path: string): boolean {
  return (
    (WEB_SOURCE_FILES as readonly string[]).includes(path) ||
    WEB_SOURCE_DIRS.some((dir) => path.startsWith(`${dir}/`))
  );
}

/** Reads the files at `paths` under `root`; a file that is absent is left out, so that its loss changes the hash. */
export async function readSourceFiles(root: string, paths: Iterable<string>): Promise<SourceFile[]> {
  const files = await Promise.all(
    [...new Set(paths)].map(async (path) => {
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

/** Reads the web application's fixed sources under `root` (the project root), and the files of `imports`. */
export async function readWebSources(root: string, imports: readonly string[] = []): Promise<SourceFile[]> {
  const listed = await Promise.all(WEB_SOURCE_DIRS.map((dir) => filesUnder(root, dir)));
  return readSourceFiles(root, [...WEB_SOURCE_FILES, ...listed.flat(), ...imports]);
}

/** The stamp of the build in `outDir`, or `undefined` when there is no build there (or no stamp we can read). */
export async function readBuildStamp(outDir: string): Promise<BuildStamp | undefined> {
  try {
    return parseBuildStamp(await readFile(join(outDir, BUILD_STAMP_FILE), 'utf8'));
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}

/** Writes the stamp of a finished build into its folder. */
export async function writeBuildStamp(outDir: string, stamp: BuildStamp): Promise<void> {
  await writeFile(join(outDir, BUILD_STAMP_FILE), `${JSON.stringify(stamp, null, 2)}\n`);
}
