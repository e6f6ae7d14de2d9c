import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { dataOf, ProblemError } from '../api/problem.ts';
import { useFormats } from '../i18n/format.ts';
import { useSession } from '../session/SessionContext.tsx';
import { ErrorState } from '../states/ErrorState.tsx';
import { refreshCase } from './case-queries.ts';

/**
 * For admins: erase the person of a case (their key is destroyed; the facts stay). A reason is required, and
 * the case id typed out, so nobody erases by a slip of the mouse; a retry sends the same event id, so it
 * never erases twice.
 */
export function EraseSection({ caseId }: { caseId: string }) {
  const { t } = useTranslation('case');
  const { api } = useSession();
  const formats = useFormats();
  const queries = useQueryClient();
  const reasonId = useId();
  const confirmId = useId();
  const [reason, setReason] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [refused, setRefused] = useState<string | undefined>();
  // One erasure, one event id, however often it is retried; a new reason is a new erasure.
  const eventId = useRef<string>(crypto.randomUUID());

  const erase = useMutation({
    mutationFn: () =>
      dataOf(
        api.POST('/cases/{caseId}/erase', {
          params: { path: { caseId } },
          body: { reason: reason.trim(), eventId: eventId.current },
        }),
      ),
    onSuccess: () => {
      refreshCase(queries, caseId);
    },
  });

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    if (reason.trim() === '') return setRefused(t('erase.reasonRequired'));
    if (confirmation.trim() !== caseId) return setRefused(t('erase.confirmMismatch', { caseId }));
    setRefused(undefined);
    erase.mutate();
  };
  const reasonErrors = erase.error instanceof ProblemError ? erase.error.fieldMessages('reason') : [];

  return (
    <section className="erase-section" aria-labelledby="erase-title">
      <h2 id="erase-title">{t('erase.title')}</h2>
      <p>{t('erase.explain')}</p>
      <form onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor={reasonId}>{t('erase.reason')}</label>
          <textarea
            id={reasonId}
            value={reason}
            required
            aria-invalid={reasonErrors.length > 0 || undefined}
            aria-describedby={reasonErrors.length > 0 ? `${reasonId}-error` : undefined}
            onChange={(event) => {
              setReason(event.target.value);
              eventId.current = crypto.randomUUID();
            }}
          />
          {reasonErrors.length > 0 && (
            <p className="field-error" id={`${reasonId}-error`}>
              {reasonErrors.join(' ')}
            </p>
          )}
        </div>
        <div className="field">
          <label htmlFor={confirmId}>{t('erase.confirm', { caseId })}</label>
          <input
            id={confirmId}
            value={confirmation}
            autoComplete="off"
            spellCheck={false}
            onChange={(event) => setConfirmation(event.target.value)}
          />
        </div>
        <button type="submit" className="danger" disabled={erase.isPending}>
          {t('erase.submit')}
        </button>
      </form>
      {refused && (
        <p className="field-error" role="alert">
          {refused}
        </p>
      )}
      {erase.isError && <ErrorState error={erase.error} />}
      {erase.isSuccess && (
        <p role="status" className="banner">
          {t('erase.done', {
            version: erase.data.version,
            at: formats.dateTime(erase.data.event.recordedAt),
            by: erase.data.event.recordedBy,
          })}
        </p>
      )}
    </section>
  );
}
