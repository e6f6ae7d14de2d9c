import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ProblemError } from '../api/problem.ts';
import { useFormats } from '../i18n/format.ts';
import { ErrorState } from '../states/ErrorState.tsx';
import { LoadingState } from '../states/LoadingState.tsx';
import { ProofVerdictNotice } from './ProofVerdictNotice.tsx';
import { type LedgerDigest, useCaseProofCheck } from './use-ledger.ts';

/** A case id in, its proof in the newest digest out, checked in this browser. */
export function CaseProofCheck({ digest }: { digest: LedgerDigest }) {
  const { t } = useTranslation('ledger');
  const formats = useFormats();
  const [typed, setTyped] = useState('');
  const [asked, setAsked] = useState<string | undefined>();
  const [empty, setEmpty] = useState(false);
  const check = useCaseProofCheck(asked, digest);
  const ids = { caseId: useId(), hint: useId(), error: useId() };
  // The API's refusal (no such case in the digest, an id it cannot take) is about the id: it goes at the field.
  const refusal =
    check.error instanceof ProblemError && (check.error.status === 400 || check.error.status === 404)
      ? check.error
      : undefined;
  const fieldError = empty
    ? t('proof.noCaseId')
    : refusal
      ? [refusal.problem.detail, ...refusal.fieldMessages('caseId')].filter(Boolean).join(': ')
      : undefined;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const caseId = typed.trim();
    setEmpty(caseId === '');
    if (caseId === '') return;
    if (caseId === asked) void check.refetch();
    else setAsked(caseId);
  };

  return (
    <div className="case-proof-check">
      <form onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor={ids.caseId}>{t('proof.caseId')}</label>
          <input
            id={ids.caseId}
            value={typed}
            onChange={(event) => setTyped(event.target.value)}
            autoComplete="off"
            spellCheck={false}
            aria-invalid={fieldError !== undefined}
            aria-describedby={fieldError === undefined ? ids.hint : `${ids.hint} ${ids.error}`}
          />
          <small id={ids.hint}>{t('proof.caseIdHint', { sequence: formats.number(digest.sequence) })}</small>
          {fieldError !== undefined && (
            <p className="field-error" id={ids.error} role="alert">
              {fieldError}
            </p>
          )}
        </div>
        <button type="submit" disabled={check.isFetching}>
          {t('proof.check')}
        </button>
      </form>
      {asked !== undefined && check.isFetching && <LoadingState label={t('proof.checking')} />}
      {check.isPaused && <p className="state state-offline">{t('common:states.offline')}</p>}
      {check.isError && !refusal && <ErrorState error={check.error} retry={() => void check.refetch()} />}
      {check.isSuccess && !check.isFetching && <ProofVerdictNotice checked={check.data} />}
    </div>
  );
}
