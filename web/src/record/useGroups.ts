import { useQuery } from '@tanstack/react-query';
import { dataOf } from '../api/problem.ts';
import { useSession } from '../session/SessionContext.tsx';

/** The groups cases were opened in (GET /groups), shared by the screens that choose one. */
export function useGroups() {
  const { api } = useSession();
  return useQuery({
    queryKey: ['groups'],
    queryFn: async () => (await dataOf(api.GET('/groups'))).groups.map((group) => group.groupId),
  });
}
