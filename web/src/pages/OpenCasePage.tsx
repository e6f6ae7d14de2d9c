import { useTranslation } from 'react-i18next';

export function OpenCasePage() {
  const { t } = useTranslation('record');
  return (
    <section>
      <h1>{t('title')}</h1>
    </section>
  );
}
