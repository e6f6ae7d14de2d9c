import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import * as z from 'zod';
import { LocalError } from './local-error.ts';
import {
  isFixedSource,
  isStale,
  projectImports,
  readBuildStamp,
  readSourceFiles,
  readWebSources,
  sourceHash,
  writeBuildStamp,
} from './web-sources.ts';

/** The project root, where `web/` and `package-lock.json` are. */
export const PROJECT_ROOT = fileURLToPath(new URL('../', import.meta.url));

/** Where the built application is served from. */
export const WEB_DIST = join(PROJECT_ROOT, 'web', 'dist');

/** Runs vite's build in a child process and says which modules the bundle was made of. */
const VITE_BUILD_SCRIPT = fileURLToPath(new URL('./vite-build.mjs', import.meta.url));

/** The command that shows a failed build's whole output. */
export const WEB_BUILD_COMMAND = 'npx vite build --config web/vite.config.ts';

/** The web application could not be built: the message names the command that shows why. */
export class WebBuildError extends LocalError {
  readonly code = 'web_build_failed';
  constructor(reason: string, options?: ErrorOptions) {
    super(
      `The web application did not build: ${reason}\n` +
        `  Run \`${WEB_BUILD_COMMAND}\` to see the details, or set LEDGER_WEB=off to start the API alone.`,
      options,
    );
    this.name = 'WebBuildError';
  }
}

/** What a failed build said, without colours and without the bundler's own stack: the error in the sources. */
function failureOf(output: string, maxLines = 15): string {
  const lines = stripVTControlCharacters(output).split('\n');
  const start = lines.findIndex((line) => line.startsWith('error during build'));
  const from = start === -1 ? lines : lines.slice(start + 1);
  const end = from.findIndex((line) => /^\s+at /.test(line));
  return (end === -1 ? from : from.slice(0, end))
    .filter((line) => line.trim() !== '')
    .slice(0, maxLines)
    .map((line) => `  ${line}`)
    .join('\n');
}

/**
 * Runs vite's build in a child process into `outDir`, and returns the modules the bundle was made of: the
 * runtime's own process keeps no bundler in memory, and vite's changes to its environment (NODE_ENV among
 * them) stay in the child.
 */
async function viteBuild(root: string, outDir: string): Promise<string[]> {
  try {
    createRequire(import.meta.url).resolve('vite');
  } catch (error) {
    throw new WebBuildError('vite is not installed (run `npm install`).', { cause: error });
  }
  const modulesFile = `${outDir}.modules.json`;
  const child = spawn(process.execPath, [VITE_BUILD_SCRIPT, outDir, modulesFile], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_ENV: 'production' },
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  try {
    const [code, signal] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null];
    if (code !== 0) {
      throw new WebBuildError(
        `vite build ${signal ? `was stopped by ${signal}` : `exited with ${code}`}.${output ? `\n${failureOf(output)}` : ''}`,
      );
    }
    return z.array(z.string()).parse(JSON.parse(await readFile(modulesFile, 'utf8')));
  } finally {
    await rm(modulesFile, { force: true });
  }
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException).code;
}

/**
 * Puts a finished build in place of `dist`. Another runtime may be doing the same at the same moment (two
 * test files starting at once), so the build is made beside `dist` and moved in by renames: whatever is at
 * `dist` is always one whole build, and when another one got there first, this one is thrown away.
 */
async function moveIntoPlace(built: string, dist: string, suffix: string): Promise<void> {
  const previous = join(dirname(dist), `.dist-old-${suffix}`);
  try {
    await rename(dist, previous);
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') throw error;
  }
  try {
    await rename(built, dist);
  } catch (error) {
    if (errorCode(error) !== 'ENOTEMPTY' && errorCode(error) !== 'EEXIST') throw error;
    await rm(built, { recursive: true, force: true });
  }
  await rm(previous, { recursive: true, force: true });
}

/** Whether a process of this pid is running (one we may not signal still is). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errorCode(error) === 'EPERM';
  }
}

/** What a build stopped half-way (Ctrl-C during the build) left beside `dist`: named by its builder's pid. */
async function removeAbandoned(webDir: string): Promise<void> {
  for (const name of await readdir(webDir)) {
    const pid = /^\.dist-(?:build|old)-(\d+)-[0-9a-f]+(?:\.modules\.json)?$/.exec(name)?.[1];
    if (pid !== undefined && !isRunning(Number(pid)))
      await rm(join(webDir, name), { recursive: true, force: true });
  }
}

export interface WebBuildOptions {
  /** Where the human-readable lines go ("Building the web application…"). */
  readonly say?: (line: string) => void;
  /** The project root (`web/` and `package-lock.json` in it); the real one unless a test builds elsewhere. */
  readonly root?: string;
}

/**
 * Builds the web application into `web/dist` when it is missing or stale: when the hash of its sources
 * differs from the stamp the last successful build left there. Returns whether it built.
 *
 * @throws {WebBuildError} naming the command that shows the build's output.
 */
export async function ensureWebBuild(options: WebBuildOptions = {}): Promise<{ built: boolean }> {
  const root = options.root ?? PROJECT_ROOT;
  const dist = join(root, 'web', 'dist');
  const stamp = await readBuildStamp(dist);
  const sources = await readWebSources(root, stamp?.imports ?? []);
  if (!isStale(stamp, sourceHash(sources))) return { built: false };

  const say = options.say ?? ((line: string) => console.log(line));
  say('Building the web application…');
  const started = performance.now();
  await removeAbandoned(join(root, 'web'));
  const suffix = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const building = join(root, 'web', `.dist-build-${suffix}`);
  await mkdir(building, { recursive: true });
  try {
    const imports = projectImports(root, await viteBuild(root, building)).filter(
      (path) => !isFixedSource(path),
    );
    // The sources as read before the build, so that one edited during it makes the next start build again;
    // only the imports the last build did not have are read now.
    const known = new Set(sources.map((file) => file.path));
    const wanted = new Set(imports);
    const made = [
      ...sources.filter((file) => isFixedSource(file.path) || wanted.has(file.path)),
      ...(await readSourceFiles(
        root,
        imports.filter((path) => !known.has(path)),
      )),
    ];
    await writeBuildStamp(building, { hash: sourceHash(made), imports });
    await moveIntoPlace(building, dist, suffix);
  } finally {
    await rm(building, { recursive: true, force: true });
  }
  say(`Built the web application in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
  return { built: true };
}
