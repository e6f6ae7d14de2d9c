import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import type { components } from '../api/ledger-api.d.ts';
import { useFormats } from '../i18n/format.ts';
import { daysBetween } from './board-query.ts';
import { dayWords } from './day-words.ts';

type CaseView = components['schemas']['CaseView'];

/** One page of cases as recorded now; "days since" the last consular visit counts to the chosen day. */
export function CaseTable({ cases, asOf }: { cases: readonly CaseView[]; asOf: string }) {
  const { t } = useTranslation('board');
  const { t: words } = useTranslation('events');
  const formats = useFormats();
  const none = t('cases.none');
  return (
    <div className="table-wrap">
      <table className="case-table">
        <caption className="visually-hidden">{t('cases.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('cases.case')}</th>
            <th scope="col">{t('cases.status')}</th>
            <th scope="col">{t('cases.facility')}</th>
            <th scope="col">{t('cases.custodyUntil')}</th>
            <th scope="col">{t('cases.lastVisit')}</th>
            <th scope="col">{t('cases.daysSince', { day: dayWords(formats, asOf) })}</th>
          </tr>
        </thead>
        <tbody>
          {cases.map((view) => {
            const since = view.lastConsularVisitAt ? daysBetween(view.lastConsularVisitAt, asOf) : undefined;
            return (
              <tr key={view.caseId}>
                <th scope="row">
                  <Link href={`/cases/${encodeURIComponent(view.caseId)}`}>{view.caseId}</Link>
                </th>
                <td>{words(`statuses.${view.status}`)}</td>
                <td>{view.facility ?? none}</td>
                <td>{view.custodyUntil ? dayWords(formats, view.custodyUntil) : none}</td>
                <td>
                  {view.lastConsularVisitAt ? dayWords(formats, view.lastConsularVisitAt) : t('cases.never')}
                </td>
                <td>{since !== undefined && since >= 0 ? formats.number(since) : none}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
