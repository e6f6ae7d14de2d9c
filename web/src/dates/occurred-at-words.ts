import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { parseOccurredAt } from '../../../domain/occurred-at.ts';
import { intlLocale } from '../i18n/languages.ts';

/** How precisely a point of an occurred-at names its moment. */
type Precision = 'year' | 'month' | 'day' | 'instant';

const QUALIFIERS = { '?': 'uncertain', '~': 'approximate', '%': 'approximateUncertain' } as const;

function precisionOf(point: string): Precision {
  if (point.includes('T')) return 'instant';
  const digits = point.replace(/[?~%]$/, '');
  return digits.length === 4 ? 'year' : digits.length === 7 ? 'month' : 'day';
}

function qualifierOf(point: string): keyof typeof QUALIFIERS | undefined {
  const last = point.at(-1);
  return last === '?' || last === '~' || last === '%' ? last : undefined;
}

/** The words of one point: "3 July 2025", "October 2025", "2025", or an instant with its time. */
function pointWords(point: string, moment: number, locale: string): string {
  const precision = precisionOf(point);
  const options: Intl.DateTimeFormatOptions =
    precision === 'year'
      ? { year: 'numeric', timeZone: 'UTC' }
      : precision === 'month'
        ? { month: 'long', year: 'numeric', timeZone: 'UTC' }
        : precision === 'day'
          ? { dateStyle: 'long', timeZone: 'UTC' }
          : { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' };
  return new Intl.DateTimeFormat(locale, options).format(new Date(moment));
}

export type OccurredAtWords =
  | { readonly ok: true; readonly words: string; readonly earliest: number; readonly latest: number }
  | { readonly ok: false; readonly message: string };

/**
 * An occurred-at as the ledger reads it, in the reader's words: "on 3 July 2025", "some time in October
 * 2025", "between 1 and 15 July 2025", each with its uncertainty said ("possibly", "about"). The bounds come
 * from the domain's own parser, so the words and the ledger never disagree about what a text means.
 */
export function occurredAtWords(text: string, t: TFunction<'dates'>, locale: string): OccurredAtWords {
  const parsed = parseOccurredAt(text.trim());
  if (!parsed.ok) return { ok: false, message: parsed.message };
  const { earliest, latest } = parsed.value;
  const points = parsed.value.text.split('/');
  const [first = '', second] = points;
  let words: string;
  if (second === undefined) {
    const precision = precisionOf(first);
    words = t(`point.${precision}`, { when: pointWords(first, earliest, locale) });
  } else {
    words = t('interval', {
      from: pointWords(first, earliest, locale),
      to: pointWords(second, latest, locale),
    });
  }
  const qualifier = points.map(qualifierOf).find((found) => found !== undefined);
  if (qualifier !== undefined) words = t(`qualified.${QUALIFIERS[qualifier]}`, { words });
  return { ok: true, words, earliest, latest };
}

/** `occurredAtWords` in the language on screen. */
export function useOccurredAtWords(): (text: string) => OccurredAtWords {
  const { t, i18n } = useTranslation('dates');
  return (text) => occurredAtWords(text, t, intlLocale(i18n.language));
}
