import type { Formats } from '../i18n/format.ts';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T/;

/** A bound of the range as the reader typed it, in words when it is a day or an instant, else as typed. */
export function momentWords(text: string, formats: Formats): string {
  if (DAY.test(text)) return formats.day(text);
  if (INSTANT.test(text) && !Number.isNaN(Date.parse(text))) return formats.dateTime(text);
  return text;
}
