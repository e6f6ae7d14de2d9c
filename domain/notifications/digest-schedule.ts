import { addDays } from '../calendar.ts';

/**
 * When a daily digest is due. Worked on wall-clock time in the subscription's zone (Intl, which knows the IANA
 * rules), never by adding hours to instants: a day of 23 or 25 hours (DST) or a zone 5:45 off UTC changes
 * nothing. The digest of local day D is due from the first instant whose local time in D is at or after the
 * hour; an hour skipped by a DST change is then reached at the first hour after it, and an hour repeated is
 * taken at its first occurrence (the last digest's day keeps the second from counting).
 */

export interface DailyCadence {
  readonly hour: number;
  readonly timeZone: string;
}

interface LocalTime {
  /** `YYYY-MM-DD` in the zone. */
  readonly day: string;
  readonly hour: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterOf(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The local day and hour of an instant in a zone. */
export function localTimeOf(at: Date, timeZone: string): LocalTime {
  const parts = Object.fromEntries(
    formatterOf(timeZone)
      .formatToParts(at)
      .map((part) => [part.type, part.value]),
  );
  return { day: `${parts.year}-${parts.month}-${parts.day}`, hour: Number(parts.hour) };
}

/** The latest local day whose digest time has come by `at`. */
export function latestDigestDay(cadence: DailyCadence, at: Date): string {
  const local = localTimeOf(at, cadence.timeZone);
  return local.hour >= cadence.hour ? local.day : addDays(local.day, -1);
}

export type DigestDue = { readonly due: true; readonly day: string } | { readonly due: false };

/**
 * Whether a digest is due at `now`, and for which local day: the latest day whose time has come, unless the last
 * digest was for it (or later). A notifier that was down for days sends one digest, for the latest day, holding
 * all it kept since. Without a last digest, only a day whose time came after `since` (when the subscription was
 * first watched) is due: subscribing at 10:00 to an 08:00 digest gets the first one tomorrow, not at once.
 */
export function digestDue(
  cadence: DailyCadence,
  now: Date,
  last: { readonly lastDigestDay?: string; readonly since?: Date },
): DigestDue {
  const day = latestDigestDay(cadence, now);
  if (last.lastDigestDay !== undefined) return day > last.lastDigestDay ? { due: true, day } : { due: false };
  if (last.since !== undefined && day <= latestDigestDay(cadence, last.since)) return { due: false };
  return { due: true, day };
}
