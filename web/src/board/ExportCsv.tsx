import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { dataOf } from '../api/problem.ts';
import { saveFile } from '../api/save-file.ts';
import { useSession } from '../session/SessionContext.tsx';
import { ErrorState } from '../states/ErrorState.tsx';
import { listFilters } from './board-queries.ts';
import { type BoardQuery, today } from './board-query.ts';

/** Every case matching the list's filters, as recorded now, saved as `cases-<group>-<day>.csv`. */
export function ExportCsv({ query }: { query: BoardQuery }) {
  const { t } = useTranslation('board');
  const { api } = useSession();
  const exported = useMutation({
    mutationFn: async () => {
      const blob = await dataOf(
        api.GET('/cases.csv', { params: { query: listFilters(query) }, parseAs: 'blob' }),
      );
      saveFile(blob, `cases-${query.group ?? 'all-groups'}-${today()}.csv`);
    },
  });
  return (
    <div className="export-csv">
      <button
        type="button"
        className="link-button"
        disabled={exported.isPending}
        onClick={() => exported.mutate()}
      >
        {exported.isPending ? t('export.preparing') : t('export.label')}
      </button>
      {exported.isError && <ErrorState error={exported.error} retry={() => exported.mutate()} />}
    </div>
  );
}
