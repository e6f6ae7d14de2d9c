import { useQuery } from '@tanstack/react-query';
import { dataOf } from '../api/problem.ts';
import { useSession } from '../session/SessionContext.tsx';

/**
 * The groups cases were opened in (GET /groups), by id: the one question of the groups, shared by every screen
 * that chooses one (the board, open case, record for a group), so their cached answers are one and the same.
 */
export function useGroups() {
  const { api } = useSession();
  return useQuery({
    queryKey: ['groups'],
    queryFn: async () => (await dataOf(api.GET('/groups'))).groups.map((group) => group.groupId),
  });
}
