import { useTranslation } from 'react-i18next';

export function AuditPage() {
  const { t } = useTranslation('audit');
  return (
    <section>
      <h1>{t('title')}</h1>
    </section>
  );
}
