import { useTranslation } from 'react-i18next';
import { intlLocale } from './languages.ts';

/** The locale's formats for what screens show: dates and numbers through `Intl`, never by hand. */
export interface Formats {
  /** A calendar day `YYYY-MM-DD` (or the day of an ISO instant), e.g. "3 July 2025" / "3 июля 2025 г.". */
  day(value: string): string;
  /** An instant, with its time in the browser's zone. */
  dateTime(value: string): string;
  number(value: number): string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function formatsFor(locale: string): Formats {
  const dayFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' });
  const dateTimeFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  const numberFormat = new Intl.NumberFormat(locale);
  return {
    // A day is a day wherever the reader is: read and shown in UTC so it never shifts by a time zone.
    day: (value) => dayFormat.format(new Date(DAY.test(value) ? `${value}T00:00:00Z` : value)),
    dateTime: (value) => dateTimeFormat.format(new Date(value)),
    number: (value) => numberFormat.format(value),
  };
}

/** The formats of the language chosen on screen. */
export function useFormats(): Formats {
  const { i18n } = useTranslation();
  return formatsFor(intlLocale(i18n.language));
}
