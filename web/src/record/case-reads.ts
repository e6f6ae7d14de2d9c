import type { LedgerClient } from '../api/client.ts';
import type { components } from '../api/ledger-api.d.ts';
import { dataOf } from '../api/problem.ts';

export type { ShownEvent } from '../api/case-history.ts';
export type CaseView = components['schemas']['CaseView'];

export function caseView(api: LedgerClient, caseId: string): Promise<CaseView> {
  return dataOf(api.GET('/cases/{caseId}', { params: { path: { caseId } } }));
}

/** The quoted version `If-Match` carries. */
export const ifMatch = (version: number) => `"${version}"`;
