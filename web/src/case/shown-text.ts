import type { TFunction } from 'i18next';

/** The placeholders the API puts where a text may not be shown, as the API spells them. */
const PLACEHOLDERS: Record<string, string> = {
  '[sealed]': 'texts.sealed',
  '[erased]': 'texts.erased',
  '[unreadable]': 'texts.unreadable',
};

/** Whether a recorded text is one of the API's placeholders rather than what someone wrote. */
export const isPlaceholder = (text: string) => text in PLACEHOLDERS;

/** A recorded text as written, or what its placeholder means in words. */
export function shownText(text: string, t: TFunction<'case'>): string {
  const key = PLACEHOLDERS[text];
  return key === undefined ? text : t(key);
}
