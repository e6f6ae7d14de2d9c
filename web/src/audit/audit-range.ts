/**
 * The range of the audit feed as the URL holds it (`/app/audit?from=2026-11-01&to=2026-11-30&limit=50`), so a
 * range can be bookmarked, shared and reloaded. The texts go to the API as typed: it alone says what a day,
 * month or instant means, and says so in its 400 when a text is none of them.
 */
export interface AuditRange {
  readonly from: string;
  /** Left out: up to now (the API fixes "now" on the first page and keeps it in the cursor). */
  readonly to: string | undefined;
  readonly limit: number;
}

export const PAGE_SIZES = [10, 25, 50, 100] as const;
const DEFAULT_PAGE_SIZE = 50;
const DEFAULT_DAYS = 30;
const DAY_MS = 86_400_000;

/** The range in `search`; without a `from`, the last 30 days up to now. */
export function auditRangeOf(search: string, today: Date): AuditRange {
  const query = new URLSearchParams(search);
  const from = query.get('from')?.trim() || defaultFrom(today);
  const to = query.get('to')?.trim() || undefined;
  const asked = Number(query.get('limit'));
  const limit = (PAGE_SIZES as readonly number[]).includes(asked) ? asked : DEFAULT_PAGE_SIZE;
  return { from, to, limit };
}

export function defaultFrom(today: Date): string {
  return new Date(today.getTime() - DEFAULT_DAYS * DAY_MS).toISOString().slice(0, 10);
}

/** The URL query of a range, leaving out what is the default. */
export function searchOfRange(range: AuditRange): string {
  const query = new URLSearchParams({ from: range.from });
  if (range.to !== undefined) query.set('to', range.to);
  if (range.limit !== DEFAULT_PAGE_SIZE) query.set('limit', String(range.limit));
  return `?${query}`;
}
