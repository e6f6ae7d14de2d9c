import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { useFormats } from '../i18n/format.ts';
import { QueryState } from '../states/QueryState.tsx';
import { useAlerts } from './board-queries.ts';
import { dayWords } from './day-words.ts';

/** What needs attention as of the chosen day, in the API's order (most urgent first), each leading to its case. */
export function BoardAlerts({ group, asOf }: { group: string | undefined; asOf: string }) {
  const { t } = useTranslation('board');
  const { t: words } = useTranslation('events');
  const formats = useFormats();
  const alerts = useAlerts(group, asOf);
  return (
    <section className="board-panel" aria-labelledby="board-alerts">
      <h2 id="board-alerts">{t('alerts.title', { day: dayWords(formats, asOf) })}</h2>
      <QueryState query={alerts}>
        {({ alerts: found }) =>
          found.length === 0 ? (
            <p className="state state-empty">{t('alerts.none')}</p>
          ) : (
            <ul className="board-alerts">
              {found.map((alert) => (
                <li key={`${alert.caseId}-${alert.kind}`} className={`alert alert-${alert.kind}`}>
                  <Link href={`/cases/${encodeURIComponent(alert.caseId)}`}>{alert.caseId}</Link>{' '}
                  <strong>{words(`alerts.${alert.kind}`)}</strong>{' '}
                  <span>
                    {alert.kind === 'custody_term_expiring'
                      ? t('alerts.daysLeft', { days: formats.number(alert.days) })
                      : t('alerts.days', { days: formats.number(alert.days) })}
                  </span>
                  {alert.due && <span> · {t('alerts.due', { day: formats.day(alert.due) })}</span>}
                  {alert.kind === 'not_seen_at_hearing' && alert.since && (
                    <span>
                      {' · '}
                      {t(alert.held ? 'alerts.hearingAbsent' : 'alerts.hearingUnrecorded', {
                        day: formats.day(alert.since),
                      })}
                    </span>
                  )}
                </li>
              ))}
            </ul>
          )
        }
      </QueryState>
    </section>
  );
}
