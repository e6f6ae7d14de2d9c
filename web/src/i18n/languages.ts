/** The interface's languages. Plain data and pure functions: tests under Node read them too. */
export const languages = ['en', 'ru'] as const;
export type Language = (typeof languages)[number];

/**
 * The `Intl` locale of a language: English dates read day-month-year (3 July 2025), as most of the ledger's
 * readers write them, rather than the American order.
 */
export function intlLocale(language: string): string {
  return language === 'ru' ? 'ru-RU' : 'en-GB';
}
