import edtf from 'edtf';
import { LRUCache } from 'lru-cache';
import * as z from 'zod';

/**
 * When something happened in the world, as precisely as it is known: a year, a month, a day or an instant,
 * possibly uncertain (`?`), approximate (`~`) or both (`%`), or an interval between two of those.
 *
 * This is a subset of EDTF (ISO 8601-2). Parsing is done by the `edtf` library; the grammar below only narrows
 * it to what the ledger accepts: no unspecified digits (`2025-XX`), no open intervals, no seasons, and an
 * instant must carry its time zone, because a local time without one names no moment.
 */
export interface OccurredAt {
  /** The text as given, e.g. `2025-10?`. */
  readonly text: string;
  /** The earliest moment it can mean, epoch milliseconds. */
  readonly earliest: number;
  /** The latest moment it can mean, epoch milliseconds (inclusive). */
  readonly latest: number;
}

const DATE = String.raw`\d{4}(?:-\d{2}(?:-\d{2})?)?[?~%]?`;
const INSTANT = String.raw`\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})`;
const POINT = `(?:${INSTANT}|${DATE})`;
const SUBSET = new RegExp(`^${POINT}(?:/${POINT})?$`);

/** The longest occurred-at text accepted; two instants with offsets and milliseconds fit. */
export const OCCURRED_AT_MAX_LENGTH = 64;

export type OccurredAtResult = { ok: true; value: OccurredAt } | { ok: false; message: string };

/** Whether the calendar part of a point names a real day (edtf.js rolls 2025-02-29 over to 1 March). */
function isRealCalendarDate(point: string): boolean {
  const match = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(point);
  if (!match) return false;
  const [, year, month, day] = match;
  if (month === undefined) return true;
  const m = Number(month);
  if (m < 1 || m > 12) return false;
  if (day === undefined) return true;
  const d = Number(day);
  const date = new Date(Date.UTC(Number(year), m - 1, d));
  return date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** edtf.js reads the digits after the decimal point as whole milliseconds (`.1` as 1 ms); pad them to three. */
function withMilliseconds(point: string): string {
  return point.replace(/\.(\d{1,2})(?=Z|[+-])/, (_, digits: string) => `.${digits.padEnd(3, '0')}`);
}

function boundsOf(point: string): { earliest: number; latest: number } | undefined {
  if (!isRealCalendarDate(point)) return undefined;
  try {
    const parsed = edtf(withMilliseconds(point));
    if (!Number.isFinite(parsed.min) || !Number.isFinite(parsed.max)) return undefined;
    return { earliest: parsed.min, latest: parsed.max };
  } catch {
    return undefined;
  }
}

const FORMAT_HINT =
  'an EDTF date: 2025, 2025-06, 2025-06-30, 2025-12-30T10:00:00Z, with ? or ~ for uncertain or approximate, or an interval 2025-06-30/2025-07-01';

/**
 * Results of texts parsed lately. The EDTF grammar is slow (it was most of a fold's time), and one event's date
 * is read at every step of its way (validation, append rules, folds, projections): the result of a text never
 * changes, so it is parsed once. Results are frozen, since they are shared.
 */
const parsed = new LRUCache<string, OccurredAtResult>({ max: 20_000 });

/** Parses an occurred-at text; never throws. */
export function parseOccurredAt(text: string): OccurredAtResult {
  // Checked before the cache, so an oversized text is never kept.
  if (text.length > OCCURRED_AT_MAX_LENGTH) return { ok: false, message: FORMAT_HINT };
  const known = parsed.get(text);
  if (known) return known;
  const result = parseUncached(text);
  if (result.ok) Object.freeze(result.value);
  parsed.set(text, Object.freeze(result));
  return result;
}

function parseUncached(text: string): OccurredAtResult {
  if (!SUBSET.test(text)) return { ok: false, message: FORMAT_HINT };
  const points = text.split('/').map(boundsOf);
  // Not `[start, end = start]`: a default would also replace an end that failed to parse.
  const start = points[0];
  const end = points.length === 1 ? start : points[1];
  if (!start || !end)
    return { ok: false, message: 'not a real date (check the month, the day and the time)' };
  if (start.earliest > end.latest) return { ok: false, message: 'an interval must not end before it starts' };
  return { ok: true, value: { text, earliest: start.earliest, latest: end.latest } };
}

/** Parses a text already validated by `occurredAtSchema`; a failure here is a bug, so it throws. */
export function occurredAtOf(text: string): OccurredAt {
  const result = parseOccurredAt(text);
  if (!result.ok) throw new Error(`Unparseable occurred-at '${text}' reached the domain: ${result.message}`);
  return result.value;
}

/** Whether the thing can have happened by `now`: its earliest possible moment is not after it. */
export function isNotInFuture(occurredAt: OccurredAt, now: Date): boolean {
  return occurredAt.earliest <= now.getTime();
}

export const occurredAtSchema = z
  .string()
  .superRefine((text, context) => {
    const result = parseOccurredAt(text);
    if (!result.ok) context.addIssue({ code: 'custom', message: result.message });
  })
  .meta({
    id: 'OccurredAt',
    description:
      'When it happened in the world (EDTF subset): a year, month, day or instant with time zone, optionally uncertain (?), approximate (~) or both (%), or an interval A/B.',
    examples: ['2025-06-30', '2025-10?', '2025-06-30/2025-07-01', '2025-12-30T10:00:00Z'],
  });

/** The first moment a query bound names: a day, month or year from its start (for the lower end of a range). */
export function parseQueryStart(text: string): Date | undefined {
  if (/[?~%/]/.test(text)) return undefined;
  const result = parseOccurredAt(text);
  return result.ok ? new Date(result.value.earliest) : undefined;
}

/**
 * The moment a query asks about (`asOf`, `knownAt`): a day, month or year means its last moment, so "as of
 * 30 June" includes what happened on 30 June; an instant means itself. Uncertain forms are refused here.
 */
export function parseQueryMoment(text: string): Date | undefined {
  if (/[?~%/]/.test(text)) return undefined;
  const result = parseOccurredAt(text);
  return result.ok ? new Date(result.value.latest) : undefined;
}
