import { useInfiniteQuery } from '@tanstack/react-query';
import { dataOf } from '../api/problem.ts';
import { useSession } from '../session/SessionContext.tsx';
import type { AuditRange } from './audit-range.ts';

/** The audit feed over a range, a page at a time through the API's cursors ("Load more" asks for the next). */
export function useAuditFeed(range: AuditRange) {
  const { api } = useSession();
  return useInfiniteQuery({
    queryKey: ['audit', range.from, range.to ?? null, range.limit],
    queryFn: ({ pageParam }) =>
      dataOf(
        api.GET('/audit', {
          params: {
            query: {
              from: range.from,
              limit: range.limit,
              ...(range.to !== undefined && { to: range.to }),
              ...(pageParam !== undefined && { cursor: pageParam }),
            },
          },
        }),
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor,
  });
}

export type AuditEvent = NonNullable<
  ReturnType<typeof useAuditFeed>['data']
>['pages'][number]['events'][number];
