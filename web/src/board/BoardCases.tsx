import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { mayCall } from '../session/permissions.ts';
import { useSignedIn } from '../session/SessionContext.tsx';
import { EmptyState } from '../states/EmptyState.tsx';
import { QueryState } from '../states/QueryState.tsx';
import { useCasePage } from './board-queries.ts';
import type { BoardChange, BoardQuery } from './board-query.ts';
import { CaseFilters } from './CaseFilters.tsx';
import { CasePager } from './CasePager.tsx';
import { CaseTable } from './CaseTable.tsx';
import { ExportCsv } from './ExportCsv.tsx';

/** The list of cases under its filters, a page at a time, with its export; or what to do when there is none. */
export function BoardCases({
  query,
  asOf,
  change,
}: {
  query: BoardQuery;
  asOf: string;
  change: (next: BoardChange) => void;
}) {
  const { t } = useTranslation('board');
  const session = useSignedIn();
  const page = useCasePage(query);
  const filtered =
    query.status !== undefined || query.facility !== undefined || query.nationality !== undefined;
  const openHref = query.group ? `/cases/new?group=${encodeURIComponent(query.group)}` : '/cases/new';
  return (
    <section className="board-cases" aria-labelledby="board-cases">
      <h2 id="board-cases">{t('cases.title')}</h2>
      <p className="hint">{t('cases.recordedNow')}</p>
      <CaseFilters query={query} change={change} />
      <ExportCsv query={query} />
      <QueryState query={page}>
        {({ cases, nextCursor }) =>
          cases.length === 0 ? (
            <EmptyState>
              {filtered ? t('cases.noMatch') : t('cases.empty')}{' '}
              {!filtered && mayCall(session.roles, 'POST /cases') && (
                <Link href={openHref}>{t('cases.openCase')}</Link>
              )}
            </EmptyState>
          ) : (
            <>
              <CaseTable cases={cases} asOf={asOf} />
              <CasePager query={query} nextCursor={nextCursor} change={change} />
            </>
          )
        }
      </QueryState>
    </section>
  );
}
