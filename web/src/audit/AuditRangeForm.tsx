import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ProblemError } from '../api/problem.ts';
import { type AuditRange, PAGE_SIZES } from './audit-range.ts';

interface AuditRangeFormProps {
  readonly range: AuditRange;
  /** The feed's refusal, if any: its field errors are shown at From and To. */
  readonly error: unknown;
  readonly onChoose: (range: AuditRange) => void;
}

/** From, To and how many per page; the range is sent as typed and the API's own words come back at the fields. */
export function AuditRangeForm({ range, error, onChoose }: AuditRangeFormProps) {
  const { t } = useTranslation('audit');
  const [from, setFrom] = useState(range.from);
  const [to, setTo] = useState(range.to ?? '');
  const [limit, setLimit] = useState(range.limit);
  const ids = {
    from: useId(),
    to: useId(),
    limit: useId(),
    hint: useId(),
    fromError: useId(),
    toError: useId(),
  };
  const refused = error instanceof ProblemError && error.status === 400 ? error : undefined;
  const fromErrors = refused?.fieldMessages('from') ?? [];
  const toErrors = refused?.fieldMessages('to') ?? [];

  const submit = (event: FormEvent) => {
    event.preventDefault();
    onChoose({ from: from.trim(), to: to.trim() === '' ? undefined : to.trim(), limit });
  };

  const describedBy = (errorId: string, errors: readonly string[]) =>
    errors.length > 0 ? `${ids.hint} ${errorId}` : ids.hint;

  return (
    <form className="audit-range" onSubmit={submit} noValidate>
      <fieldset>
        <legend>{t('range.legend')}</legend>
        <p className="hint" id={ids.hint}>
          {t('range.hint')}
        </p>
        <div className="audit-range-fields">
          <div className="field">
            <label htmlFor={ids.from}>{t('range.from')}</label>
            <input
              id={ids.from}
              name="from"
              value={from}
              onChange={(event) => setFrom(event.target.value)}
              autoComplete="off"
              required
              aria-invalid={fromErrors.length > 0}
              aria-describedby={describedBy(ids.fromError, fromErrors)}
            />
            {fromErrors.length > 0 && (
              <p className="field-error" id={ids.fromError}>
                {fromErrors.join('; ')}
              </p>
            )}
          </div>
          <div className="field">
            <label htmlFor={ids.to}>{t('range.to')}</label>
            <input
              id={ids.to}
              name="to"
              value={to}
              onChange={(event) => setTo(event.target.value)}
              autoComplete="off"
              placeholder={t('range.toPlaceholder')}
              aria-invalid={toErrors.length > 0}
              aria-describedby={describedBy(ids.toError, toErrors)}
            />
            {toErrors.length > 0 && (
              <p className="field-error" id={ids.toError}>
                {toErrors.join('; ')}
              </p>
            )}
          </div>
          <div className="field">
            <label htmlFor={ids.limit}>{t('range.perPage')}</label>
            <select id={ids.limit} value={limit} onChange={(event) => setLimit(Number(event.target.value))}>
              {PAGE_SIZES.map((size) => (
                <option key={size} value={size}>
                  {size}
                </option>
              ))}
            </select>
          </div>
          <div className="field audit-range-submit">
            <button type="submit">{t('range.show')}</button>
          </div>
        </div>
      </fieldset>
    </form>
  );
}
