import type { _Record } from '@aws-sdk/client-dynamodb-streams';
import { describe, expect, it } from 'vitest';
import type { LogEntry } from '../../local/json-lines-logger.ts';
import {
  idleDelayAfter,
  initialShardState,
  nextShardState,
  retryDelayAfter,
  type ShardEvent,
  type ShardState,
  type ShardTimings,
} from '../../local/shard-lifecycle.ts';

const timings: ShardTimings = {
  idleDelay: { minMs: 20, maxMs: 250 },
  retry: { initialMs: 10, maxMs: 40 },
};

/** Given a reader in `from`, when `events` happen in turn: the state it ends in and what it logged. */
function replay(events: readonly ShardEvent[], from: ShardState = initialShardState) {
  const logs: LogEntry[] = [];
  let state = from;
  for (const event of events) {
    const step = nextShardState(state, event, timings);
    if (step.log) logs.push(step.log);
    state = step.state;
  }
  return { state, logs };
}

const record = (sequenceNumber: string): _Record => ({ dynamodb: { SequenceNumber: sequenceNumber } });
const granted = (iterator: string): ShardEvent => ({ type: 'iterator-granted', iterator });
const read = (records: _Record[], next: string | undefined, epoch = 0): ShardEvent => ({
  type: 'records-read',
  records,
  next,
  epoch,
});
const delivered = (checkpoint: string | undefined): ShardEvent => ({ type: 'delivered', checkpoint });

/** A reader that has delivered records up to sequence number 200 and reads on with `it-2`. */
const afterCheckpoint = replay([granted('it-1'), read([record('200')], 'it-2'), delivered('200')]).state;

describe('the lifecycle of a shard reader', () => {
  it('starts by asking for an iterator at the trim horizon, with nothing delivered', () => {
    expect(initialShardState).toEqual({
      phase: 'acquiring',
      checkpoint: undefined,
      emptyReads: 0,
      failures: 0,
    });
  });

  it('reads with the iterator it was granted, and delivers what it read with the epoch the read began in', () => {
    const { state } = replay([granted('it-1'), read([record('100')], 'it-2', 7)]);
    expect(state).toEqual({
      phase: 'delivering',
      records: [record('100')],
      next: 'it-2',
      checkpoint: undefined,
      emptyReads: 0,
      epoch: 7,
    });
  });

  it('reads on at once after a batch with records, resuming from its last accepted record if need be', () => {
    expect(afterCheckpoint).toEqual({ phase: 'reading', iterator: 'it-2', checkpoint: '200', emptyReads: 0 });
  });

  it('keeps its checkpoint when a delivery accepted nothing new', () => {
    const { state } = replay([read([], 'it-3'), delivered(undefined)], afterCheckpoint);
    expect(state).toMatchObject({ checkpoint: '200' });
  });

  it('is caught up after an empty read, through the epoch that read began in, and waits longer each time', () => {
    const quiet = (epoch: number): ShardEvent[] => [read([], 'it-3', epoch), delivered(undefined)];
    const first = replay(quiet(4), afterCheckpoint).state;
    expect(first).toEqual({
      phase: 'caught-up',
      iterator: 'it-3',
      checkpoint: '200',
      emptyReads: 1,
      epoch: 4,
      delayMs: 20,
    });
    const third = replay([{ type: 'waited' }, ...quiet(5), { type: 'waited' }, ...quiet(5)], first).state;
    expect(third).toMatchObject({ phase: 'caught-up', epoch: 5, delayMs: 80, emptyReads: 3 });
    expect(replay([{ type: 'waited' }], third).state).toEqual({
      phase: 'reading',
      iterator: 'it-3',
      checkpoint: '200',
      emptyReads: 3,
    });
  });

  it('is finished once a batch without a next iterator is delivered, records or not', () => {
    expect(replay([read([record('300')], undefined), delivered('300')], afterCheckpoint).state).toEqual({
      phase: 'finished',
    });
    expect(replay([read([], undefined), delivered(undefined)], afterCheckpoint).state).toEqual({
      phase: 'finished',
    });
  });

  it('renews an expired iterator after its checkpoint, quietly', () => {
    const { state, logs } = replay([{ type: 'iterator-expired' }], afterCheckpoint);
    expect(state).toEqual({ phase: 'acquiring', checkpoint: '200', emptyReads: 0, failures: 0 });
    expect(logs).toEqual([]);
  });

  it('takes a trim refusal before anything was delivered as routine: info, and a fresh iterator at the horizon', () => {
    const { state, logs } = replay([granted('it-1'), { type: 'trimmed' }]);
    expect(state).toEqual(initialShardState);
    expect(logs).toEqual([{ level: 'info', message: expect.stringContaining('refused as trimmed') }]);
  });

  it('reports a trim after a checkpoint as lost records: an error naming it, and reading on from the horizon', () => {
    const { state, logs } = replay([{ type: 'trimmed' }], afterCheckpoint);
    expect(state).toEqual({ phase: 'acquiring', checkpoint: undefined, emptyReads: 0, failures: 0 });
    expect(logs).toEqual([
      {
        level: 'error',
        message: expect.stringContaining('trimmed before they were delivered'),
        afterSequenceNumber: '200',
      },
    ]);
  });

  it('backs off longer after each refused iterator, and starts counting again once one is granted', () => {
    const refused: ShardEvent = { type: 'iterator-refused', error: new Error('service unavailable') };
    const { state, logs } = replay([refused, { type: 'waited' }, refused, { type: 'waited' }, refused]);
    expect(state).toEqual({
      phase: 'backing-off',
      delayMs: 40,
      resume: { phase: 'acquiring', checkpoint: undefined, emptyReads: 0, failures: 3 },
    });
    expect(logs.map(({ attempt, retryInMs }) => ({ attempt, retryInMs }))).toEqual([
      { attempt: 1, retryInMs: 10 },
      { attempt: 2, retryInMs: 20 },
      { attempt: 3, retryInMs: 40 },
    ]);
    expect(logs[0]).toMatchObject({
      level: 'error',
      message: 'could not get a shard iterator',
      error: { message: 'service unavailable' },
    });
    const again = replay([{ type: 'waited' }, granted('it-1'), { type: 'iterator-expired' }, refused], state);
    expect(again.logs.at(-1)).toMatchObject({ attempt: 1, retryInMs: 10 });
  });

  it('retries a failed read with the same iterator after the first delay, every time', () => {
    const failed: ShardEvent = { type: 'read-failed', error: new Error('throttled') };
    const { state, logs } = replay([failed, { type: 'waited' }, failed], afterCheckpoint);
    expect(state).toEqual({ phase: 'backing-off', delayMs: 10, resume: afterCheckpoint });
    expect(logs).toMatchObject([
      { level: 'error', message: 'GetRecords failed', attempt: 1, retryInMs: 10 },
      { attempt: 1, retryInMs: 10, error: { message: 'throttled' } },
    ]);
    expect(replay([{ type: 'waited' }], state).state).toEqual(afterCheckpoint);
  });

  it('ends without finishing when the service grants no iterator', () => {
    expect(replay([{ type: 'iterator-granted', iterator: undefined }]).state).toEqual({ phase: 'stopped' });
  });

  it('stops from any state when told to', () => {
    const states = [
      initialShardState,
      afterCheckpoint,
      replay([read([record('300')], 'it-3')], afterCheckpoint).state,
      replay([read([], 'it-3'), delivered(undefined)], afterCheckpoint).state,
      replay([{ type: 'read-failed', error: undefined }], afterCheckpoint).state,
    ];
    expect(new Set(states.map((state) => state.phase)).size).toBe(states.length);
    for (const state of states) expect(replay([{ type: 'stop' }], state).state).toEqual({ phase: 'stopped' });
  });

  it('refuses an event its state cannot receive, as a bug of the reader', () => {
    expect(() => replay([read([], 'it-2')])).toThrow(/"acquiring" cannot handle "records-read"/);
    expect(() => replay([delivered('1')], { phase: 'finished' })).toThrow(/"finished"/);
  });
});

describe('the wait before retrying a failed call', () => {
  it('doubles from the first delay up to the longest', () => {
    const delays = [1, 2, 3, 4, 5].map((attempt) =>
      retryDelayAfter(attempt, { initialMs: 500, maxMs: 3_000 }),
    );
    expect(delays).toEqual([500, 1_000, 2_000, 3_000, 3_000]);
  });
});

describe('the wait between reads of a quiet shard', () => {
  it('starts short after records and doubles with each empty read, up to the idle delay', () => {
    const delays = Array.from({ length: 8 }, (_, emptyReads) =>
      idleDelayAfter(emptyReads, { minMs: 20, maxMs: 250 }),
    );
    expect(delays).toEqual([20, 40, 80, 160, 250, 250, 250, 250]);
  });

  it('stays at the idle delay however long the shard is quiet', () => {
    expect(idleDelayAfter(100_000, { minMs: 20, maxMs: 250 })).toBe(250);
  });

  it('never waits under a millisecond, so a zero setting still backs off instead of spinning', () => {
    expect(idleDelayAfter(0, { minMs: 0, maxMs: 250 })).toBe(1);
    expect(idleDelayAfter(3, { minMs: 0, maxMs: 250 })).toBe(8);
    expect(idleDelayAfter(5_000, { minMs: 0, maxMs: 250 })).toBe(250);
    expect(idleDelayAfter(5_000, { minMs: 0, maxMs: 0 })).toBe(1);
  });
});
