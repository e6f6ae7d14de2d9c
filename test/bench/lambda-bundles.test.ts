import { describe, expect, it } from 'vitest';
import { LAMBDA_RUNTIME } from '../../infra/constructs/ledger-function.ts';
import { FUNCTION_ENTRIES, REPO_ROOT } from '../../infra/function-entries.ts';
import { LAMBDA_NODE_TARGET } from '../../local/bench/bundle-options.ts';
import { lambdaEntries } from '../../local/bench/lambda-entries.ts';

// The other bundle settings (banner, format, minifying, source maps, the SDK) are one module that the stack and
// the benchmark both read, so only what each spells its own way is checked here.
describe('the bundles the benchmark measures', () => {
  it('include every function the stack deploys', () => {
    const measured = lambdaEntries(REPO_ROOT).map((entry) => entry.entry);
    for (const entry of Object.values(FUNCTION_ENTRIES)) expect(measured).toContain(entry);
  });

  it('are built for the Node.js the stack deploys', () => {
    expect(LAMBDA_RUNTIME.name).toBe(`nodejs${LAMBDA_NODE_TARGET.replace('node', '')}.x`);
  });
});
