import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { BoardAlerts } from '../board/BoardAlerts.tsx';
import { BoardCases } from '../board/BoardCases.tsx';
import { BoardControls } from '../board/BoardControls.tsx';
import { today, useBoardQuery } from '../board/board-query.ts';
import { HeldPerDay } from '../board/HeldPerDay.tsx';
import { StatusCounts } from '../board/StatusCounts.tsx';
import '../board/board.css';
import { mayCall } from '../session/permissions.ts';
import { useSignedIn } from '../session/SessionContext.tsx';

/**
 * The board: counts, the held-per-day chart and the alerts as of a chosen day, and the list of cases as recorded
 * now; every choice lives in the URL.
 */
export function BoardPage() {
  const { t } = useTranslation('board');
  const session = useSignedIn();
  // A recorder alone records but does not read the views: the board says so instead of five refusals.
  if (!mayCall(session.roles, 'GET /cases')) {
    return (
      <section className="board">
        <h1>{t('title')}</h1>
        <p>{t('notReader')}</p>
        {mayCall(session.roles, 'POST /cases') && <Link href="/cases/new">{t('cases.openCase')}</Link>}
      </section>
    );
  }
  return <ReadableBoard />;
}

function ReadableBoard() {
  const { t } = useTranslation('board');
  const [query, change] = useBoardQuery();
  const asOf = query.asOf ?? today();
  return (
    <section className="board">
      <h1>{t('title')}</h1>
      <BoardControls query={query} change={change} />
      <div className="board-grid">
        <StatusCounts group={query.group} asOf={asOf} />
        <BoardAlerts group={query.group} asOf={asOf} />
      </div>
      <HeldPerDay group={query.group} asOf={asOf} />
      <BoardCases query={query} asOf={asOf} change={change} />
    </section>
  );
}
