import type { BuildOptions } from 'esbuild';

/**
 * The Lambda runtime's Node.js major version: `infra/constructs/ledger-function.ts` deploys `nodejs24.x`, and
 * `NodejsFunction` targets the runtime's version. `test/bench` checks the two agree.
 */
export const LAMBDA_NODE_TARGET = 'node24';

/** The banner that gives the ESM bundle a `require`, as `ledger-function.ts` sets it (checked by `test/bench`). */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __ledgerCreateRequire } from 'node:module'; const require = __ledgerCreateRequire(import.meta.url);";

/**
 * The esbuild options `NodejsFunction` passes for the stack's functions (`ledger-function.ts`: ESM, main fields
 * `module,main`, the banner, minified, a source map without the sources' content, the AWS SDK bundled, the
 * repository's tsconfig), so the bundles measured here are the bundles deployed. `local/` may not import
 * `infra/` (docs/architecture.md), hence the copy.
 */
export function lambdaBuildOptions(repoRoot: string, outfile: string): BuildOptions {
  return {
    bundle: true,
    platform: 'node',
    target: LAMBDA_NODE_TARGET,
    format: 'esm',
    outfile,
    mainFields: ['module', 'main'],
    banner: { js: ESM_REQUIRE_BANNER },
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    tsconfig: `${repoRoot}/tsconfig.json`,
    absWorkingDir: repoRoot,
    metafile: true,
    logLevel: 'silent',
  };
}
