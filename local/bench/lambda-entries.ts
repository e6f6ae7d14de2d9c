import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

/** A Lambda entry point: `functions/<name>/handler.ts`. */
export interface LambdaEntry {
  readonly name: string;
  readonly entry: string;
}

/** The entry files of a function's folder, and the suffix each adds to the folder's name. */
const ENTRY_FILES = [
  { file: 'handler.ts', suffix: '' },
  // The same function served another way (the API on a streaming function URL).
  { file: 'stream-handler.ts', suffix: '-stream' },
] as const;

/**
 * Every Lambda entry point of the project: by convention each function is a folder of `functions/` with a
 * `handler.ts`, and perhaps a `stream-handler.ts`. Found here rather than imported from `infra/function-entries.ts`, which `local/` may not import;
 * `test/bench` checks that every function the stack deploys is among them.
 */
export function lambdaEntries(repoRoot: string): LambdaEntry[] {
  const functions = path.join(repoRoot, 'functions');
  return readdirSync(functions, { withFileTypes: true })
    .filter((folder) => folder.isDirectory())
    .flatMap((folder) =>
      ENTRY_FILES.map(({ file, suffix }) => ({
        name: `${folder.name}${suffix}`,
        entry: path.join(functions, folder.name, file),
      })),
    )
    .filter((entry) => existsSync(entry.entry))
    .sort((a, b) => a.name.localeCompare(b.name));
}
