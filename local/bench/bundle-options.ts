import type { BuildOptions } from 'esbuild';
import { LAMBDA_BUNDLE, LAMBDA_NODE_MAJOR } from '../../functions/lambda-bundle.ts';

/** esbuild's target for the Lambda runtime, as `NodejsFunction` derives it from the stack's runtime. */
export const LAMBDA_NODE_TARGET = `node${LAMBDA_NODE_MAJOR}`;

/**
 * The esbuild options `NodejsFunction` passes for the stack's functions, from the settings the stack itself
 * uses (`functions/lambda-bundle.ts`) and the repository's tsconfig: the bundles measured are the bundles
 * deployed.
 */
export function lambdaBuildOptions(repoRoot: string, outfile: string): BuildOptions {
  return {
    bundle: true,
    platform: 'node',
    target: LAMBDA_NODE_TARGET,
    format: LAMBDA_BUNDLE.format,
    outfile,
    mainFields: [...LAMBDA_BUNDLE.mainFields],
    banner: { js: LAMBDA_BUNDLE.banner },
    minify: LAMBDA_BUNDLE.minify,
    sourcemap: LAMBDA_BUNDLE.sourceMap,
    sourcesContent: LAMBDA_BUNDLE.sourcesContent,
    // Without `bundleAwsSDK`, NodejsFunction leaves the SDK to the runtime.
    external: LAMBDA_BUNDLE.bundleAwsSDK ? [] : ['@aws-sdk/*'],
    tsconfig: `${repoRoot}/tsconfig.json`,
    absWorkingDir: repoRoot,
    logLevel: 'silent',
  };
}
