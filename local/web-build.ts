import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import { LocalError } from './local-error.ts';
import { BUILD_STAMP_FILE, isStale, readBuildStamp, readWebSources, sourceHash } from './web-sources.ts';

/** The project root, where `web/` and `package-lock.json` are. */
export const PROJECT_ROOT = fileURLToPath(new URL('../', import.meta.url));

/** Where the built application is served from. */
export const WEB_DIST = join(PROJECT_ROOT, 'web', 'dist');

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
 * Runs `vite build` in a child process into `outDir`: the runtime's own process keeps no bundler in memory,
 * and vite's changes to its environment (NODE_ENV among them) stay in the child.
 */
async function viteBuild(root: string, outDir: string): Promise<void> {
  let vite: string;
  try {
    vite = join(dirname(createRequire(import.meta.url).resolve('vite/package.json')), 'bin', 'vite.js');
  } catch (error) {
    throw new WebBuildError('vite is not installed (run `npm install`).', { cause: error });
  }
  const child = spawn(
    process.execPath,
    [
      vite,
      'build',
      '--config',
      'web/vite.config.ts',
      '--outDir',
      outDir,
      '--emptyOutDir',
      '--logLevel',
      'warn',
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_ENV: 'production' } },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const [code, signal] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null];
  if (code !== 0) {
    throw new WebBuildError(
      `vite build ${signal ? `was stopped by ${signal}` : `exited with ${code}`}.${output ? `\n${failureOf(output)}` : ''}`,
    );
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
  const hash = sourceHash(await readWebSources(root));
  if (!isStale(await readBuildStamp(dist), hash)) return { built: false };

  const say = options.say ?? ((line: string) => console.log(line));
  say('Building the web application…');
  const started = performance.now();
  const suffix = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const building = join(root, 'web', `.dist-build-${suffix}`);
  await mkdir(building, { recursive: true });
  try {
    await viteBuild(root, building);
    // The stamp is the hash read before the build: a source edited during it makes the next start build again.
    await writeFile(join(building, BUILD_STAMP_FILE), `${hash}\n`);
    await moveIntoPlace(building, dist, suffix);
  } finally {
    await rm(building, { recursive: true, force: true });
  }
  say(`Built the web application in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
  return { built: true };
}
