import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import type { components } from '../api/ledger-api.d.ts';

type GroupAppendResult = components['schemas']['GroupAppendResult'];

/** What happened for each case of one group submission: recorded, replayed (a retry), or refused and why. */
export function GroupResults({ answer }: { answer: GroupAppendResult }) {
  const { t } = useTranslation('record');
  const count = (outcome: string) => answer.results.filter((result) => result.outcome === outcome).length;
  return (
    <section aria-labelledby="group-results">
      <h2 id="group-results">{t('group.results')}</h2>
      <p role="status">
        {t('group.resultsSummary', {
          recorded: count('recorded'),
          replayed: count('replayed'),
          refused: count('refused'),
        })}
      </p>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t('group.case')}</th>
              <th scope="col">{t('group.outcome')}</th>
            </tr>
          </thead>
          <tbody>
            {answer.results.map((result) => (
              <tr key={result.caseId}>
                <td>
                  <Link href={`/cases/${encodeURIComponent(result.caseId)}`}>{result.caseId}</Link>
                </td>
                <td className={`record-outcome-${result.outcome}`}>
                  {t(`group.outcomes.${result.outcome}`)}
                  {result.problem && `: ${result.problem.detail || result.problem.title}`}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
