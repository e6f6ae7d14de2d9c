import { open, readFile, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import * as z from 'zod';
import { LocalError } from '../local-error.ts';
import { lockWitnessState, type WitnessStateLock } from './witness-state-lock.ts';

/** What a witness holds of one log: the latest checkpoint it cosigned, which every later one must extend. */
export interface CosignedCheckpoint {
  readonly size: number;
  /** The root hash, 32 bytes. */
  readonly root: Uint8Array;
  /** The signed note as the witness serves it: the log's verified signature(s), then its own cosignature. */
  readonly checkpoint: string;
  /** When it cosigned it. */
  readonly cosignedAt: string;
}

/** A change of one origin's record and what to answer; `next` undefined changes nothing. */
export interface StateDecision<T> {
  readonly next?: CosignedCheckpoint;
  readonly answer: T;
}

export interface WitnessState {
  readonly file: string;
  /** The latest checkpoint cosigned for the origin, or undefined when there is none. */
  latest(origin: string): CosignedCheckpoint | undefined;
  /** Every origin with a cosigned checkpoint. */
  origins(): string[];
  /**
   * Decides on one origin's record and keeps the decision: `decide` sees the record as it is, and what it
   * returns as `next` is on disk (written whole, fsynced, renamed into place) before the answer is given back.
   * Decisions run one at a time, so no request is checked against a record another is about to replace (the
   * rollback race tlog-witness describes). If the write fails, the record stays as it was and this rejects.
   */
  decide<T>(
    origin: string,
    decide: (current: CosignedCheckpoint | undefined) => Promise<StateDecision<T>>,
  ): Promise<T>;
  /** Waits for the decision in hand, then gives the state file up to the next witness. */
  close(): Promise<void>;
}

export const WITNESS_STATE_FORMAT = 'detention-ledger-witness-state/v1';

const BASE64_32 = /^[A-Za-z0-9+/]{43}=$/;

const stateFileSchema = z.strictObject({
  format: z.literal(WITNESS_STATE_FORMAT),
  logs: z.record(
    z.string().min(1),
    z.strictObject({
      size: z.int().min(0).max(Number.MAX_SAFE_INTEGER),
      root: z.string().regex(BASE64_32, 'the root must be 32 bytes in base64'),
      checkpoint: z.string().min(1),
      cosignedAt: z.string(),
    }),
  ),
});

/** The state file cannot be used as it is; starting afresh would forget what was cosigned and allow a rollback. */
export class WitnessStateFileError extends LocalError {
  readonly code = 'witness_state_unreadable';
  constructor(file: string, why: string, options?: ErrorOptions) {
    super(
      `The witness state ${file} cannot be used: ${why}. It is left as it is: a witness that started afresh ` +
        'would forget the checkpoints it cosigned and could be made to sign a rolled-back or forked log. ' +
        'Restore it from a backup, or move it aside only if this witness has never answered for these logs.',
      options,
    );
    this.name = 'WitnessStateFileError';
  }
}

async function readRecords(file: string): Promise<Map<string, CosignedCheckpoint>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw new WitnessStateFileError(file, (error as Error).message, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new WitnessStateFileError(file, 'it is not JSON', { cause: error });
  }
  const parsed = stateFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new WitnessStateFileError(
      file,
      `it is not a witness state (${issue ? `${issue.path.join('.') || 'top level'}: ${issue.message}` : 'unknown shape'})`,
    );
  }
  return new Map(
    Object.entries(parsed.data.logs).map(([origin, record]) => [
      origin,
      { ...record, root: new Uint8Array(Buffer.from(record.root, 'base64')) },
    ]),
  );
}

function serialize(records: ReadonlyMap<string, CosignedCheckpoint>): string {
  const logs = Object.fromEntries(
    [...records].map(([origin, record]) => [
      origin,
      {
        size: record.size,
        root: Buffer.from(record.root).toString('base64'),
        checkpoint: record.checkpoint,
        cosignedAt: record.cosignedAt,
      },
    ]),
  );
  return `${JSON.stringify({ format: WITNESS_STATE_FORMAT, logs }, null, 2)}\n`;
}

async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Replaces the file whole: a crash leaves the old state or the new one, never half of either. */
async function writeWhole(file: string, text: string): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  const handle = await open(temporary, 'w', 0o600);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temporary, file);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
  await syncDir(dirname(file));
}

/**
 * Opens the witness's state file for this process: takes its lock (refusing when another witness holds it),
 * then reads it (a missing file is a witness that has cosigned nothing yet; a corrupt one is refused).
 *
 * @throws {WitnessStateInUseError} another live witness holds the file.
 * @throws {WitnessStateFileError} the file is unreadable or not a witness state.
 */
export async function openWitnessState(file: string): Promise<WitnessState> {
  const lock: WitnessStateLock = await lockWitnessState(file);
  let records: Map<string, CosignedCheckpoint>;
  try {
    records = await readRecords(file);
  } catch (error) {
    await lock.release();
    throw error;
  }
  // One queue for every origin, not one per origin: the file holds them all, and a write of one origin's
  // record must never carry another's decision that has not been kept yet.
  let queue: Promise<unknown> = Promise.resolve();
  let closed = false;
  return {
    file,
    latest: (origin) => records.get(origin),
    origins: () => [...records.keys()],
    decide(origin, decide) {
      if (closed) return Promise.reject(new Error('the witness state is closed'));
      const turn = queue.then(async () => {
        const decision = await decide(records.get(origin));
        if (decision.next !== undefined) {
          const next = new Map(records).set(origin, decision.next);
          await writeWhole(file, serialize(next));
          records = next;
        }
        return decision.answer;
      });
      queue = turn.catch(() => undefined);
      return turn;
    },
    async close() {
      closed = true;
      await queue;
      await lock.release();
    },
  };
}
