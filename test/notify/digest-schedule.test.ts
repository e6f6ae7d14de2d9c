import { describe, expect, it } from 'vitest';
import { digestDue, latestDigestDay, localTimeOf } from '../../domain/notifications/digest-schedule.ts';

const at = (iso: string) => new Date(iso);

describe('the digest schedule', () => {
  it('is due from the hour in the zone, once per local day', () => {
    const cadence = { hour: 8, timeZone: 'Europe/Vilnius' }; // UTC+2 in winter
    expect(digestDue(cadence, at('2026-01-10T05:59:59.999Z'), { lastDigestDay: '2026-01-09' })).toEqual({
      due: false,
    });
    expect(digestDue(cadence, at('2026-01-10T06:00:00.000Z'), { lastDigestDay: '2026-01-09' })).toEqual({
      due: true,
      day: '2026-01-10',
    });
    expect(digestDue(cadence, at('2026-01-10T21:00:00.000Z'), { lastDigestDay: '2026-01-10' })).toEqual({
      due: false,
    });
  });

  it('in Asia/Kathmandu (UTC+5:45) the local day and hour come from the zone, not from whole hours', () => {
    expect(localTimeOf(at('2026-01-10T18:14:00.000Z'), 'Asia/Kathmandu')).toEqual({
      day: '2026-01-10',
      hour: 23,
    });
    expect(localTimeOf(at('2026-01-10T18:15:00.000Z'), 'Asia/Kathmandu')).toEqual({
      day: '2026-01-11',
      hour: 0,
    });
    const cadence = { hour: 0, timeZone: 'Asia/Kathmandu' };
    expect(digestDue(cadence, at('2026-01-10T18:14:59.000Z'), { lastDigestDay: '2026-01-10' })).toEqual({
      due: false,
    });
    expect(digestDue(cadence, at('2026-01-10T18:15:00.000Z'), { lastDigestDay: '2026-01-10' })).toEqual({
      due: true,
      day: '2026-01-11',
    });
  });

  it('on a spring-forward day a skipped hour is reached at the first hour after it', () => {
    // Europe/Berlin, 29 March 2026: 02:00 local does not exist (01:59 CET is followed by 03:00 CEST).
    const cadence = { hour: 2, timeZone: 'Europe/Berlin' };
    expect(digestDue(cadence, at('2026-03-29T00:59:59.000Z'), { lastDigestDay: '2026-03-28' })).toEqual({
      due: false,
    });
    expect(digestDue(cadence, at('2026-03-29T01:00:00.000Z'), { lastDigestDay: '2026-03-28' })).toEqual({
      due: true,
      day: '2026-03-29',
    });
  });

  it('on a fall-back day a repeated hour gives one digest', () => {
    // America/New_York, 1 November 2026: 01:00-01:59 happens twice (EDT, then EST).
    const cadence = { hour: 1, timeZone: 'America/New_York' };
    const first = at('2026-11-01T05:00:00.000Z'); // 01:00 EDT
    const second = at('2026-11-01T06:00:00.000Z'); // 01:00 EST
    expect(localTimeOf(first, cadence.timeZone)).toEqual(localTimeOf(second, cadence.timeZone));
    expect(digestDue(cadence, first, { lastDigestDay: '2026-10-31' })).toEqual({
      due: true,
      day: '2026-11-01',
    });
    expect(digestDue(cadence, second, { lastDigestDay: '2026-11-01' })).toEqual({ due: false });
    // A day of 25 hours still has its one digest at 01:00 the next day.
    expect(digestDue(cadence, at('2026-11-02T06:00:00.000Z'), { lastDigestDay: '2026-11-01' })).toEqual({
      due: true,
      day: '2026-11-02',
    });
  });

  it('after days down, one digest for the latest day; the first waits for a time after subscribing', () => {
    const cadence = { hour: 8, timeZone: 'UTC' };
    expect(digestDue(cadence, at('2026-01-15T09:00:00.000Z'), { lastDigestDay: '2026-01-10' })).toEqual({
      due: true,
      day: '2026-01-15',
    });
    expect(latestDigestDay(cadence, at('2026-01-15T07:00:00.000Z'))).toBe('2026-01-14');
    const since = at('2026-01-15T10:00:00.000Z');
    expect(digestDue(cadence, at('2026-01-15T11:00:00.000Z'), { since })).toEqual({ due: false });
    expect(digestDue(cadence, at('2026-01-16T08:00:00.000Z'), { since })).toEqual({
      due: true,
      day: '2026-01-16',
    });
  });
});
