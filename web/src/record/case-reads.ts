import type { LedgerClient } from '../api/client.ts';
import type { components } from '../api/ledger-api.d.ts';
import { dataOf } from '../api/problem.ts';

export type ShownEvent = components['schemas']['ShownEvent'];
export type CaseView = components['schemas']['CaseView'];

/** Every event of a case as the caller may see it, all pages (auditors: the history route). */
export async function allEvents(api: LedgerClient, caseId: string): Promise<ShownEvent[]> {
  const events: ShownEvent[] = [];
  let cursor: string | undefined;
  do {
    // Without `form=stored` and with JSON accepted, the page is the shown one (the union also holds NDJSON).
    const page = (await dataOf(
      api.GET('/cases/{caseId}/events', {
        params: { path: { caseId }, query: { limit: 1000, ...(cursor !== undefined && { cursor }) } },
      }),
    )) as components['schemas']['ShownEventPage'];
    events.push(...page.events);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return events;
}

export function caseView(api: LedgerClient, caseId: string): Promise<CaseView> {
  return dataOf(api.GET('/cases/{caseId}', { params: { path: { caseId } } }));
}

/** The quoted version `If-Match` carries. */
export const ifMatch = (version: number) => `"${version}"`;
