import { useTranslation } from 'react-i18next';
import { ProblemError, UnreachableError } from '../api/problem.ts';

/** Shown when a question failed: the API's own `detail` in its words, and a way to ask again. */
export function ErrorState({ error, retry }: { error: unknown; retry?: () => void }) {
  const { t } = useTranslation();
  let detail: string;
  if (error instanceof ProblemError) {
    detail = error.status === 403 ? t('states.forbidden') : error.problem.detail || error.problem.title;
  } else if (error instanceof UnreachableError) detail = t('states.unreachable');
  else detail = error instanceof Error ? error.message : String(error);
  return (
    <div className="state state-error" role="alert">
      <p>
        <strong>{t('states.errorTitle')}</strong>: {detail}
      </p>
      {retry && (
        <button type="button" onClick={retry}>
          {t('states.retry')}
        </button>
      )}
    </div>
  );
}
