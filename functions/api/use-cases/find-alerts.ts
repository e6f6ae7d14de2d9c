import {
  type Alert,
  type AlertThresholds,
  alertsFor,
  byUrgency,
  tamperAlert,
} from '../../../domain/alerts.ts';
import { custodyStatuses } from '../../../domain/case-status.ts';
import { stateAt } from '../../../domain/case-timeline.ts';
import type { CaseView } from '../../../domain/case-view.ts';
import { foldCase } from '../../../domain/fold-case.ts';
import { type StoredView, storedViewHoldsAt } from '../../store/stored-view.ts';
import type { ApiDependencies } from '../app-env.ts';
import { mapInBatches } from '../in-batches.ts';

/** How many cases' ledgers are read at once when a stored view does not hold at the moment asked. */
const FOLD_CONCURRENCY = 8;

type AlertDependencies = Pick<ApiDependencies, 'ledger' | 'views' | 'tamperLog'>;

/** The case's view as of `at`: the stored one when it holds then, else the ledger folded as of then. */
async function viewAt(deps: AlertDependencies, stored: StoredView, at: Date): Promise<CaseView> {
  if (storedViewHoldsAt(stored, at.getTime())) return stored.view;
  const events = await deps.ledger.readStream(stored.view.caseId);
  return foldCase(stored.view.caseId, events, { asOf: at });
}

/** Whether a case may have alerts at `at`: only people in custody then have any; without a timeline, maybe. */
function mayAlert(stored: StoredView, at: Date): boolean {
  if (stored.timeline === undefined) return true;
  const state = stateAt(stored.timeline, at.getTime());
  return state !== undefined && custodyStatuses.has(state.status);
}

/** The alerts of a group's cases at `at`, most urgent first, tampering with the record included. */
export async function findAlerts(
  deps: AlertDependencies,
  { groupId, at, thresholds }: { groupId: string | undefined; at: Date; thresholds: AlertThresholds },
): Promise<Alert[]> {
  const alerts: Alert[] = [];
  const inGroup = new Set<string>();
  for await (const page of deps.views.storedPages(groupId ? { groupId } : {})) {
    for (const stored of page) inGroup.add(stored.view.caseId);
    const candidates = page.filter((stored) => mayAlert(stored, at));
    const views = await mapInBatches(candidates, FOLD_CONCURRENCY, (stored) => viewAt(deps, stored, at));
    for (const view of views) alerts.push(...alertsFor(view, at, thresholds));
  }
  // Tamper signals concern the record, whoever the person is: every case of the group, held or not.
  for (const signal of await deps.tamperLog.signals()) {
    if (groupId !== undefined && !inGroup.has(signal.caseId)) continue;
    const alert = tamperAlert(signal, at);
    if (alert) alerts.push(alert);
  }
  return alerts.sort(byUrgency);
}
