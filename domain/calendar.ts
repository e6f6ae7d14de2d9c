import { addMonths, formatISO } from 'date-fns';

/** The UTC calendar day of an instant, `YYYY-MM-DD`. */
export function dayOf(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10);
}

/**
 * A calendar day plus whole months, clamped to the end of a shorter month (31 January + 1 month is
 * 28 or 29 February), as courts count terms. Worked at noon so that no time zone of the process can move
 * the day: date-fns counts months in local time.
 */
export function addMonthsToDay(day: string, months: number): string {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  const noon = new Date(year, month - 1, date, 12);
  return formatISO(addMonths(noon, months), { representation: 'date' });
}

const DAY_MS = 86_400_000;

/** Whether an instant (epoch ms) is the last millisecond of its UTC day, where a day's uncertain dates end. */
export function isEndOfDay(epochMs: number): boolean {
  return (((epochMs + 1) % DAY_MS) + DAY_MS) % DAY_MS === 0;
}

/** Whole calendar days from one UTC day to another (`YYYY-MM-DD`); negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** The UTC calendar day `days` after `day`. */
export function addDays(day: string, days: number): string {
  return dayOf(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS);
}
