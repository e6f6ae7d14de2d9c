import type { LedgerClient } from '../api/client.ts';
import type { components } from '../api/ledger-api.d.ts';
import { dataOf } from '../api/problem.ts';
import type { CaseView } from './case-reads.ts';

/** Every case of a group, all pages of GET /cases, in the API's order (by case id). */
export async function casesOfGroup(api: LedgerClient, groupId: string): Promise<CaseView[]> {
  const cases: CaseView[] = [];
  let cursor: string | undefined;
  do {
    // JSON is asked for (the union also holds the CSV form of the list).
    const page = (await dataOf(
      api.GET('/cases', {
        params: { query: { groupId, limit: 100, ...(cursor !== undefined && { cursor }) } },
      }),
    )) as components['schemas']['CaseList'];
    cases.push(...page.cases);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return cases;
}
