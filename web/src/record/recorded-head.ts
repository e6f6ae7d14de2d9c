import { useQuery, useQueryClient } from '@tanstack/react-query';

const headKey = (caseId: string) => ['recorded-head', caseId] as const;

/**
 * The version to record on top of: the one on screen, or the one this browser's own last append reached when
 * the view has not caught up with it yet — so a recorder's second event is not refused because of their first.
 * Someone else's appends still move the ledger past both, and `If-Match` still says so.
 */
export function useVersionToRecordOn(caseId: string, shown: number) {
  const queries = useQueryClient();
  const head = useQuery({
    queryKey: headKey(caseId),
    queryFn: () => 0,
    initialData: 0,
    staleTime: Number.POSITIVE_INFINITY,
  });
  return {
    version: Math.max(shown, head.data),
    catchingUp: head.data > shown,
    recorded(version: number) {
      queries.setQueryData<number>(headKey(caseId), (known) => Math.max(known ?? 0, version));
    },
  };
}
