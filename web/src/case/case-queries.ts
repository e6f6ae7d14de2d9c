import { type QueryClient, useQuery } from '@tanstack/react-query';
import { caseHistory, type ShownEvent } from '../api/case-history.ts';
import type { components } from '../api/ledger-api.d.ts';
import { dataOf } from '../api/problem.ts';
import { useSession } from '../session/SessionContext.tsx';

export type CaseAnswer = components['schemas']['CaseAnswer'];
export type { ShownEvent };
export type Verification = components['schemas']['Verification'];

/** The two clocks of the page: what was true then (`asOf`), what the ledger knew then (`knownAt`). */
export interface Moments {
  readonly asOf?: string | undefined;
  readonly knownAt?: string | undefined;
}

/**
 * The TanStack Query keys of the case page. Whoever records on a case (the record panel, a retraction, an
 * erasure) invalidates `['case', caseId]` and `['events', caseId]`; every query of the case's view and history
 * starts with one of them, whatever the clocks, so one invalidation refreshes them all.
 */
export const caseKeys = {
  view: (caseId: string, moments: Moments = {}) => ['case', caseId, moments] as const,
  events: (caseId: string, knownAt?: string) => ['events', caseId, { knownAt }] as const,
  verify: (caseId: string) => ['case', caseId, 'verify'] as const,
};

/**
 * Asks again for all the case page shows of a case, view and history together, once the ledger has moved on
 * (an append answered, or refused with 412): one without the other shows a summary and a list that disagree.
 */
export function refreshCase(queries: QueryClient, caseId: string): void {
  void queries.invalidateQueries({ queryKey: ['case', caseId] });
  void queries.invalidateQueries({ queryKey: ['events', caseId] });
}

const defined = <T extends object>(value: T) =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== '')) as T;

/** The case's view and who it is about; polled while `poll` says the view is catching up. */
export function useCaseView(caseId: string, moments: Moments, poll: number | false = false) {
  const { api } = useSession();
  return useQuery({
    queryKey: caseKeys.view(caseId, moments),
    queryFn: () =>
      dataOf(api.GET('/cases/{caseId}', { params: { path: { caseId }, query: defined({ ...moments }) } })),
    refetchInterval: poll,
    // A case that does not exist will not exist on a second try either.
    retry: (count, error) =>
      count < 2 && !(error instanceof Error && 'status' in error && error.status === 404),
  });
}

/** Every event of the case in recorded order (as known at `knownAt`), a page of the API at a time. */
export function useCaseEvents(caseId: string, knownAt: string | undefined, enabled: boolean) {
  const { api } = useSession();
  return useQuery({
    queryKey: caseKeys.events(caseId, knownAt),
    enabled,
    queryFn: () => caseHistory(api, caseId, knownAt),
  });
}

/** Whether the case's chain of hashes holds, for auditors. */
export function useVerification(caseId: string, enabled: boolean) {
  const { api } = useSession();
  return useQuery({
    queryKey: caseKeys.verify(caseId),
    enabled,
    queryFn: () => dataOf(api.GET('/cases/{caseId}/verify', { params: { path: { caseId } } })),
  });
}
