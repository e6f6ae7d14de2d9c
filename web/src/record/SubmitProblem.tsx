import { useTranslation } from 'react-i18next';
import { ProblemError, UnreachableError } from '../api/problem.ts';

/**
 * Why a submission did not go through, above the form: the API's own words (its field messages are at the
 * fields), or that the ledger could not be reached and a retry is safe — it sends the same ids.
 */
export function SubmitProblem({ error, retry }: { error: unknown; retry: () => void }) {
  const { t } = useTranslation('record');
  const { t: tCommon } = useTranslation();
  if (error === null || error === undefined) return null;
  if (error instanceof UnreachableError) {
    return (
      <div className="state state-error" role="alert">
        <p>{t('submit.unreachable')}</p>
        <button type="button" onClick={retry}>
          {t('submit.retrySame')}
        </button>
      </div>
    );
  }
  const detail =
    error instanceof ProblemError
      ? error.status === 403
        ? tCommon('states.forbidden')
        : error.problem.detail || error.problem.title
      : error instanceof Error
        ? error.message
        : String(error);
  return (
    <div className="state state-error" role="alert">
      <p>
        <strong>{t('submit.refused')}</strong> {detail}
      </p>
      {error instanceof ProblemError && (error.problem.errors?.length ?? 0) > 0 && (
        <p>{t('submit.seeFields')}</p>
      )}
    </div>
  );
}
