/**
 * How every Lambda function of the ledger is bundled: the stack's `NodejsFunction`s build with these settings,
 * and the benchmark builds with them to measure the bundles that are deployed. Plain data, so that `infra/`
 * and `local/` can both read it (neither may import the other).
 */

/** The Node.js major version the functions run on; the stack's runtime is checked against it. */
export const LAMBDA_NODE_MAJOR = 24;

/**
 * The bundle is ESM (the code is); some dependencies are CommonJS and call `require` for Node built-ins,
 * which an ES module does not have, so the banner makes one.
 */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __ledgerCreateRequire } from 'node:module'; const require = __ledgerCreateRequire(import.meta.url);";

/** The esbuild settings of every function's bundle. */
export const LAMBDA_BUNDLE = {
  format: 'esm',
  mainFields: ['module', 'main'],
  banner: ESM_REQUIRE_BANNER,
  minify: true,
  /** A source map beside the bundle (`NODE_OPTIONS=--enable-source-maps`), without the sources' content. */
  sourceMap: true,
  sourcesContent: false,
  /**
   * The SDK goes into the bundle: the code runs with the versions it was tested with, not whatever the
   * runtime happens to ship.
   */
  bundleAwsSDK: true,
} as const;
