import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { instantOfLocalInput, localInputOf } from './case-moments.ts';
import type { Moments } from './case-queries.ts';

interface CaseClocksProps {
  readonly moments: Moments;
  readonly onChange: (next: Moments) => void;
  /** Whether the signed-in roles may ask what the ledger knew at a past moment. */
  readonly mayAskKnownAt: boolean;
}

/** The two clocks: "As of" a day (what was true then) and "Known at" a moment (what the ledger knew then). */
export function CaseClocks({ moments, onChange, mayAskKnownAt }: CaseClocksProps) {
  const { t } = useTranslation('case');
  const asOfId = useId();
  const knownAtId = useId();
  return (
    <fieldset className="case-clocks">
      <legend>{t('clocks.legend')}</legend>
      <div className="field">
        <label htmlFor={asOfId}>{t('clocks.asOf')}</label>
        <input
          id={asOfId}
          type="date"
          value={moments.asOf ?? ''}
          onChange={(event) => onChange({ ...moments, asOf: event.target.value || undefined })}
          aria-describedby={`${asOfId}-hint`}
        />
        <small id={`${asOfId}-hint`}>{t('clocks.asOfHint')}</small>
      </div>
      {mayAskKnownAt && (
        <div className="field">
          <label htmlFor={knownAtId}>{t('clocks.knownAt')}</label>
          <input
            id={knownAtId}
            type="datetime-local"
            step={1}
            value={localInputOf(moments.knownAt)}
            onChange={(event) => onChange({ ...moments, knownAt: instantOfLocalInput(event.target.value) })}
            aria-describedby={`${knownAtId}-hint`}
          />
          <small id={`${knownAtId}-hint`}>{t('clocks.knownAtHint')}</small>
        </div>
      )}
      {(moments.asOf || moments.knownAt) && (
        <button type="button" onClick={() => onChange({})}>
          {t('clocks.now')}
        </button>
      )}
    </fieldset>
  );
}
