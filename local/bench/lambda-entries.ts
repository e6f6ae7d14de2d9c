import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

/** A Lambda entry point: `functions/<name>/handler.ts`, or `functions/<name>/handlers/<kind>-handler.ts`. */
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
 * `handler.ts`, and perhaps a `stream-handler.ts`; a folder that deploys several functions (the notifier and its
 * webhook queue) keeps them as `handlers/<kind>-handler.ts`. Found here rather than imported from
 * `infra/function-entries.ts`, which `local/` may not import; `test/bench` checks that every function the stack
 * deploys is among them.
 */
export function lambdaEntries(repoRoot: string): LambdaEntry[] {
  const functions = path.join(repoRoot, 'functions');
  return readdirSync(functions, { withFileTypes: true })
    .filter((folder) => folder.isDirectory())
    .flatMap((folder) => [
      ...topLevelEntries(functions, folder.name),
      ...handlerFolderEntries(functions, folder.name),
    ])
    .filter((entry) => existsSync(entry.entry))
    .sort((a, b) => a.name.localeCompare(b.name));
}

function topLevelEntries(functions: string, folder: string): LambdaEntry[] {
  return ENTRY_FILES.map(({ file, suffix }) => ({
    name: `${folder}${suffix}`,
    entry: path.join(functions, folder, file),
  }));
}

const HANDLER_FILE = /^(?<kind>[a-z0-9-]+)-handler\.ts$/;

function handlerFolderEntries(functions: string, folder: string): LambdaEntry[] {
  const handlers = path.join(functions, folder, 'handlers');
  if (!existsSync(handlers)) return [];
  return readdirSync(handlers).flatMap((file) => {
    const kind = HANDLER_FILE.exec(file)?.groups?.kind;
    return kind === undefined ? [] : [{ name: `${folder}-${kind}`, entry: path.join(handlers, file) }];
  });
}
