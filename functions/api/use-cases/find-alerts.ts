import {
  type Alert,
  type AlertThresholds,
  alertCuts,
  alertDatesOf,
  alertsFor,
  byUrgency,
  hearingAlert,
  newsAlert,
  tamperAlert,
  termAlert,
  visitAlert,
} from '../../../domain/alerts.ts';
import { dayOf } from '../../../domain/calendar.ts';
import { custodyStatuses } from '../../../domain/case-status.ts';
import { stateAt } from '../../../domain/case-timeline.ts';
import type { CaseView } from '../../../domain/case-view.ts';
import { foldCase } from '../../../domain/fold-case.ts';
import type { DueCase } from '../../store/alert-index-reads.ts';
import { type StoredView, storedViewHoldsAt } from '../../store/stored-view.ts';
import type { ApiDependencies } from '../app-env.ts';
import { mapInBatches } from '../in-batches.ts';

/** How many cases' ledgers (or views) are read at once when a stored view does not hold at the moment asked. */
const FOLD_CONCURRENCY = 8;

type AlertDependencies = Pick<ApiDependencies, 'ledger' | 'views' | 'tamperLog'>;

interface AlertQuery {
  readonly groupId: string | undefined;
  readonly at: Date;
  /** The moment of the call: from it on, the stored views hold (until their pending events count). */
  readonly now: Date;
  readonly thresholds: AlertThresholds;
}

/** A case's view folded from its ledger as of `at`. */
async function foldedAt(deps: AlertDependencies, caseId: string, at: Date): Promise<CaseView> {
  return foldCase(caseId, await deps.ledger.readStream(caseId), { asOf: at });
}

/** The case's view as of `at`: the stored one when it holds then, else the ledger folded as of then. */
async function viewAt(deps: AlertDependencies, stored: StoredView, at: Date): Promise<CaseView> {
  if (storedViewHoldsAt(stored, at.getTime())) return stored.view;
  return foldedAt(deps, stored.view.caseId, at);
}

/** Whether a case may have alerts at `at`: only people in custody then have any; without a timeline, maybe. */
function mayAlert(stored: StoredView, at: Date): boolean {
  if (stored.timeline === undefined) return true;
  const state = stateAt(stored.timeline, at.getTime());
  return state !== undefined && custodyStatuses.has(state.status);
}

/**
 * The alerts at `at`, not earlier than now, from the alert indexes: every stored view holds from its projection
 * (which is before now) until its first pending event counts, so each index range holds exactly the cases that
 * alert, with the views the indexes copied and no read of a view item. Cases whose pending event counts by `at` are folded from the ledger instead,
 * as a stored view that no longer holds is everywhere else; there are few, and they are read by the same kind of
 * range. The cost is the cases that alert (and those pending), never the others: 40 `Query`s when few alert.
 */
async function alertsFromIndexes(
  deps: AlertDependencies,
  { groupId, at, thresholds }: AlertQuery,
): Promise<Alert[]> {
  const today = dayOf(at.getTime());
  const cuts = alertCuts(today, thresholds);
  const [visits, terms, news, hearings, pending] = await Promise.all([
    deps.views.casesDue('visit', cuts.visit, groupId),
    deps.views.casesDue('term', cuts.term, groupId),
    deps.views.casesDue('news', cuts.news, groupId),
    deps.views.casesDue('hearing', cuts.hearing, groupId),
    // pendingUntil ≤ at: a key equal to `at` sorts before `at` and one more character.
    deps.views.casesDue('pending', `${at.toISOString()}~`, groupId),
  ]);
  const refolded = new Set(pending.map((due) => due.caseId));
  const held = (due: DueCase) => !refolded.has(due.caseId);
  // Each index's range holds the cases that may alert of its kind; the view it copied decides, by the rule
  // `alertsFor` applies, so the indexes and the folds cannot disagree.
  const alerts: (Alert | undefined)[] = [
    ...visits.filter(held).map(({ view }) => {
      const visit = alertDatesOf(view)?.visit;
      return visit ? visitAlert(view.caseId, visit, today, thresholds) : undefined;
    }),
    ...terms.filter(held).map(({ view }) => {
      const term = alertDatesOf(view)?.term;
      return term ? termAlert(view.caseId, term, today, thresholds) : undefined;
    }),
    ...news.filter(held).map(({ view }) => {
      const latest = alertDatesOf(view)?.news;
      return latest ? newsAlert(view.caseId, latest, today, thresholds) : undefined;
    }),
    ...hearings.filter(held).map(({ view }) => {
      const hearing = alertDatesOf(view)?.hearing;
      return hearing ? hearingAlert(view.caseId, hearing, today) : undefined;
    }),
  ];
  const folded = await mapInBatches([...refolded], FOLD_CONCURRENCY, (caseId) => foldedAt(deps, caseId, at));
  for (const view of folded) alerts.push(...alertsFor(view, at, thresholds));
  return alerts.filter((alert) => alert !== undefined);
}

/**
 * The alerts at a past moment: every view of the group (of all groups when none is asked), and each case in
 * custody then whose stored view does not hold then folded from the ledger. The cost grows with the group.
 */
async function alertsFromFolds(
  deps: AlertDependencies,
  { groupId, at, thresholds }: AlertQuery,
): Promise<Alert[]> {
  const alerts: Alert[] = [];
  for await (const page of deps.views.storedPages(groupId ? { groupId } : {})) {
    const candidates = page.filter((stored) => mayAlert(stored, at));
    const views = await mapInBatches(candidates, FOLD_CONCURRENCY, (stored) => viewAt(deps, stored, at));
    for (const view of views) alerts.push(...alertsFor(view, at, thresholds));
  }
  return alerts;
}

/** Tamper alerts at `at`: they concern the record, whoever the person is, so every case of the group, held or not. */
async function tamperAlerts(
  deps: AlertDependencies,
  groupId: string | undefined,
  at: Date,
): Promise<Alert[]> {
  const signals = await deps.tamperLog.signals();
  let inGroup: (caseId: string) => boolean = () => true;
  if (groupId !== undefined) {
    // Signals are rare: read the views of the flagged cases only, to know their groups.
    const flagged = [...new Set(signals.map((signal) => signal.caseId))];
    const stored = await mapInBatches(flagged, FOLD_CONCURRENCY, (caseId) =>
      deps.views.get(caseId, { timeline: false }),
    );
    const members = new Set(
      stored.flatMap((item) => (item?.view.groupId === groupId ? [item.view.caseId] : [])),
    );
    inGroup = (caseId) => members.has(caseId);
  }
  return signals.flatMap((signal) => {
    const alert = inGroup(signal.caseId) ? tamperAlert(signal, at) : undefined;
    return alert ? [alert] : [];
  });
}

/** The alerts of a group's cases at `at`, most urgent first, tampering with the record included. */
export async function findAlerts(deps: AlertDependencies, query: AlertQuery): Promise<Alert[]> {
  const fromIndexes = query.at.getTime() >= query.now.getTime();
  const [alerts, tampered] = await Promise.all([
    fromIndexes ? alertsFromIndexes(deps, query) : alertsFromFolds(deps, query),
    tamperAlerts(deps, query.groupId, query.at),
  ]);
  return [...alerts, ...tampered].sort(byUrgency);
}
