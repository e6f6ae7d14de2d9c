import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { type Language, languages, rememberLanguage } from '../i18n/i18n.ts';

/** Chooses the interface's language; recorded texts stay as written. */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const id = useId();
  return (
    <span className="language-switch">
      <label htmlFor={id}>{t('language.label')}</label>
      <select
        id={id}
        value={i18n.language}
        onChange={(event) => {
          const language = event.target.value as Language;
          rememberLanguage(language);
          void i18n.changeLanguage(language);
        }}
      >
        {languages.map((language) => (
          <option key={language} value={language} lang={language}>
            {t(`language.${language}`)}
          </option>
        ))}
      </select>
    </span>
  );
}
