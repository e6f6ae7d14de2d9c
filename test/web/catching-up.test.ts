import { describe, expect, it } from 'vitest';
import { CATCH_UP_LIMIT_MS, catchUpOf, recordedOn } from '../../web/src/case/catching-up.ts';

describe('the view catching up with what was just recorded', () => {
  const sentAt = 1_000_000;

  it('is current when nothing was recorded here, or the view holds the highest version recorded', () => {
    expect(catchUpOf([], 4, sentAt)).toEqual({ state: 'current' });
    expect(catchUpOf([{ version: 5, at: sentAt }], 5, sentAt)).toEqual({ state: 'current' });
    expect(catchUpOf([{ version: 5, at: sentAt }], 6, sentAt)).toEqual({ state: 'current' });
    // An answer about another case (or no append at all) says nothing of this one.
    expect(catchUpOf([{ version: undefined, at: sentAt }], 1, sentAt)).toEqual({ state: 'current' });
  });

  it('catches up while the view is below the highest version recorded, and gives up after the limit', () => {
    const recorded = [
      { version: 5, at: sentAt },
      { version: 7, at: sentAt + 10 },
    ];
    expect(catchUpOf(recorded, 6, sentAt + 1000)).toEqual({ state: 'catching-up', version: 7 });
    expect(catchUpOf(recorded, 6, sentAt + 10 + CATCH_UP_LIMIT_MS)).toEqual({
      state: 'catching-up',
      version: 7,
    });
    expect(catchUpOf(recorded, 6, sentAt + 11 + CATCH_UP_LIMIT_MS)).toEqual({ state: 'gave-up', version: 7 });
  });

  it('reads the version from an append or erasure answer about this case only', () => {
    expect(recordedOn('c-1', { caseId: 'c-1', version: 3, events: [] })).toBe(3);
    expect(recordedOn('c-1', { caseId: 'c-1', version: 4, event: {} })).toBe(4);
    expect(recordedOn('c-1', { caseId: 'c-2', version: 3 })).toBeUndefined();
    expect(recordedOn('c-1', { groupId: 'g', results: [] })).toBeUndefined();
    expect(recordedOn('c-1', undefined)).toBeUndefined();
  });
});
