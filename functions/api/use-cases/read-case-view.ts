import type { CaseView } from '../../../domain/case-view.ts';
import { CaseNotFoundError } from '../../../domain/errors.ts';
import { foldCase } from '../../../domain/fold-case.ts';
import { storedViewHoldsAt } from '../../store/stored-view.ts';
import type { ApiDependencies } from '../app-env.ts';

export interface CaseViewRead {
  readonly view: CaseView;
  /** `true` when the answer is the stored view, which the version alone identifies (so it may carry an ETag). */
  readonly live: boolean;
}

/**
 * A case's view. With `asOf` or `knownAt` the ledger is folded on demand (`asOf` defaults to `knownAt`: what
 * we believed then about then). Otherwise the stored view answers, unless it is missing (the projector has
 * not caught up with a new case) or a pending event has started to count since it was written: then the
 * ledger is folded now, so the answer is never older than the record.
 */
export async function readCaseView(
  deps: Pick<ApiDependencies, 'ledger' | 'views' | 'clock'>,
  caseId: string,
  moments: { asOf?: Date; knownAt?: Date },
): Promise<CaseViewRead> {
  const now = deps.clock();
  if (moments.asOf === undefined && moments.knownAt === undefined) {
    const stored = await deps.views.get(caseId, { timeline: false });
    if (stored && storedViewHoldsAt(stored, now.getTime())) return { view: stored.view, live: true };
  }
  const events = await deps.ledger.readStream(caseId, moments.knownAt ? { knownAt: moments.knownAt } : {});
  if (events.length === 0) throw new CaseNotFoundError(caseId);
  const asOf = moments.asOf ?? moments.knownAt ?? now;
  return {
    view: foldCase(caseId, events, { asOf, ...(moments.knownAt && { knownAt: moments.knownAt }) }),
    live: false,
  };
}
