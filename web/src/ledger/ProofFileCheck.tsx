import { type ChangeEvent, useId } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorState } from '../states/ErrorState.tsx';
import { LoadingState } from '../states/LoadingState.tsx';
import { ProofVerdictNotice } from './ProofVerdictNotice.tsx';
import { ProofFileError, useProofFileCheck } from './use-ledger.ts';

/** A proof file chosen from disk (a case page's download), checked against the digest the server holds. */
export function ProofFileCheck() {
  const { t } = useTranslation('ledger');
  const check = useProofFileCheck();
  const ids = { file: useId(), hint: useId(), error: useId() };
  const fileError = check.error instanceof ProofFileError ? check.error : undefined;

  const choose = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    if (file) check.mutate(file);
  };

  return (
    <div className="proof-file-check">
      <div className="field">
        <label htmlFor={ids.file}>{t('file.label')}</label>
        <input
          id={ids.file}
          type="file"
          accept="application/json,.json"
          onChange={choose}
          aria-invalid={fileError !== undefined}
          aria-describedby={fileError === undefined ? ids.hint : `${ids.hint} ${ids.error}`}
        />
        <small id={ids.hint}>{t('file.hint')}</small>
        {fileError && (
          <p className="field-error" id={ids.error} role="alert">
            {t(`file.errors.${fileError.code}`)}
          </p>
        )}
      </div>
      {check.isPending && <LoadingState label={t('proof.checking')} />}
      {check.isError && !fileError && <ErrorState error={check.error} />}
      {check.isSuccess && <ProofVerdictNotice checked={check.data} />}
    </div>
  );
}
