import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { caseView } from '../record/case-reads.ts';
import { RecordedEvents } from '../record/RecordedEvents.tsx';
import { RecordPanel } from '../record/RecordPanel.tsx';
import { mayCall } from '../session/permissions.ts';
import { useSession, useSignedIn } from '../session/SessionContext.tsx';
import { QueryState } from '../states/QueryState.tsx';
import '../record/record.css';

/**
 * Recording on one case as a screen of its own (a phone's whole width for the form): the case's status and
 * version, the form, and — for those who may read the history — its events with their "Retract" action.
 */
export function CaseRecordPage({ caseId }: { caseId: string }) {
  const { t } = useTranslation('record');
  const { t: tEvents } = useTranslation('events');
  const session = useSignedIn();
  const { api } = useSession();
  const view = useQuery({ queryKey: ['case', caseId, 'record'], queryFn: () => caseView(api, caseId) });
  return (
    <section className="record-page">
      <h1>{t('caseRecord.title', { caseId })}</h1>
      <p>
        <Link href={`/cases/${encodeURIComponent(caseId)}`}>{t('caseRecord.toCase')}</Link>
      </p>
      <QueryState query={view}>
        {(found) => (
          <>
            <p>
              {t('caseRecord.status', {
                status: tEvents(`statuses.${found.status}`),
                version: found.version,
              })}
            </p>
            {found.groupId !== null && mayCall(session.roles, 'POST /groups/{groupId}/events') && (
              <p>
                <Link href={`/groups/${encodeURIComponent(found.groupId)}/record`}>
                  {t('caseRecord.forGroup', { groupId: found.groupId })}
                </Link>
              </p>
            )}
            {mayCall(session.roles, 'POST /cases/{caseId}/events') ? (
              <RecordPanel caseId={caseId} version={found.version} />
            ) : (
              <p className="state">{t('caseRecord.notAllowed')}</p>
            )}
            {mayCall(session.roles, 'GET /cases/{caseId}/events') && <RecordedEvents view={found} />}
          </>
        )}
      </QueryState>
    </section>
  );
}
