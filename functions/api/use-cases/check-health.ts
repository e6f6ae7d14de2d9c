import { UnavailableError } from '../api-error.ts';
import type { ApiDependencies } from '../app-env.ts';

/** Reaches the ledger and the views; an `UnavailableError` (503) names those that did not answer. */
export async function checkHealth(deps: Pick<ApiDependencies, 'ledger' | 'views' | 'logger'>): Promise<void> {
  const results = await Promise.allSettled([deps.ledger.ping(), deps.views.ping()]);
  const failed = results.flatMap((result, index) =>
    result.status === 'rejected' ? [index === 0 ? 'ledger' : 'views'] : [],
  );
  if (failed.length > 0) {
    deps.logger?.error('health check failed', { failed, errors: results });
    const reasons = results.flatMap((result) => (result.status === 'rejected' ? [result.reason] : []));
    throw new UnavailableError(failed, { cause: new AggregateError(reasons, 'health check failed') });
  }
}
