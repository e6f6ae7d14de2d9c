import { useTranslation } from 'react-i18next';
import { useFormats } from '../i18n/format.ts';
import type { ShownEvent } from './case-queries.ts';
import { isPlaceholder, shownText } from './shown-text.ts';

type Charge = { text: string; article?: string };
type Term = { years?: number; months?: number; life?: boolean };

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The facts of an event's `data` in words, one line per field, texts as written. */
export function EventFacts({ event }: { event: ShownEvent }) {
  const { t } = useTranslation('case');
  const { t: tEvents } = useTranslation('events');
  const formats = useFormats();
  const data = event.data as Record<string, unknown>;

  const wordsOf = (field: string, value: unknown): string => {
    if (typeof value === 'boolean') return t(value ? 'facts.yes' : 'facts.no');
    if (typeof value === 'number') return formats.number(value);
    if (typeof value === 'string') {
      if (field === 'mode') return tEvents(`releaseModes.${value}`);
      if (field === 'kind') return tEvents(`familyContactKinds.${value}`);
      if (field === 'attended') return tEvents(`hearingAttendances.${value}`);
      if (DAY.test(value) && (field === 'on' || field === 'until')) return formats.day(value);
      return shownText(value, t);
    }
    if (Array.isArray(value)) {
      return value
        .map((item) => {
          if (typeof item === 'string') return shownText(item, t);
          const charge = item as Charge;
          const text = shownText(charge.text, t);
          return charge.article ? `${text} (${t('summary.article', { article: charge.article })})` : text;
        })
        .join('; ');
    }
    if (typeof value === 'object' && value !== null) {
      const term = value as Term;
      if (term.life) return t('facts.life');
      return [
        term.years !== undefined && t('facts.years', { count: term.years }),
        term.months !== undefined && t('facts.months', { count: term.months }),
      ]
        .filter(Boolean)
        .join(' ');
    }
    return String(value);
  };

  const entries = Object.entries(data).filter(
    ([field]) => field !== 'subject' && !(event.type === 'Retracted' && field === 'eventId'),
  );
  if (entries.length === 0) return null;
  return (
    <dl className="event-facts">
      {entries.map(([field, value]) => (
        <div key={field}>
          <dt>{t(`facts.fields.${field}`, { defaultValue: field })}</dt>
          <dd className={typeof value === 'string' && isPlaceholder(value) ? 'placeholder' : undefined}>
            {wordsOf(field, value)}
          </dd>
        </div>
      ))}
    </dl>
  );
}
