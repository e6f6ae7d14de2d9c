import { readFileSync } from 'node:fs';
import { link, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { isAlive } from '../data-dir-lock.ts';
import { LocalError } from '../local-error.ts';

/** Another witness process, still alive, keeps this state file: two would cosign past each other. */
export class WitnessStateInUseError extends LocalError {
  readonly code = 'witness_state_in_use';
  constructor(
    readonly stateFile: string,
    readonly holderPid: number,
  ) {
    super(
      `Another witness (pid ${holderPid}) is using ${stateFile}. Stop it first (Ctrl-C in its terminal, or ` +
        `kill ${holderPid}), or give this one its own state with --state.`,
    );
    this.name = 'WitnessStateInUseError';
  }
}

export interface WitnessStateLock {
  /** Gives the state file up; only while the lock is still this process's. Safe to call more than once. */
  release(): Promise<void>;
}

/** A live Node.js process under that pid: a pid reused by another program after a crash holds no lock. */
function isNodeProcess(pid: number): boolean {
  if (!isAlive(pid)) return false;
  try {
    return /node|tsx/.test(readFileSync(`/proc/${pid}/cmdline`, 'utf8'));
  } catch {
    // No /proc (macOS): alive is all that can be told.
    return true;
  }
}

async function holderOf(path: string): Promise<number | undefined> {
  try {
    const pid = Number((await readFile(path, 'utf8')).trim());
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Takes `<stateFile>.lock` for this process, or refuses. The same scheme as the data directory's lock
 * (local/data-dir-lock.ts): the pid is written to a file of our own and hard-linked into place, which fails
 * when a lock exists, so two witnesses started at once cannot both win; a lock whose process is gone (kill -9,
 * a crash) is moved aside and taken over. The state file itself is only ever replaced whole, so a witness that
 * died leaves the last state it answered for.
 *
 * @throws {WitnessStateInUseError} when a live witness holds it.
 */
export async function lockWitnessState(stateFile: string): Promise<WitnessStateLock> {
  const path = `${stateFile}.lock`;
  for (let attempt = 0; attempt < 5; attempt++) {
    const temporary = `${path}.${process.pid}.tmp`;
    await writeFile(temporary, `${process.pid}\n`, { mode: 0o600 });
    try {
      await link(temporary, path);
      await unlink(temporary);
      return heldLock(path);
    } catch (error) {
      await unlink(temporary).catch(() => undefined);
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = await holderOf(path);
    // This very process counts as alive too: a second witness in one process would share nothing either.
    if (holder !== undefined && (holder === process.pid || isNodeProcess(holder))) {
      throw new WitnessStateInUseError(stateFile, holder);
    }
    // Moved aside, then checked: if a start racing us to the same stale lock already put its own in place,
    // that is what was moved, and it goes back.
    const aside = `${path}.stale.${process.pid}`;
    if (
      await rename(path, aside).then(
        () => true,
        () => false,
      )
    ) {
      const moved = await holderOf(aside);
      if (moved !== undefined && moved !== holder) await link(aside, path).catch(() => undefined);
      await unlink(aside).catch(() => undefined);
    }
  }
  throw new Error(`could not take the lock ${path}: it keeps changing hands`);
}

function heldLock(path: string): WitnessStateLock {
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      if ((await holderOf(path)) !== process.pid) return;
      await unlink(path).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
      });
    },
  };
}
