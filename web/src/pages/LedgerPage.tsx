import { useTranslation } from 'react-i18next';

export function LedgerPage() {
  const { t } = useTranslation('ledger');
  return (
    <section>
      <h1>{t('title')}</h1>
    </section>
  );
}
