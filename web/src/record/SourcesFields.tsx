import { useTranslation } from 'react-i18next';
import { emptySource, type SourceDraft } from './event-draft.ts';
import { Field } from './Field.tsx';
import type { ErrorsAt } from './field-errors.ts';
import { OccurredAtField } from './OccurredAtField.tsx';

interface SourcesFieldsProps {
  readonly sources: readonly SourceDraft[];
  readonly onChange: (sources: readonly SourceDraft[]) => void;
  /** Errors under the event's `sources.` (the first source's title is `0.title`). */
  readonly errorsAt: ErrorsAt;
  /** Messages about the list as a whole ("at least one source"). */
  readonly listErrors: readonly string[];
}

/** Where the fact comes from: at least one source with its title; the others' fields optional. */
export function SourcesFields({ sources, onChange, errorsAt, listErrors }: SourcesFieldsProps) {
  const { t } = useTranslation('record');
  const update = (index: number, change: Partial<SourceDraft>) =>
    onChange(sources.map((source, at) => (at === index ? { ...source, ...change } : source)));
  return (
    <fieldset className="record-sources">
      <legend>{t('sources.legend')}</legend>
      {listErrors.length > 0 && (
        <p className="field-error" role="alert">
          {listErrors.join('; ')}
        </p>
      )}
      {sources.map((source, index) => {
        const number = index + 1;
        return (
          <fieldset key={source.key} className="record-source">
            <legend>{t('sources.one', { number })}</legend>
            <Field
              label={t('sources.title', { number })}
              hint={t('sources.titleHint')}
              errors={errorsAt(`${index}.title`)}
            >
              {(control) => (
                <input
                  {...control}
                  value={source.title}
                  onChange={(event) => update(index, { title: event.target.value })}
                />
              )}
            </Field>
            <Field label={t('sources.url', { number })} errors={errorsAt(`${index}.url`)}>
              {(control) => (
                <input
                  {...control}
                  type="url"
                  inputMode="url"
                  value={source.url}
                  onChange={(event) => update(index, { url: event.target.value })}
                />
              )}
            </Field>
            <Field label={t('sources.publisher', { number })} errors={errorsAt(`${index}.publisher`)}>
              {(control) => (
                <input
                  {...control}
                  value={source.publisher}
                  onChange={(event) => update(index, { publisher: event.target.value })}
                />
              )}
            </Field>
            <OccurredAtField
              label={t('sources.publishedAt', { number })}
              value={source.publishedAt}
              onChange={(publishedAt) => update(index, { publishedAt })}
              errors={errorsAt(`${index}.publishedAt`)}
              optional
            />
            <button
              type="button"
              className="secondary"
              onClick={() => onChange(sources.filter((_, at) => at !== index))}
            >
              {t('sources.remove', { number })}
            </button>
          </fieldset>
        );
      })}
      <button type="button" className="secondary" onClick={() => onChange([...sources, emptySource()])}>
        {t('sources.add')}
      </button>
    </fieldset>
  );
}
