import { useTranslation } from 'react-i18next';
import { useFormats } from '../i18n/format.ts';
import { QueryState } from '../states/QueryState.tsx';
import { useSummary } from './board-queries.ts';
import { CASE_STATUSES } from './board-query.ts';
import { dayWords } from './day-words.ts';

/** How many cases had each status at the end of the chosen day, as the API counts them. */
export function StatusCounts({ group, asOf }: { group: string | undefined; asOf: string }) {
  const { t } = useTranslation('board');
  const { t: words } = useTranslation('events');
  const formats = useFormats();
  const summary = useSummary(group, asOf);
  return (
    <section className="board-panel" aria-labelledby="board-counts">
      <h2 id="board-counts">{t('counts.title', { day: dayWords(formats, asOf) })}</h2>
      <QueryState query={summary}>
        {(counts) => (
          <dl className="status-counts">
            <div className="status-count status-total">
              <dt>{t('counts.total')}</dt>
              <dd>{formats.number(counts.total)}</dd>
            </div>
            {CASE_STATUSES.map((status) => (
              <div key={status} className={`status-count status-${status}`}>
                <dt>{words(`statuses.${status}`)}</dt>
                <dd>{formats.number(counts.byStatus[status] ?? 0)}</dd>
              </div>
            ))}
          </dl>
        )}
      </QueryState>
    </section>
  );
}
