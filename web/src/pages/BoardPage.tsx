import { useTranslation } from 'react-i18next';

export function BoardPage() {
  const { t } = useTranslation('board');
  return (
    <section>
      <h1>{t('title')}</h1>
    </section>
  );
}
