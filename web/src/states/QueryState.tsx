import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorState } from './ErrorState.tsx';
import { LoadingState } from './LoadingState.tsx';

interface QueryStateProps<T> {
  readonly query: UseQueryResult<T>;
  readonly children: (data: T) => ReactNode;
  /** What "loading" says here, when the generic words say too little. */
  readonly loading?: string;
}

/**
 * The honest states of one question: loading, offline (paused, never a spinner for ever), the error in the
 * API's words with a retry, then the data. Screens render their empty state from the data themselves.
 */
export function QueryState<T>({ query, children, loading }: QueryStateProps<T>) {
  const { t } = useTranslation();
  if (query.isPending) {
    if (query.fetchStatus === 'paused') return <p className="state state-offline">{t('states.offline')}</p>;
    return <LoadingState {...(loading && { label: loading })} />;
  }
  if (query.isError) return <ErrorState error={query.error} retry={() => void query.refetch()} />;
  return children(query.data);
}
