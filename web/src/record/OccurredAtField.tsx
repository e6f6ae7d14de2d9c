import { useTranslation } from 'react-i18next';
import { useOccurredAtWords } from '../dates/occurred-at-words.ts';
import { useFormats } from '../i18n/format.ts';
import { Field } from './Field.tsx';

interface OccurredAtFieldProps {
  readonly label: string;
  readonly value: string;
  readonly onChange: (value: string) => void;
  readonly errors: readonly string[];
  /** Whether an empty value is allowed (a source's published date), so no "cannot be read" for it. */
  readonly optional?: boolean;
}

const today = () => new Date().toISOString().slice(0, 10);
const dayOf = (moment: number) => new Date(moment).toISOString().slice(0, 10);
const thisMonth = () => new Date().toISOString().slice(0, 7);

/**
 * A date as the ledger reads it — a day, a month, a year, uncertain or approximate, an interval — typed as
 * text, with what the ledger will understand said in words as it is typed (from the domain's own parser), or
 * the parser's reason when it cannot be read.
 */
export function OccurredAtField({ label, value, onChange, errors, optional = false }: OccurredAtFieldProps) {
  const { t } = useTranslation('record');
  const { t: tDates } = useTranslation('dates');
  const wordsOf = useOccurredAtWords();
  const formats = useFormats();
  const typed = value.trim();
  const read = typed === '' ? undefined : wordsOf(typed);
  const live =
    read === undefined ? (
      optional ? (
        ''
      ) : (
        t('date.empty')
      )
    ) : read.ok ? (
      <>
        <strong>{read.words}</strong>
        {/* One day needs no bounds; a month, a year or an interval says which days it spans. */}
        {dayOf(read.earliest) !== dayOf(read.latest) && (
          <>
            {' '}
            <span className="hint">
              {tDates('bounds', {
                earliest: formats.day(dayOf(read.earliest)),
                latest: formats.day(dayOf(read.latest)),
              })}
            </span>
          </>
        )}
      </>
    ) : (
      <span className="field-error">{t('date.unreadable', { message: read.message })}</span>
    );
  return (
    <Field label={label} hint={tDates('formatHint')} errors={errors} live={live}>
      {(control) => (
        <div className="record-date">
          <input
            {...control}
            type="text"
            inputMode="text"
            autoComplete="off"
            spellCheck={false}
            value={value}
            onChange={(event) => onChange(event.target.value)}
          />
          {!optional && (
            <span className="record-quick">
              <button type="button" className="secondary" onClick={() => onChange(today())}>
                {t('date.today')}
              </button>
              <button type="button" className="secondary" onClick={() => onChange(`${thisMonth()}?`)}>
                {t('date.thisMonthUncertain')}
              </button>
            </span>
          )}
        </div>
      )}
    </Field>
  );
}
