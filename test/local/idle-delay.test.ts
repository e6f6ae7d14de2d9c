import { describe, expect, it } from 'vitest';
import { idleDelayAfter } from '../../local/shard-lifecycle.ts';

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
