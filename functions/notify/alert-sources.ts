import type { AlertThresholds } from '../../domain/alerts.ts';
import type { CurrentAlert } from '../../domain/notifications/alert-transitions.ts';
import { mapInBatches } from '../api/in-batches.ts';
import { findAlerts } from '../api/use-cases/find-alerts.ts';
import type { LedgerStore } from '../store/ledger-store.ts';
import type { TamperLog } from '../store/tamper-log.ts';
import type { ViewStore } from '../store/view-store.ts';

/**
 * What the notifier reads of the ledger: the alerts open now, exactly as `GET /alerts` answers them (same use
 * case, same thresholds from configuration), and each alerting case's group, read from its view.
 */
export function alertSources(deps: {
  readonly ledger: LedgerStore;
  readonly views: ViewStore;
  readonly tamperLog: TamperLog;
  readonly thresholds: AlertThresholds;
}) {
  const caseGroup = async (caseId: string): Promise<string | null> => {
    const stored = await deps.views.get(caseId, { timeline: false });
    if (stored) return stored.view.groupId;
    // Not projected yet: the group is given once, by the case's opening event.
    const [first] = await deps.ledger.readStream(caseId);
    return first?.type === 'CaseOpened' ? (first.data.groupId ?? null) : null;
  };

  const currentAlerts = async (now: Date): Promise<CurrentAlert[]> => {
    const alerts = await findAlerts(deps, { groupId: undefined, at: now, now, thresholds: deps.thresholds });
    const caseIds = [...new Set(alerts.map((alert) => alert.caseId))];
    const groups = new Map(
      await mapInBatches(caseIds, 8, async (caseId) => [caseId, await caseGroup(caseId)] as const),
    );
    return alerts.map((alert) => ({ ...alert, groupId: groups.get(alert.caseId) ?? null }));
  };

  return { currentAlerts, caseGroup };
}
