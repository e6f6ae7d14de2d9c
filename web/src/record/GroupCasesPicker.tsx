import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { CaseView } from './case-reads.ts';

interface GroupCasesPickerProps {
  readonly cases: readonly CaseView[];
  readonly chosen: ReadonlySet<string>;
  readonly onChange: (chosen: ReadonlySet<string>) => void;
  readonly errors: readonly string[];
}

/** The cases of a group to record for: each ticked on its own, or all at once. */
export function GroupCasesPicker({ cases, chosen, onChange, errors }: GroupCasesPickerProps) {
  const { t } = useTranslation('record');
  const { t: tEvents } = useTranslation('events');
  const id = useId();
  const all = cases.length > 0 && cases.every((found) => chosen.has(found.caseId));
  const errorId = `${id}-error`;
  return (
    <fieldset aria-describedby={errors.length > 0 ? errorId : undefined}>
      <legend>{t('group.cases', { chosen: chosen.size, count: cases.length })}</legend>
      {errors.length > 0 && (
        <p id={errorId} className="field-error">
          {errors.join('; ')}
        </p>
      )}
      <div className="check">
        <input
          id={`${id}-all`}
          type="checkbox"
          checked={all}
          onChange={(event) =>
            onChange(new Set(event.target.checked ? cases.map((found) => found.caseId) : []))
          }
        />
        <label htmlFor={`${id}-all`}>{t('group.selectAll')}</label>
      </div>
      <ul className="record-cases">
        {cases.map((found) => (
          <li key={found.caseId} className="check">
            <input
              id={`${id}-${found.caseId}`}
              type="checkbox"
              checked={chosen.has(found.caseId)}
              onChange={(event) => {
                const next = new Set(chosen);
                if (event.target.checked) next.add(found.caseId);
                else next.delete(found.caseId);
                onChange(next);
              }}
            />
            <label htmlFor={`${id}-${found.caseId}`}>
              {found.caseId}{' '}
              <span className="hint">
                {tEvents(`statuses.${found.status}`)}
                {found.facility !== null && `, ${found.facility}`}
              </span>
            </label>
          </li>
        ))}
      </ul>
    </fieldset>
  );
}
