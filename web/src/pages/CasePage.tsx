import { useTranslation } from 'react-i18next';

export function CasePage({ caseId }: { caseId: string }) {
  const { t } = useTranslation('case');
  return (
    <section>
      <h1>
        {t('title')} {caseId}
      </h1>
    </section>
  );
}
