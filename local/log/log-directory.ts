import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LogStore } from '../../functions/log/log-store.ts';
import { LocalError } from '../local-error.ts';

/** The file in a log directory that names the log (the log table's `logId`) its tiles belong to. */
export const LOG_ID_FILE = 'log-id';

/** The directory holds the tiles of another log: serving or extending them would mix two trees. */
export class ForeignLogDirectoryError extends LocalError {
  readonly code = 'log_directory_foreign';
  constructor(directory: string, detail: string) {
    super(
      `${directory} holds the tiles of another transparency log (${detail}). Set LOG_DIR to this log's own ` +
        'directory, or to an empty one to start it afresh; never mix the tiles of two logs.',
    );
    this.name = 'ForeignLogDirectoryError';
  }
}

/**
 * Ties a tile directory to the log table it is written for, before anything reads or writes tiles there: an
 * empty directory is claimed for this log, one that names this log is used, any other is refused. A fresh
 * DynamoDB (in memory, or another endpoint) beside an old directory would otherwise read its old tiles.
 */
export async function claimLogDirectory(directory: string, store: LogStore): Promise<void> {
  const logId = await store.logId(randomUUID());
  await mkdir(directory, { recursive: true });
  let named: string | undefined;
  try {
    named = (await readFile(join(directory, LOG_ID_FILE), 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (named === logId) return;
  if (named !== undefined)
    throw new ForeignLogDirectoryError(directory, `it names log ${named}, this is ${logId}`);
  const present = (await readdir(directory)).filter((name) => !name.startsWith('.'));
  if (present.length > 0) {
    throw new ForeignLogDirectoryError(
      directory,
      `it holds ${present.slice(0, 3).join(', ')} and names no log`,
    );
  }
  await writeFile(join(directory, LOG_ID_FILE), `${logId}\n`, { flag: 'wx' }).catch(async (error) => {
    // Two processes claiming it at once: fine if the other wrote the same id.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const other = (await readFile(join(directory, LOG_ID_FILE), 'utf8')).trim();
    if (other !== logId)
      throw new ForeignLogDirectoryError(directory, `it names log ${other}, this is ${logId}`);
  });
}
