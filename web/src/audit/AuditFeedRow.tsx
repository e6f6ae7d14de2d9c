import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { useOccurredAtWords } from '../dates/occurred-at-words.ts';
import { useFormats } from '../i18n/format.ts';
import type { AuditEvent } from './use-audit-feed.ts';

/** One recorded event: when and by whom the ledger recorded it, in which case, what it says happened and when. */
export function AuditFeedRow({ event }: { event: AuditEvent }) {
  const { t } = useTranslation('audit');
  const { t: tEvents } = useTranslation('events');
  const formats = useFormats();
  const occurred = useOccurredAtWords()(event.occurredAt);
  return (
    <tr>
      <td data-label={t('table.recordedAt')}>
        <time dateTime={event.recordedAt}>{formats.dateTime(event.recordedAt)}</time>
      </td>
      <td data-label={t('table.recordedBy')}>{event.recordedBy}</td>
      <td data-label={t('table.case')}>
        <span>
          <Link href={`/cases/${encodeURIComponent(event.streamId)}`}>{event.streamId}</Link>{' '}
          <span className="hint">{t('table.version', { version: formats.number(event.version) })}</span>
        </span>
      </td>
      <td data-label={t('table.event')}>{tEvents(`types.${event.type}`)}</td>
      <td data-label={t('table.occurred')}>{occurred.ok ? occurred.words : event.occurredAt}</td>
    </tr>
  );
}
