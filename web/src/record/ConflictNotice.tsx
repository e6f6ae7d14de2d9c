import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { caseHistory } from '../api/case-history.ts';
import { mayCall } from '../session/permissions.ts';
import { useSession } from '../session/SessionContext.tsx';
import { QueryState } from '../states/QueryState.tsx';
import { caseView } from './case-reads.ts';
import { EventLine } from './EventLine.tsx';

interface ConflictNoticeProps {
  readonly caseId: string;
  /** The version the form was filled against. */
  readonly since: number;
  /** Resubmits the same event (the same id) on top of the version now read. */
  readonly onRecordOnTop: (version: number) => void;
  readonly busy: boolean;
}

interface Change {
  readonly version: number;
  readonly events: Awaited<ReturnType<typeof caseHistory>> | undefined;
}

/**
 * The answer to a 412: someone else recorded on this case since the version on screen. It reads the case again
 * and says what changed — the events since that version, in words, where the roles may read them — and lets
 * the person record on top once they have seen it.
 */
export function ConflictNotice({ caseId, since, onRecordOnTop, busy }: ConflictNoticeProps) {
  const { t } = useTranslation('record');
  const { api, session } = useSession();
  const readsEvents = mayCall(session?.roles ?? [], 'GET /cases/{caseId}/events');
  const change = useQuery({
    queryKey: ['events', caseId, 'since', since],
    queryFn: async (): Promise<Change> => {
      if (readsEvents) {
        const events = (await caseHistory(api, caseId)).filter((event) => event.version > since);
        const head = events.at(-1)?.version ?? since;
        return { version: head, events };
      }
      return { version: (await caseView(api, caseId)).version, events: undefined };
    },
    staleTime: 0,
  });
  return (
    <div className="banner record-conflict" role="alert">
      <p>
        <strong>{t('conflict.title')}</strong> {t('conflict.body')}
      </p>
      <QueryState query={change}>
        {({ version, events }) => (
          <>
            <p>{t('conflict.versions', { since, version })}</p>
            {events !== undefined && events.length > 0 && (
              <>
                <p>{t('conflict.newEvents', { count: events.length })}</p>
                <ul>
                  {events.map((event) => (
                    <li key={event.eventId}>
                      <EventLine event={event} />
                    </li>
                  ))}
                </ul>
              </>
            )}
            {events === undefined && <p>{t('conflict.cannotList')}</p>}
            <button type="button" disabled={busy} onClick={() => onRecordOnTop(version)}>
              {t('conflict.recordOnTop')}
            </button>
          </>
        )}
      </QueryState>
    </div>
  );
}
