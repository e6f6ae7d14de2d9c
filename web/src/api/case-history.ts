import type { LedgerClient } from './client.ts';
import type { components } from './ledger-api.d.ts';
import { dataOf } from './problem.ts';

export type ShownEvent = components['schemas']['ShownEvent'];

/**
 * Every event of a case as the caller may see it (auditors: the history route), all pages, optionally as the
 * ledger knew them at `knownAt`.
 */
export async function caseHistory(
  api: LedgerClient,
  caseId: string,
  knownAt?: string,
): Promise<ShownEvent[]> {
  const events: ShownEvent[] = [];
  let cursor: string | undefined;
  do {
    const page = await dataOf(
      api.GET('/cases/{caseId}/events', {
        params: {
          path: { caseId },
          query: { limit: 1000, ...(knownAt && { knownAt }), ...(cursor !== undefined && { cursor }) },
        },
      }),
    );
    // `form` is not asked for, so the page holds the events as the caller may see them.
    if (typeof page === 'string') throw new TypeError('the history answered in another format than JSON');
    events.push(...(page.events as ShownEvent[]));
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return events;
}
