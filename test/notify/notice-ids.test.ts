import { describe, expect, it } from 'vitest';
import { noticeIdOf, noticeIds } from '../../domain/notifications/notice-ids.ts';
import { retryDelayMs } from '../../domain/notifications/retry-schedule.ts';

describe('notice ids and retries', () => {
  it('ids are deterministic, distinct for distinct parts, and safe in headers', () => {
    expect(noticeIds.caseEvent('s-1', 'e-1')).toBe(noticeIds.caseEvent('s-1', 'e-1'));
    expect(noticeIdOf('ab', 'c')).not.toBe(noticeIdOf('a', 'bc'));
    expect(noticeIds.alertRaised('s', 'C-1', 'no_news', 't')).not.toBe(
      noticeIds.alertResolved('s', 'C-1', 'no_news', 't'),
    );
    expect(noticeIds.confirm('s-1')).toMatch(/^msg_[0-9a-f]{32}$/);
  });

  it('retries back off from a minute, doubling, capped at an hour', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 50].map(retryDelayMs)).toEqual([
      60_000, 120_000, 240_000, 480_000, 960_000, 1_920_000, 3_600_000, 3_600_000,
    ]);
  });
});
