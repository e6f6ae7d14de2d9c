import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { dataOf } from '../api/problem.ts';
import { useSession } from '../session/SessionContext.tsx';
import type { SubscriptionInput } from './subscription-form.ts';

/** The caller's own subscriptions (GET /subscriptions). */
export function useSubscriptions() {
  const { api } = useSession();
  return useQuery({
    queryKey: ['subscriptions'],
    queryFn: async () => (await dataOf(api.GET('/subscriptions'))).subscriptions,
  });
}

export function useSubscribe() {
  const { api } = useSession();
  const queries = useQueryClient();
  return useMutation({
    mutationFn: (body: SubscriptionInput) => dataOf(api.POST('/subscriptions', { body })),
    onSuccess: () => queries.invalidateQueries({ queryKey: ['subscriptions'] }),
  });
}

export function useUnsubscribe() {
  const { api } = useSession();
  const queries = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => dataOf(api.DELETE('/subscriptions/{id}', { params: { path: { id } } })),
    onSuccess: () => queries.invalidateQueries({ queryKey: ['subscriptions'] }),
  });
}

/** The webhook endpoints (admins). */
export function useEndpoints() {
  const { api } = useSession();
  return useQuery({
    queryKey: ['webhook-endpoints'],
    queryFn: async () => (await dataOf(api.GET('/webhook-endpoints'))).endpoints,
  });
}

/** One endpoint's delivery log, newest first (one page: the admin's question is "is it working now?"). */
export function useDeliveries(id: string) {
  const { api } = useSession();
  return useQuery({
    queryKey: ['webhook-endpoints', id, 'deliveries'],
    queryFn: () =>
      dataOf(
        api.GET('/webhook-endpoints/{id}/deliveries', { params: { path: { id }, query: { limit: 50 } } }),
      ),
  });
}

export function useEndpointActions() {
  const { api } = useSession();
  const queries = useQueryClient();
  const refresh = () => queries.invalidateQueries({ queryKey: ['webhook-endpoints'] });
  const path = (id: string) => ({ params: { path: { id } } });
  return {
    create: useMutation({
      mutationFn: (body: { url: string; contactEmail: string; description?: string }) =>
        dataOf(api.POST('/webhook-endpoints', { body })),
      onSuccess: refresh,
    }),
    rotate: useMutation({
      mutationFn: (id: string) => dataOf(api.POST('/webhook-endpoints/{id}/rotate-secret', path(id))),
      onSuccess: refresh,
    }),
    setState: useMutation({
      mutationFn: ({ id, enable }: { id: string; enable: boolean }) =>
        dataOf(
          enable
            ? api.POST('/webhook-endpoints/{id}/enable', path(id))
            : api.POST('/webhook-endpoints/{id}/disable', path(id)),
        ),
      onSuccess: refresh,
    }),
  };
}
