import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FUNCTION_ENTRIES, REPO_ROOT } from '../../infra/function-entries.ts';
import { ESM_REQUIRE_BANNER, LAMBDA_NODE_TARGET } from '../../local/bench/bundle-options.ts';
import { lambdaEntries } from '../../local/bench/lambda-entries.ts';

describe('the bundles the benchmark measures', () => {
  it('include every function the stack deploys', () => {
    const measured = lambdaEntries(REPO_ROOT).map((entry) => entry.entry);
    for (const entry of Object.values(FUNCTION_ENTRIES)) expect(measured).toContain(entry);
  });

  it('are built as the stack builds them: the same banner, for the same Node.js', async () => {
    const { LAMBDA_RUNTIME } = await import('../../infra/constructs/ledger-function.ts');
    expect(LAMBDA_RUNTIME.name).toBe(`nodejs${LAMBDA_NODE_TARGET.replace('node', '')}.x`);
    const source = readFileSync(path.join(REPO_ROOT, 'infra/constructs/ledger-function.ts'), 'utf8');
    expect(source).toContain(ESM_REQUIRE_BANNER);
  });
});
