import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import type { BenchSizes } from './bench-sizes.ts';
import { lambdaBuildOptions } from './bundle-options.ts';
import { type Comparison, compare } from './comparison.ts';
import { type LambdaEntry, lambdaEntries } from './lambda-entries.ts';
import { summarize } from './measure.ts';

const run = promisify(execFile);

/** Imports a module given as a file URL and prints how long the import took, in milliseconds. */
// Lambda's Node.js runtime defines the `awslambda` global before it loads a function (a streaming handler calls
// `awslambda.streamifyResponse` as its module loads); the stand-in here does as little as the runtime's does.
const LOAD_SCRIPT =
  'globalThis.awslambda ??= { streamifyResponse: (handler) => handler, HttpResponseStream: { from: (stream) => stream } }; ' +
  'const t = performance.now(); await import(process.argv[1]); ' +
  'process.stdout.write(JSON.stringify({ importMs: performance.now() - t }));';

/**
 * The environment a function starts with on Lambda, as far as loading goes: its configuration (the stack's
 * variable names, invented values) and source maps on, as the stack sets `NODE_OPTIONS`. No credentials: a
 * handler's module only builds clients, it calls nothing.
 */
function lambdaEnvironment(name: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    NODE_OPTIONS: '--enable-source-maps',
    AWS_REGION: 'eu-central-1',
    LEDGER_TABLE: 'ledger',
    VIEWS_TABLE: 'views',
    // As the stack sets it: the function URL has no authorizer in front, so its app checks tokens itself.
    AUTH_MODE: name.endsWith('-stream') ? 'jwt-secret' : 'api-gateway',
    POWERTOOLS_SERVICE_NAME: 'detention-ledger',
    LOG_LEVEL: 'WARN',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

interface Bundle {
  readonly name: string;
  readonly of: string;
  readonly file: string;
  readonly bytes: number;
  readonly mapBytes: number;
  readonly importMs: number[];
  readonly processMs: number[];
}

async function bundleOf(repoRoot: string, entry: LambdaEntry, outdir: string): Promise<Bundle> {
  const file = path.join(outdir, entry.name, 'index.mjs');
  await build({ ...lambdaBuildOptions(repoRoot, file), entryPoints: [entry.entry] });
  const [code, map] = await Promise.all([stat(file), stat(`${file}.map`)]);
  return {
    name: entry.name,
    of: path.relative(repoRoot, entry.entry),
    file,
    bytes: code.size,
    mapBytes: map.size,
    importMs: [],
    processMs: [],
  };
}

/** Loads a bundle in a fresh Node process: the import's time, and the whole process's. */
async function loadOnce(bundle: Bundle): Promise<void> {
  const begin = performance.now();
  const { stdout } = await run(
    process.execPath,
    ['--input-type=module', '-e', LOAD_SCRIPT, pathToFileURL(bundle.file).href],
    { env: lambdaEnvironment(bundle.name), cwd: path.dirname(bundle.file) },
  );
  bundle.processMs.push(performance.now() - begin);
  const loaded = JSON.parse(stdout) as { importMs: number };
  bundle.importMs.push(loaded.importMs);
}

/**
 * Family 6: Lambda readiness. Bundles each function as the stack does (esbuild, the stack's options) and loads
 * each bundle in fresh Node processes, beside a bundle of the least a function on DynamoDB needs (the SDK and a
 * `GetItem`). Loads of all bundles take turns, so whatever else the machine does falls on each alike.
 */
export async function benchBundles(
  repoRoot: string,
  sizes: BenchSizes,
  log: (message: string) => void,
): Promise<Comparison[]> {
  const outdir = await mkdtemp(path.join(os.tmpdir(), 'ledger-bench-bundles-'));
  try {
    const raw = await bundleOf(
      repoRoot,
      { name: 'raw', entry: path.join(repoRoot, 'local/bench/raw-lambda-handler.ts') },
      outdir,
    );
    const bundles: Bundle[] = [];
    for (const entry of lambdaEntries(repoRoot)) {
      log(`bundle: ${path.relative(repoRoot, entry.entry)}`);
      bundles.push(await bundleOf(repoRoot, entry, outdir));
    }
    log(`bundle: ${sizes.bundleLoads} loads of each bundle in fresh Node processes`);
    for (let load = 0; load < sizes.bundleLoads; load++) {
      for (const bundle of [raw, ...bundles]) await loadOnce(bundle);
    }
    const rawImport = summarize(raw.importMs);
    return bundles.flatMap((bundle) => {
      const imported = summarize(bundle.importMs);
      const detail = {
        bytes: bundle.bytes,
        mapBytes: bundle.mapBytes,
        rawBytes: raw.bytes,
        import: imported,
        rawImport,
        process: summarize(bundle.processMs),
        rawProcess: summarize(raw.processMs),
      };
      return [
        compare({
          family: 'bundle',
          id: `bundle.${bundle.name}.bytes`,
          name: `${bundle.name}: bundle size (minified, without its source map)`,
          unit: 'bytes',
          better: 'lower',
          ledger: bundle.bytes,
          ledgerOf: bundle.of,
          raw: raw.bytes,
          rawOf: 'SDK client + GetItem',
          detail,
        }),
        compare({
          family: 'bundle',
          id: `bundle.${bundle.name}.load`,
          name: `${bundle.name}: import in a fresh Node process, p50`,
          unit: 'ms',
          better: 'lower',
          ledger: imported.p50,
          ledgerOf: bundle.of,
          raw: rawImport.p50,
          rawOf: 'SDK client + GetItem',
          detail,
        }),
      ];
    });
  } finally {
    await rm(outdir, { recursive: true, force: true });
  }
}
