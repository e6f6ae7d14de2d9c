import type { Formats } from '../i18n/format.ts';

/**
 * A day or instant in the locale's words, or the text as it came when it is no date at all (a hand-typed
 * `?asOf=` the API will refuse): the screen must still render to show that refusal.
 */
export function dayWords(formats: Formats, value: string): string {
  try {
    return formats.day(value);
  } catch {
    return value;
  }
}
