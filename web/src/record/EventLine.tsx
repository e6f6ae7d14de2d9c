import { useTranslation } from 'react-i18next';
import { useOccurredAtWords } from '../dates/occurred-at-words.ts';
import { useFormats } from '../i18n/format.ts';
import type { ShownEvent } from './case-reads.ts';

/** One recorded event in words: its type, when it happened, who recorded it and when. */
export function EventLine({ event }: { event: ShownEvent }) {
  const { t } = useTranslation('record');
  const { t: tEvents } = useTranslation('events');
  const wordsOf = useOccurredAtWords();
  const formats = useFormats();
  const when = wordsOf(event.occurredAt);
  return (
    <>
      <strong>{tEvents(`types.${event.type}`)}</strong>, {when.ok ? when.words : event.occurredAt}{' '}
      <span className="hint">
        {t('recordedBy', { who: event.recordedBy, at: formats.dateTime(event.recordedAt) })}
      </span>
    </>
  );
}
