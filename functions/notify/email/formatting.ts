import type { PluralForms } from './words.ts';

/**
 * Numbers, plurals and dates in a notice's language, with Intl only: the words modules hold no grammar of
 * their own beyond the plural forms Intl.PluralRules selects.
 */
export interface Formatting {
  /** "45 days", "1 day"; "45 дней", "22 дня", "21 день". */
  count(n: number, forms: PluralForms): string;
  /**
   * An occurred-at text, a day or an instant, as a reader says it. A day (`2026-03-05`), a month, a year are
   * written in words; an instant with its time and zone; anything else (uncertain, approximate, an interval)
   * is shown as given, because rounding it to a day would claim more than is known.
   */
  when(text: string): string;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH = /^(\d{4})-(\d{2})$/;
const YEAR = /^\d{4}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/;

export function formattingFor(locale: string, timeZone = 'UTC'): Formatting {
  const plural = new Intl.PluralRules(locale);
  const number = new Intl.NumberFormat(locale);
  const day = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' });
  const month = new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'long', timeZone: 'UTC' });
  const instant = new Intl.DateTimeFormat(locale, {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone,
    timeZoneName: 'short',
  });
  return {
    count(n, forms) {
      return `${number.format(n)} ${forms[plural.select(n)] ?? forms.other}`;
    },
    when(text) {
      const d = DAY.exec(text);
      if (d) return day.format(Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3])));
      const m = MONTH.exec(text);
      if (m) return month.format(Date.UTC(Number(m[1]), Number(m[2]) - 1, 1));
      if (YEAR.test(text)) return text;
      if (INSTANT.test(text)) {
        const at = Date.parse(text);
        if (Number.isFinite(at)) return instant.format(at);
      }
      return text;
    },
  };
}
