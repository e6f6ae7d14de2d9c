import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useSession } from '../session/SessionContext.tsx';
import { EmptyState } from '../states/EmptyState.tsx';
import { QueryState } from '../states/QueryState.tsx';
import { allEvents, type CaseView } from './case-reads.ts';
import { EventLine } from './EventLine.tsx';
import { RetractAction } from './RetractAction.tsx';

/**
 * The case's events as recorded, newest first, for the one who records: which are pending (an uncertain date
 * not yet passed), which are retracted and why, and "Retract" on those that stand.
 */
export function RecordedEvents({ view }: { view: CaseView }) {
  const { t } = useTranslation('record');
  const { api } = useSession();
  const events = useQuery({
    queryKey: ['events', view.caseId, 'record'],
    queryFn: () => allEvents(api, view.caseId),
  });
  return (
    <section aria-labelledby="recorded-events">
      <h2 id="recorded-events">{t('events.title')}</h2>
      <QueryState query={events}>
        {(found) => {
          const retractions = new Map<string, string>();
          for (const event of found) {
            if (event.type === 'Retracted') retractions.set(event.data.eventId, event.data.reason);
          }
          const pending = new Set(view.pending);
          const head = found.at(-1)?.version ?? view.version;
          if (found.length === 0) return <EmptyState />;
          return (
            <ol reversed className="record-events">
              {[...found].reverse().map((event) => {
                const reason = retractions.get(event.eventId);
                return (
                  <li key={event.eventId}>
                    <span className={reason !== undefined ? 'retracted' : undefined}>
                      <EventLine event={event} />
                    </span>{' '}
                    {pending.has(event.eventId) && (
                      <span className="badge badge-pending">{t('events.pending')}</span>
                    )}
                    {reason !== undefined && (
                      <p className="hint">{t('events.retractedBecause', { reason })}</p>
                    )}
                    {reason === undefined && event.type !== 'Retracted' && event.type !== 'CaseOpened' && (
                      <RetractAction caseId={view.caseId} eventId={event.eventId} version={head} />
                    )}
                  </li>
                );
              })}
            </ol>
          );
        }}
      </QueryState>
    </section>
  );
}
