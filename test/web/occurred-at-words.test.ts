import i18next, { type TFunction } from 'i18next';
import { describe, expect, it } from 'vitest';
import { occurredAtWords } from '../../web/src/dates/occurred-at-words.ts';
import { intlLocale } from '../../web/src/i18n/languages.ts';
import { resources } from '../../web/src/i18n/resources.ts';

async function wordsIn(language: 'en' | 'ru') {
  const i18n = i18next.createInstance();
  await i18n.init({ resources, lng: language, defaultNS: 'dates', interpolation: { escapeValue: false } });
  const t = i18n.getFixedT(language, 'dates') as TFunction<'dates'>;
  return (text: string) => occurredAtWords(text, t, intlLocale(language));
}

describe('an occurred-at in words', () => {
  it('says a day, a month, a year and an interval as a reader would', async () => {
    const words = await wordsIn('en');
    expect(words('2025-07-03')).toMatchObject({ ok: true, words: 'on 3 July 2025' });
    expect(words('2025-10')).toMatchObject({ ok: true, words: 'some time in October 2025' });
    expect(words('2025')).toMatchObject({ ok: true, words: 'some time in 2025' });
    expect(words('2025-07-01/2025-07-15')).toMatchObject({
      ok: true,
      words: 'between 1 July 2025 and 15 July 2025',
    });
  });

  it('says the uncertainty and keeps the bounds the ledger reads', async () => {
    const words = await wordsIn('en');
    const october = words('2025-10?');
    expect(october).toMatchObject({ ok: true, words: 'some time in October 2025 (uncertain)' });
    expect(october.ok && new Date(october.earliest).toISOString()).toBe('2025-10-01T00:00:00.000Z');
    expect(october.ok && new Date(october.latest).toISOString()).toBe('2025-10-31T23:59:59.999Z');
    expect(words('2025-06~')).toMatchObject({ words: 'some time in June 2025 (approximately)' });
  });

  it('speaks Russian in the Russian interface', async () => {
    const words = await wordsIn('ru');
    expect(words('2025-10?')).toMatchObject({
      ok: true,
      words: 'октябрь 2025 г. (точная дата неизвестна) (не точно)',
    });
  });

  it('gives the parser\u2019s reason for a text the ledger would refuse', async () => {
    const words = await wordsIn('en');
    expect(words('2025-02-30')).toEqual({ ok: false, message: expect.stringMatching(/not a real date/) });
    expect(words('yesterday')).toMatchObject({ ok: false });
  });
});
