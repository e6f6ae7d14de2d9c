import { useTranslation } from 'react-i18next';
import type { BoardChange, BoardQuery } from './board-query.ts';

/**
 * Next and Previous over the API's cursors: the URL keeps the cursors walked so far, so Previous pops the last
 * one and a shared link opens on the same page.
 */
export function CasePager({
  query,
  nextCursor,
  change,
}: {
  query: BoardQuery;
  nextCursor: string | undefined;
  change: (next: BoardChange) => void;
}) {
  const { t } = useTranslation('board');
  if (query.cursors.length === 0 && nextCursor === undefined) return null;
  return (
    <nav className="case-pager" aria-label={t('pager.label')}>
      <button
        type="button"
        className="secondary"
        disabled={query.cursors.length === 0}
        onClick={() => change({ cursors: query.cursors.slice(0, -1) })}
      >
        {t('pager.previous')}
      </button>
      <span>{t('pager.page', { page: query.cursors.length + 1 })}</span>
      <button
        type="button"
        className="secondary"
        disabled={nextCursor === undefined}
        onClick={() => nextCursor && change({ cursors: [...query.cursors, nextCursor] })}
      >
        {t('pager.next')}
      </button>
    </nav>
  );
}
