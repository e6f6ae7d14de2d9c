import { describe, expect, it } from 'vitest';
import { auditRangeOf, searchOfRange } from '../../web/src/audit/audit-range.ts';

const today = new Date('2026-12-01T22:00:00Z');

describe("the audit feed's range in the URL", () => {
  it('is the last 30 days up to now, 50 a page, when the URL says nothing', () => {
    expect(auditRangeOf('', today)).toEqual({ from: '2026-11-01', to: undefined, limit: 50 });
  });

  it('keeps the texts as typed for the API to read, and only the page sizes offered', () => {
    expect(auditRangeOf('?from=2026-07&to=2026-07-31T10%3A00%3A00Z&limit=10', today)).toEqual({
      from: '2026-07',
      to: '2026-07-31T10:00:00Z',
      limit: 10,
    });
    expect(auditRangeOf('?from=%3Cb%3E&limit=100000', today)).toEqual({
      from: '<b>',
      to: undefined,
      limit: 50,
    });
  });

  it('writes back what it read, leaving out the defaults', () => {
    for (const search of ['?from=2026-07&to=2026-07-31', '?from=2026-11-01', '?from=2026&limit=10']) {
      expect(searchOfRange(auditRangeOf(search, today))).toBe(search);
    }
  });
});
