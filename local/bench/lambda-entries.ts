import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

/** A Lambda entry point: `functions/<name>/handler.ts`. */
export interface LambdaEntry {
  readonly name: string;
  readonly entry: string;
}

/**
 * Every Lambda entry point of the project: by convention each function is a folder of `functions/` with a
 * `handler.ts`. Found here rather than imported from `infra/function-entries.ts`, which `local/` may not import;
 * `test/bench` checks that every function the stack deploys is among them.
 */
export function lambdaEntries(repoRoot: string): LambdaEntry[] {
  const functions = path.join(repoRoot, 'functions');
  return readdirSync(functions, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(functions, entry.name, 'handler.ts')))
    .map((entry) => ({ name: entry.name, entry: path.join(functions, entry.name, 'handler.ts') }))
    .sort((a, b) => a.name.localeCompare(b.name));
}
