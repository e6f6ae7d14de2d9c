import { useTranslation } from 'react-i18next';
import { ProblemError } from '../api/problem.ts';
import { useFormats } from '../i18n/format.ts';
import { EmptyState } from '../states/EmptyState.tsx';
import { ErrorState } from '../states/ErrorState.tsx';
import { useOnline } from '../states/OfflineBanner.tsx';
import { QueryState } from '../states/QueryState.tsx';
import { AuditFeedRow } from './AuditFeedRow.tsx';
import type { AuditRange } from './audit-range.ts';
import { momentWords } from './moment-words.ts';
import type { useAuditFeed } from './use-audit-feed.ts';

interface AuditFeedProps {
  readonly range: AuditRange;
  readonly feed: ReturnType<typeof useAuditFeed>;
}

/** The feed in recorded order, the pages asked so far one after the other, and a way to ask for more. */
export function AuditFeed({ range, feed }: AuditFeedProps) {
  const { t } = useTranslation('audit');
  const formats = useFormats();
  const online = useOnline();
  const from = momentWords(range.from, formats);
  const span =
    range.to === undefined
      ? t('range.sinceWords', { from })
      : t('range.betweenWords', { from, to: momentWords(range.to, formats) });

  // A 400 is about the range as typed: asking again would only be refused again.
  if (feed.isError && feed.error instanceof ProblemError && feed.error.status < 500 && !feed.data) {
    return <ErrorState error={feed.error} />;
  }
  return (
    <QueryState query={feed} loading={t('loading')}>
      {(data) => {
        const events = data.pages.flatMap((page) => page.events);
        if (events.length === 0) return <EmptyState>{t('empty', { span })}</EmptyState>;
        return (
          <>
            <div className="table-wrap audit-feed">
              <table>
                <caption>{t('table.caption', { span })}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('table.recordedAt')}</th>
                    <th scope="col">{t('table.recordedBy')}</th>
                    <th scope="col">{t('table.case')}</th>
                    <th scope="col">{t('table.event')}</th>
                    <th scope="col">{t('table.occurred')}</th>
                  </tr>
                </thead>
                <tbody>
                  {events.map((event) => (
                    <AuditFeedRow key={`${event.streamId}/${event.version}`} event={event} />
                  ))}
                </tbody>
              </table>
            </div>
            <p className="audit-feed-count" role="status">
              {t(feed.hasNextPage ? 'shownSoFar' : 'shownAll', { count: formats.number(events.length) })}
            </p>
            {feed.isFetchNextPageError && (
              <ErrorState error={feed.error} retry={() => void feed.fetchNextPage()} />
            )}
            {feed.hasNextPage && (
              <button
                type="button"
                onClick={() => void feed.fetchNextPage()}
                disabled={feed.isFetchingNextPage || !online}
              >
                {feed.isFetchingNextPage ? t('loadingMore') : t('loadMore')}
              </button>
            )}
          </>
        );
      }}
    </QueryState>
  );
}
