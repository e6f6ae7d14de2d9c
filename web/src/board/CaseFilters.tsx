import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { useSummary } from './board-queries.ts';
import {
  type BoardChange,
  type BoardQuery,
  CASE_STATUSES,
  type CaseStatus,
  PAGE_SIZES,
  today,
} from './board-query.ts';

/** The known values plus the chosen one, so a value from a shared link is shown even if no one has it now. */
function choicesWith(known: readonly string[], chosen: string | undefined): string[] {
  const sorted = [...known].sort((a, b) => a.localeCompare(b));
  return chosen && !sorted.includes(chosen) ? [chosen, ...sorted] : sorted;
}

/** Which cases the list shows and in what order; facilities and nationalities as the group holds them now. */
export function CaseFilters({ query, change }: { query: BoardQuery; change: (next: BoardChange) => void }) {
  const { t } = useTranslation('board');
  const { t: words } = useTranslation('events');
  const now = useSummary(query.group, today());
  const ids = { status: useId(), facility: useId(), nationality: useId(), sort: useId(), limit: useId() };
  const facilities = choicesWith(Object.keys(now.data?.byFacility ?? {}), query.facility);
  const nationalities = choicesWith(Object.keys(now.data?.byNationality ?? {}), query.nationality);
  return (
    <div className="case-filters">
      <div className="field">
        <label htmlFor={ids.status}>{t('filters.status')}</label>
        <select
          id={ids.status}
          value={query.status ?? ''}
          onChange={(event) =>
            change({
              status: CASE_STATUSES.find((status): status is CaseStatus => status === event.target.value),
            })
          }
        >
          <option value="">{t('filters.any')}</option>
          {CASE_STATUSES.map((status) => (
            <option key={status} value={status}>
              {words(`statuses.${status}`)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={ids.facility}>{t('filters.facility')}</label>
        <select
          id={ids.facility}
          value={query.facility ?? ''}
          onChange={(event) => change({ facility: event.target.value || undefined })}
        >
          <option value="">{t('filters.any')}</option>
          {facilities.map((facility) => (
            <option key={facility} value={facility}>
              {facility}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={ids.nationality}>{t('filters.nationality')}</label>
        <select
          id={ids.nationality}
          value={query.nationality ?? ''}
          onChange={(event) => change({ nationality: event.target.value || undefined })}
        >
          <option value="">{t('filters.any')}</option>
          {nationalities.map((nationality) => (
            <option key={nationality} value={nationality}>
              {nationality}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={ids.sort}>{t('filters.sort')}</label>
        <select
          id={ids.sort}
          value={query.sort}
          onChange={(event) =>
            change({ sort: event.target.value === 'custodyUntil' ? 'custodyUntil' : 'caseId' })
          }
        >
          <option value="caseId">{t('filters.byCaseId')}</option>
          <option value="custodyUntil">{t('filters.byCustodyTerm')}</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor={ids.limit}>{t('filters.perPage')}</label>
        <select
          id={ids.limit}
          value={query.limit}
          onChange={(event) => change({ limit: Number(event.target.value) })}
        >
          {PAGE_SIZES.map((size) => (
            <option key={size} value={size}>
              {size}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}
