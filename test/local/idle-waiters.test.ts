import { describe, expect, it } from 'vitest';
import { IdleWaiters } from '../../local/idle-waiters.ts';

describe('the callers waiting for idle()', () => {
  it('opens an epoch per call and resolves each caller once its own epoch is confirmed', async () => {
    const waiters = new IdleWaiters();
    const settled: number[] = [];
    const first = waiters.wait().then(() => settled.push(1));
    const second = waiters.wait().then(() => settled.push(2));
    expect(waiters.epoch).toBe(2);

    waiters.settle((epoch) => epoch <= 1);
    await first;
    expect(settled).toEqual([1]);
    waiters.settle((epoch) => epoch <= 2);
    await second;
    expect(settled).toEqual([1, 2]);
  });

  it('rejects every caller still waiting when told to', async () => {
    const waiters = new IdleWaiters();
    const pending = [waiters.wait(), waiters.wait()];
    waiters.rejectAll('stopped before it was idle');
    for (const idle of pending) await expect(idle).rejects.toThrow('stopped before it was idle');
  });
});
