import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { dataOf } from '../api/problem.ts';
import { useSession } from '../session/SessionContext.tsx';
import type { BoardQuery } from './board-query.ts';

// Every question of the board, each keyed by exactly what it asks, so a change of "As of" asks again only what
// depends on it and going back shows the earlier answer at once.

/** Counts as of the chosen moment (now when none is chosen). */
export function useSummary(group: string | undefined, asOf: string | undefined) {
  const { api } = useSession();
  return useQuery({
    queryKey: ['summary', group ?? null, asOf ?? null],
    queryFn: () =>
      dataOf(
        api.GET('/summary', {
          params: { query: { ...(group && { groupId: group }), ...(asOf && { asOf }) } },
        }),
      ),
  });
}

/**
 * Counts per status for every day of the group's span, for the held-per-day chart. It reads every view's
 * timeline, the board's heaviest question: asked once the counts have their answer, so on a busy system the
 * counts and the list are not kept waiting behind it.
 */
export function useSeries(group: string | undefined, after: { readonly isPending: boolean }) {
  const { api } = useSession();
  return useQuery({
    enabled: !after.isPending,
    queryKey: ['summary-series', group ?? null],
    queryFn: () =>
      dataOf(api.GET('/summary/series', { params: { query: { ...(group && { groupId: group }) } } })),
  });
}

export function useAlerts(group: string | undefined, asOf: string | undefined) {
  const { api } = useSession();
  return useQuery({
    queryKey: ['alerts', group ?? null, asOf ?? null],
    queryFn: () =>
      dataOf(
        api.GET('/alerts', {
          params: { query: { ...(group && { groupId: group }), ...(asOf && { asOf }) } },
        }),
      ),
  });
}

/** The filters of the list as the API's query, shared by the page of cases and the CSV export. */
export function listFilters(query: BoardQuery) {
  return {
    ...(query.group && { groupId: query.group }),
    ...(query.status && { status: query.status }),
    ...(query.facility && { facility: query.facility }),
    ...(query.nationality && { nationality: query.nationality }),
    sort: query.sort,
  };
}

/** One page of the list of cases, as recorded now; the last page stays on screen while the next one comes. */
export function useCasePage(query: BoardQuery) {
  const { api } = useSession();
  const cursor = query.cursors.at(-1);
  const filters = listFilters(query);
  return useQuery({
    queryKey: ['cases', filters, query.limit, cursor ?? null],
    queryFn: async () => {
      const page = await dataOf(
        api.GET('/cases', {
          params: { query: { ...filters, limit: query.limit, ...(cursor !== undefined && { cursor }) } },
        }),
      );
      // The route answers CSV only when asked for it with Accept: text/csv, which this never sends.
      if (typeof page === 'string') throw new Error('GET /cases answered CSV to a JSON request');
      return page;
    },
    placeholderData: keepPreviousData,
  });
}
