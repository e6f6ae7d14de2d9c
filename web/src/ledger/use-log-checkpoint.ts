import { useQuery } from '@tanstack/react-query';
import { dataOf, ProblemError } from '../api/problem.ts';
import { useSession } from '../session/SessionContext.tsx';
import { type CheckpointVerdict, checkLogCheckpoint } from './check-log-checkpoint.ts';

/** "The log has published nothing yet" is a state of the log, not a failure: it reads as `null`. */
function noCheckpoint(error: unknown): boolean {
  return error instanceof ProblemError && error.status === 404;
}

/**
 * The log's newest checkpoint and its keys, fetched together (a checkpoint is only worth what the keys it is
 * checked with say) and checked here, or `null` when the log has no checkpoint yet.
 */
export function useLogCheckpoint() {
  const { api } = useSession();
  return useQuery({
    queryKey: ['log', 'checkpoint'],
    queryFn: async (): Promise<CheckpointVerdict | null> => {
      const [note, keys] = await Promise.all([
        dataOf(api.GET('/log/checkpoint', { parseAs: 'text' })).catch((error: unknown) => {
          if (noCheckpoint(error)) return null;
          throw error;
        }),
        dataOf(api.GET('/log/key', { parseAs: 'text' })),
      ]);
      return note === null ? null : checkLogCheckpoint(note, keys);
    },
  });
}
