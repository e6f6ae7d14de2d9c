import type { CaseView } from '../../../domain/case-view.ts';
import type { ListFilter, ListOrder } from '../../store/view-query-plan.ts';
import { listIdentity } from '../../tables/view-keys.ts';
import type { ApiDependencies } from '../app-env.ts';
import { pageCursor } from '../page-cursor.ts';

export interface ListCasesRequest {
  readonly filter: { [K in keyof ListFilter]: ListFilter[K] | undefined };
  readonly order: ListOrder;
  readonly limit: number;
  readonly cursor: string | undefined;
}

/** A page of the case views a filter matches, in the order asked, with the cursor of the next page. */
export async function listCases(
  deps: Pick<ApiDependencies, 'views' | 'cursors'>,
  { filter, order, limit, cursor }: ListCasesRequest,
): Promise<{ cases: CaseView[]; nextCursor?: string }> {
  const pages = pageCursor(deps.cursors, listIdentity(order, filter));
  const after = pages.resume(cursor);
  const page = await deps.views.list({
    ...definedOnly(filter),
    order,
    limit,
    ...(after !== undefined && { after: String(after) }),
  });
  return { cases: page.views, ...pages.next(page.continueAfter) };
}

/** Drops the filters a request left out, so that none reaches the store as `undefined`. */
export function definedOnly(filter: ListCasesRequest['filter']): ListFilter {
  return Object.fromEntries(Object.entries(filter).filter(([, value]) => value !== undefined));
}
