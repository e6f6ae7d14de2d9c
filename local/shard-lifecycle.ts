import type { _Record } from '@aws-sdk/client-dynamodb-streams';
import { describeError, type LogEntry } from './json-lines-logger.ts';

/**
 * The life of one shard reader, as states and the transitions between them, free of I/O so that every rule
 * can be tested as a function. The reader (`shard-reader.ts`) performs the action each state asks for and
 * feeds the outcome back in as an event:
 *
 * ```text
 * acquiring  ─ iterator-granted ─▶ reading    │ ─ iterator-refused ─▶ backing-off ─ waited ─▶ acquiring
 * reading    ─ records-read ─────▶ delivering │ ─ read-failed ──────▶ backing-off ─ waited ─▶ reading
 * reading    ─ iterator-expired ─▶ acquiring (after the checkpoint)
 * reading    ─ trimmed ──────────▶ acquiring (at the trim horizon)
 * delivering ─ delivered ─▶ reading (records came) │ caught-up (none came) │ finished (the shard closed)
 * caught-up  ─ waited ───▶ reading
 * any state  ─ stop ─────▶ stopped
 * ```
 *
 * The checkpoint, the last sequence number the handler accepted, travels through every state that can lose its
 * iterator: it is where a renewed iterator resumes, and it decides how loud a trim is.
 */
export type ShardState =
  /** Needs a shard iterator: at the start, and after an iterator expired or its records were trimmed. */
  | {
      readonly phase: 'acquiring';
      readonly checkpoint: string | undefined;
      readonly emptyReads: number;
      /** Asks for an iterator that failed in a row, for the growing back-off. */
      readonly failures: number;
    }
  /** Holds an iterator and reads the next batch with it. */
  | {
      readonly phase: 'reading';
      readonly iterator: string;
      readonly checkpoint: string | undefined;
      readonly emptyReads: number;
    }
  /** Has a batch in hand; the handler must accept all of it before the reader moves on. */
  | {
      readonly phase: 'delivering';
      readonly records: readonly _Record[];
      /** Absent when the shard is closed and this batch is its last. */
      readonly next: string | undefined;
      readonly checkpoint: string | undefined;
      readonly emptyReads: number;
      /** The poller's idle epoch when the read started: an empty read proves the reader caught up through it. */
      readonly epoch: number;
    }
  /** Read to the shard's current end; waits `delayMs` (cut short by the poller's `idle()`) before reading on. */
  | {
      readonly phase: 'caught-up';
      readonly iterator: string;
      readonly checkpoint: string | undefined;
      readonly emptyReads: number;
      readonly epoch: number;
      readonly delayMs: number;
    }
  /** A call failed: waits `delayMs`, not cut short, then goes on as `resume`. */
  | { readonly phase: 'backing-off'; readonly delayMs: number; readonly resume: ShardState }
  /** The shard is closed and every record in it has been delivered. */
  | { readonly phase: 'finished' }
  /** Told to stop, or given nothing to read with. */
  | { readonly phase: 'stopped' };

export type ShardEvent =
  | { readonly type: 'iterator-granted'; readonly iterator: string | undefined }
  | { readonly type: 'iterator-refused'; readonly error: unknown }
  | {
      readonly type: 'records-read';
      readonly records: readonly _Record[];
      readonly next: string | undefined;
      readonly epoch: number;
    }
  | { readonly type: 'iterator-expired' }
  | { readonly type: 'trimmed' }
  | { readonly type: 'read-failed'; readonly error: unknown }
  /** The handler accepted the batch (or it was set aside); `checkpoint` is the last sequence number passed. */
  | { readonly type: 'delivered'; readonly checkpoint: string | undefined }
  | { readonly type: 'waited' }
  | { readonly type: 'stop' };

/** The timings the transitions need, all in milliseconds. */
export interface ShardTimings {
  /** The wait after an empty read: `minMs` after one that followed records, doubling to `maxMs`. */
  readonly idleDelay: { readonly minMs: number; readonly maxMs: number };
  /** The wait before a failed call is tried again: doubles from `initialMs` up to `maxMs`. */
  readonly retry: RetryDelays;
}

/** How long to wait before retrying a failed call: doubles from `initialMs` up to `maxMs`. */
export interface RetryDelays {
  readonly initialMs: number;
  readonly maxMs: number;
}

/** A transition's result: the next state, and what the reader should log about it (without the shard id). */
export interface ShardStep {
  readonly state: ShardState;
  readonly log?: LogEntry;
}

/** Where every reader starts: asking for an iterator at the trim horizon, nothing delivered yet. */
export const initialShardState: ShardState = {
  phase: 'acquiring',
  checkpoint: undefined,
  emptyReads: 0,
  failures: 0,
};

/**
 * The wait after `emptyReads` earlier empty reads in a row (0 for the first after records): `minMs`, doubling
 * each time up to `maxMs`. Never under a millisecond, so a zero setting cannot read a shard in a tight loop,
 * and the power is capped, so a shard quiet for days cannot overflow it.
 */
export function idleDelayAfter(
  emptyReads: number,
  delay: { readonly minMs: number; readonly maxMs: number },
) {
  const maxMs = Math.max(1, delay.maxMs);
  return Math.min(maxMs, Math.max(1, delay.minMs) * 2 ** Math.min(emptyReads, 30));
}

/** The wait before try `attempt + 1` of a call that failed `attempt` times in a row. */
export function retryDelayAfter(attempt: number, retry: RetryDelays) {
  return Math.min(retry.maxMs, retry.initialMs * 2 ** (attempt - 1));
}

/** The entry that says a call failed and when it is tried again. */
export function backOffEntry(message: string, attempt: number, retryInMs: number, error: unknown): LogEntry {
  return {
    level: 'error',
    message,
    attempt,
    retryInMs,
    ...(error !== undefined && { error: describeError(error) }),
  };
}

/** The next state of a reader in `state` once `event` has happened. */
export function nextShardState(state: ShardState, event: ShardEvent, timings: ShardTimings): ShardStep {
  if (event.type === 'stop') return { state: { phase: 'stopped' } };
  switch (state.phase) {
    case 'acquiring':
      return afterAcquiring(state, event, timings);
    case 'reading':
      return afterReading(state, event, timings);
    case 'delivering':
      return afterDelivering(state, event, timings);
    case 'caught-up':
      return event.type === 'waited'
        ? { state: { ...readingOf(state), iterator: state.iterator } }
        : refuse(state, event);
    case 'backing-off':
      return event.type === 'waited' ? { state: state.resume } : refuse(state, event);
    default:
      return refuse(state, event);
  }
}

type In<P extends ShardState['phase']> = Extract<ShardState, { phase: P }>;

function afterAcquiring(state: In<'acquiring'>, event: ShardEvent, timings: ShardTimings): ShardStep {
  if (event.type === 'iterator-granted') {
    // An answer without an iterator leaves nothing to read with: the reader ends without claiming the shard
    // finished, so idle() does not pretend its records arrived.
    if (event.iterator === undefined) return { state: { phase: 'stopped' } };
    return { state: { ...readingOf(state), iterator: event.iterator } };
  }
  if (event.type !== 'iterator-refused') return refuse(state, event);
  const attempt = state.failures + 1;
  const delayMs = retryDelayAfter(attempt, timings.retry);
  return {
    state: { phase: 'backing-off', delayMs, resume: { ...state, failures: attempt } },
    log: backOffEntry('could not get a shard iterator', attempt, delayMs, event.error),
  };
}

function afterReading(state: In<'reading'>, event: ShardEvent, timings: ShardTimings): ShardStep {
  switch (event.type) {
    case 'records-read': {
      const { records, next, epoch } = event;
      return { state: { ...positionOf(state), phase: 'delivering', records, next, epoch } };
    }
    case 'iterator-expired':
      return { state: acquiringFrom(state.checkpoint, state.emptyReads) };
    case 'trimmed':
      return afterTrim(state);
    case 'read-failed': {
      // A failed read is retried with the same iterator after the first delay each time, as it always was.
      const delayMs = retryDelayAfter(1, timings.retry);
      return {
        state: { phase: 'backing-off', delayMs, resume: state },
        log: backOffEntry('GetRecords failed', 1, delayMs, event.error),
      };
    }
    default:
      return refuse(state, event);
  }
}

/**
 * A refusal of the records as trimmed. Reading from the trim horizon already, with nothing delivered, nothing
 * can have been missed: DynamoDB Local on disk answers so on a brand-new stream's first records, and a fresh
 * iterator reads them. After a checkpoint, the records past it are older than the stream keeps (24 hours):
 * they are gone, and the only way on is from what is left. Said loudly, because the views may now miss events.
 */
function afterTrim(state: In<'reading'>): ShardStep {
  if (state.checkpoint === undefined) {
    return {
      state: acquiringFrom(undefined, state.emptyReads),
      log: {
        level: 'info',
        message: 'the shard iterator at the trim horizon was refused as trimmed; reading from a fresh one',
      },
    };
  }
  return {
    state: acquiringFrom(undefined, state.emptyReads),
    log: {
      level: 'error',
      message: 'stream records were trimmed before they were delivered; resuming at the trim horizon',
      afterSequenceNumber: state.checkpoint,
    },
  };
}

function afterDelivering(state: In<'delivering'>, event: ShardEvent, timings: ShardTimings): ShardStep {
  if (event.type !== 'delivered') return refuse(state, event);
  const checkpoint = event.checkpoint ?? state.checkpoint;
  // A closed shard answers without a next iterator once it has nothing more to give.
  if (state.next === undefined) return { state: { phase: 'finished' } };
  if (state.records.length > 0) {
    return { state: { phase: 'reading', iterator: state.next, checkpoint, emptyReads: 0 } };
  }
  const delayMs = idleDelayAfter(state.emptyReads, timings.idleDelay);
  const { epoch, emptyReads } = state;
  return {
    state: {
      phase: 'caught-up',
      iterator: state.next,
      checkpoint,
      emptyReads: emptyReads + 1,
      epoch,
      delayMs,
    },
  };
}

function positionOf(state: { readonly checkpoint: string | undefined; readonly emptyReads: number }) {
  return { checkpoint: state.checkpoint, emptyReads: state.emptyReads };
}

function readingOf(state: { readonly checkpoint: string | undefined; readonly emptyReads: number }) {
  return { phase: 'reading' as const, ...positionOf(state) };
}

function acquiringFrom(checkpoint: string | undefined, emptyReads: number): ShardState {
  return { phase: 'acquiring', checkpoint, emptyReads, failures: 0 };
}

/** An event the state cannot receive is a bug in the reader, not a condition of the stream. */
function refuse(state: ShardState, event: ShardEvent): never {
  throw new Error(`a shard reader in state "${state.phase}" cannot handle "${event.type}"`);
}
