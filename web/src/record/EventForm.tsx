import { useTranslation } from 'react-i18next';
import { DataFields } from './DataFields.tsx';
import { type EventDraft, emptyDraft } from './event-draft.ts';
import { EVENT_FIELDS, FORM_EVENT_TYPES, type FormEventType } from './event-fields.ts';
import { Field } from './Field.tsx';
import { type ErrorsAt, errorsOf, exactlyAt, within } from './field-errors.ts';
import { OccurredAtField } from './OccurredAtField.tsx';
import { SourcesFields } from './SourcesFields.tsx';

interface EventFormProps {
  readonly draft: EventDraft;
  readonly onChange: (draft: EventDraft) => void;
  /** The last refusal, whose field errors are shown at their fields. */
  readonly error: unknown;
  /** Where this event sits in the request: `events.0.` */
  readonly prefix: string;
  /** The types offered; all the form records by default. */
  readonly types?: readonly FormEventType[];
}

/**
 * One event of any type the form records: its type, when (in words as typed), the fields of its type, its
 * sources and a note. Changing the type keeps the date, sources and note, and starts the type's own fields.
 */
export function EventForm({ draft, onChange, error, prefix, types = FORM_EVENT_TYPES }: EventFormProps) {
  const { t } = useTranslation('record');
  const { t: tEvents } = useTranslation('events');
  const errorsAt: ErrorsAt = within(errorsOf(error), prefix);
  const dataRoot = `${prefix}data`;
  // Rules about the data as a whole ("give exactly one of until and months") or about a group of fields
  // ("term: give years, months or life") have no one field to sit at: they are said above the fields.
  const groups = new Set(
    EVENT_FIELDS[draft.type].filter((spec) => spec.path.includes('.')).map((spec) => spec.path.split('.')[0]),
  );
  const wholeData = [
    ...exactlyAt(error, dataRoot),
    ...[...groups].flatMap((group) => exactlyAt(error, `${dataRoot}.${group}`)),
  ];
  return (
    <>
      {types.length > 1 && (
        <Field label={t('form.type')} errors={errorsAt('type')}>
          {(control) => (
            <select
              {...control}
              value={draft.type}
              onChange={(event) => {
                const type = event.target.value as FormEventType;
                onChange({
                  ...emptyDraft(type),
                  occurredAt: draft.occurredAt,
                  sources: draft.sources,
                  note: draft.note,
                });
              }}
            >
              {types.map((type) => (
                <option key={type} value={type}>
                  {tEvents(`types.${type}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      <OccurredAtField
        label={`${t('form.occurredAt')} ${t('required')}`}
        value={draft.occurredAt}
        onChange={(occurredAt) => onChange({ ...draft, occurredAt })}
        errors={errorsAt('occurredAt')}
      />
      <fieldset>
        <legend>{t('form.details', { type: tEvents(`types.${draft.type}`) })}</legend>
        {wholeData.length > 0 && <p className="field-error">{wholeData.join('; ')}</p>}
        <DataFields
          specs={EVENT_FIELDS[draft.type]}
          values={draft.values}
          onValue={(path, value) => onChange({ ...draft, values: { ...draft.values, [path]: value } })}
          charges={draft.charges}
          onCharges={(charges) => onChange({ ...draft, charges })}
          errorsAt={within(errorsAt, 'data.')}
          words="fields"
        />
      </fieldset>
      <SourcesFields
        sources={draft.sources}
        onChange={(sources) => onChange({ ...draft, sources })}
        errorsAt={within(errorsAt, 'sources.')}
        listErrors={exactlyAt(error, `${prefix}sources`)}
      />
      <Field label={t('form.note')} hint={t('form.noteHint')} errors={errorsAt('note')}>
        {(control) => (
          <textarea
            {...control}
            rows={3}
            value={draft.note}
            onChange={(event) => onChange({ ...draft, note: event.target.value })}
          />
        )}
      </Field>
    </>
  );
}
