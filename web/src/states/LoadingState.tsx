import { useTranslation } from 'react-i18next';

/** Shown while an answer is on its way; announced politely to screen readers. */
export function LoadingState({ label }: { label?: string }) {
  const { t } = useTranslation();
  return (
    <p className="state state-loading" role="status" aria-live="polite">
      {label ?? t('states.loading')}
    </p>
  );
}
