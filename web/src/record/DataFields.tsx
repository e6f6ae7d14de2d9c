import { useTranslation } from 'react-i18next';
import { type ChargeDraft, emptyCharge, type FieldValue } from './event-draft.ts';
import type { FieldSpec } from './event-fields.ts';
import { Field } from './Field.tsx';
import type { ErrorsAt } from './field-errors.ts';

interface DataFieldsProps {
  readonly specs: readonly FieldSpec[];
  readonly values: Readonly<Record<string, FieldValue>>;
  readonly onValue: (path: string, value: FieldValue) => void;
  readonly charges: readonly ChargeDraft[];
  readonly onCharges: (charges: readonly ChargeDraft[]) => void;
  /** Errors under the object these fields fill (`events.0.data.`). */
  readonly errorsAt: ErrorsAt;
  /** Words of the labels: `fields.<path>` (data of events) or `subject.<path>` (the person). */
  readonly words: 'fields' | 'subject';
}

/** The fields of one event type's data (or of a subject), each labelled and carrying the API's messages. */
export function DataFields({ specs, values, onValue, charges, onCharges, errorsAt, words }: DataFieldsProps) {
  const { t } = useTranslation('record');
  const { t: tEvents } = useTranslation('events');
  return (
    <>
      {specs.map((spec) => {
        // A tick always says yes or no: "required" would ask for what cannot be missing.
        const marked = spec.required && spec.kind !== 'yesNo';
        const label = t(`${words}.${spec.path}`) + (marked ? ` ${t('required')}` : '');
        const text = typeof values[spec.path] === 'string' ? (values[spec.path] as string) : '';
        const ticked = values[spec.path] === true;
        const errors = errorsAt(spec.path);
        const hintKey = `hints.${words}.${spec.path}`;
        const hint = t(hintKey, { defaultValue: '' }) || undefined;
        switch (spec.kind) {
          case 'charges':
            return (
              <ChargesFields
                key={spec.path}
                charges={charges}
                onChange={onCharges}
                errorsAt={(path) => errorsAt(`${spec.path}.${path}`)}
                listErrors={errors.length > 0 && charges.length === 0 ? errors : []}
              />
            );
          case 'yesNo':
          case 'flag':
            return (
              <Field key={spec.path} label={label} hint={hint} errors={errors}>
                {(control) => (
                  <input
                    {...control}
                    type="checkbox"
                    className="record-tick"
                    checked={ticked}
                    onChange={(event) => onValue(spec.path, event.target.checked)}
                  />
                )}
              </Field>
            );
          case 'choice':
            return (
              <Field key={spec.path} label={label} hint={hint} errors={errors}>
                {(control) => (
                  <select
                    {...control}
                    value={text}
                    onChange={(event) => onValue(spec.path, event.target.value)}
                  >
                    <option value="">{t('choose')}</option>
                    {spec.options.map((option) => (
                      <option key={option} value={option}>
                        {tEvents(`${spec.words}.${option}`)}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            );
          case 'text':
            return (
              <Field key={spec.path} label={label} hint={hint} errors={errors}>
                {(control) => (
                  <textarea
                    {...control}
                    rows={3}
                    value={text}
                    onChange={(event) => onValue(spec.path, event.target.value)}
                  />
                )}
              </Field>
            );
          default:
            return (
              <Field key={spec.path} label={label} hint={hint} errors={errors}>
                {(control) => (
                  <input
                    {...control}
                    type={spec.kind === 'day' ? 'date' : 'text'}
                    inputMode={spec.kind === 'count' ? 'numeric' : undefined}
                    value={text}
                    onChange={(event) => onValue(spec.path, event.target.value)}
                  />
                )}
              </Field>
            );
        }
      })}
    </>
  );
}

interface ChargesFieldsProps {
  readonly charges: readonly ChargeDraft[];
  readonly onChange: (charges: readonly ChargeDraft[]) => void;
  readonly errorsAt: ErrorsAt;
  readonly listErrors: readonly string[];
}

/** The charges as a list: each its text and article, added and removed one by one. */
function ChargesFields({ charges, onChange, errorsAt, listErrors }: ChargesFieldsProps) {
  const { t } = useTranslation('record');
  const update = (index: number, change: Partial<ChargeDraft>) =>
    onChange(charges.map((charge, at) => (at === index ? { ...charge, ...change } : charge)));
  return (
    <fieldset>
      <legend>{t('fields.charges')}</legend>
      {listErrors.length > 0 && <p className="field-error">{listErrors.join('; ')}</p>}
      {charges.map((charge, index) => {
        const number = index + 1;
        return (
          <div key={charge.key} className="record-charge">
            <Field label={t('charges.text', { number })} errors={errorsAt(`${index}.text`)}>
              {(control) => (
                <textarea
                  {...control}
                  rows={2}
                  value={charge.text}
                  onChange={(event) => update(index, { text: event.target.value })}
                />
              )}
            </Field>
            <Field label={t('charges.article', { number })} errors={errorsAt(`${index}.article`)}>
              {(control) => (
                <input
                  {...control}
                  value={charge.article}
                  onChange={(event) => update(index, { article: event.target.value })}
                />
              )}
            </Field>
            <button
              type="button"
              className="secondary"
              onClick={() => onChange(charges.filter((_, at) => at !== index))}
            >
              {t('charges.remove', { number })}
            </button>
          </div>
        );
      })}
      <button type="button" className="secondary" onClick={() => onChange([...charges, emptyCharge()])}>
        {t('charges.add')}
      </button>
    </fieldset>
  );
}
