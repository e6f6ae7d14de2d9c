import { readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod';

/** The file a running local runtime leaves in its data directory, so that `npx ledger` can find it. */
export const RUNTIME_FILE_NAME = 'runtime.json';

export const runtimeFileSchema = z.object({
  dynamodbEndpoint: z.url({ protocol: /^https?$/ }),
  apiUrl: z.url({ protocol: /^https?$/ }),
  /** The Node.js process of `npm start`: the file is stale once it is gone. */
  pid: z.int().positive(),
  tables: z.object({
    ledger: z.string().min(1),
    views: z.string().min(1),
    keys: z.string().min(1).optional(),
    notifications: z.string().min(1).optional(),
    log: z.string().min(1).optional(),
  }),
});

/** Where a running local runtime can be reached. */
export type RuntimeFile = z.output<typeof runtimeFileSchema>;

export function runtimeFilePath(dataDir: string): string {
  return join(dataDir, RUNTIME_FILE_NAME);
}

/**
 * Writes `<dataDir>/runtime.json` (through a temporary file and a rename, so a reader never sees half of it)
 * and returns the function that removes it again — only while it is still this runtime's, so a runtime that
 * stops late never deletes the file of one that started after it.
 */
export async function writeRuntimeFile(dataDir: string, runtime: RuntimeFile): Promise<() => Promise<void>> {
  const path = runtimeFilePath(dataDir);
  const temporary = `${path}.${runtime.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(runtime, null, 2)}\n`, { mode: 0o600 });
  await rename(temporary, path);
  return async () => {
    const current = await readRuntimeFile(dataDir);
    if (current?.pid !== runtime.pid || current.apiUrl !== runtime.apiUrl) return;
    await unlink(path).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  };
}

/** The runtime file of a data directory; `undefined` when there is none or it is not one (never trusted blindly). */
export async function readRuntimeFile(dataDir: string): Promise<RuntimeFile | undefined> {
  let text: string;
  try {
    text = await readFile(runtimeFilePath(dataDir), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const parsed = runtimeFileSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
