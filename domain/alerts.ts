import { addDays, dayOf, daysBetween } from './calendar.ts';
import { custodyStatuses } from './case-status.ts';
import type { CaseView } from './case-view.ts';
import { occurredAtOf } from './occurred-at.ts';

/** The alert kinds: tampering with the record first, then the others in the order a desk reads them. */
export const alertKinds = [
  'ledger_tampered',
  'consular_visit_overdue',
  'custody_term_expiring',
  'custody_term_lapsed',
  'no_news',
] as const;
export type AlertKind = (typeof alertKinds)[number];

/** How many days make each alert; defaults come from configuration, and a caller may override them. */
export interface AlertThresholds {
  /** More days than this without a consular visit (since detention or the last visit) is overdue. */
  readonly consularVisitDays: number;
  /** A custody term ending within this many days (0: today) is expiring. */
  readonly custodyExpiringDays: number;
  /** More days than this without any event is no news. */
  readonly noNewsDays: number;
}

export const DEFAULT_ALERT_THRESHOLDS: AlertThresholds = {
  consularVisitDays: 30,
  custodyExpiringDays: 14,
  noNewsDays: 60,
};

/**
 * An alert: derived from a view at a moment, never stored as a fact. `since` is the occurred-at text (or day)
 * the situation started from; `due` the day a term ends; `days` how long it has lasted, or is left.
 */
export type Alert =
  | {
      readonly caseId: string;
      readonly kind: 'consular_visit_overdue';
      readonly since: string;
      readonly days: number;
    }
  | {
      readonly caseId: string;
      readonly kind: 'custody_term_expiring';
      readonly due: string;
      readonly days: number;
    }
  | {
      readonly caseId: string;
      readonly kind: 'custody_term_lapsed';
      readonly since: string;
      readonly days: number;
    }
  | { readonly caseId: string; readonly kind: 'no_news'; readonly since: string; readonly days: number }
  | {
      readonly caseId: string;
      readonly kind: 'ledger_tampered';
      /** When the change was seen on the ledger's stream. */
      readonly since: string;
      readonly days: number;
      /** The event that was changed or removed, and how. */
      readonly version: number;
      readonly change: 'modified' | 'removed';
    };

/** What the projector saw: an event item of the ledger modified or removed outside the application. */
export interface TamperSignal {
  readonly caseId: string;
  readonly version: number;
  readonly change: 'modified' | 'removed';
  /** ISO instant the projector saw it. */
  readonly detectedAt: string;
}

/** A tamper signal as an alert at `asOf`; none for a signal seen after that moment. */
export function tamperAlert(signal: TamperSignal, asOf: Date): Alert | undefined {
  const seen = Date.parse(signal.detectedAt);
  if (seen > asOf.getTime()) return undefined;
  return {
    caseId: signal.caseId,
    kind: 'ledger_tampered',
    since: signal.detectedAt,
    days: daysBetween(dayOf(seen), dayOf(asOf.getTime())),
    version: signal.version,
    change: signal.change,
  };
}

/**
 * Days from an occurred-at to a day. An uncertain date is read at its latest bound, as the fold counts it:
 * a visit in "2025-07" may have been on the 31st, so no alert claims more days than are certain.
 */
function daysSince(occurredAt: string, today: string): number {
  return daysBetween(dayOf(occurredAtOf(occurredAt).latest), today);
}

/**
 * The alerts of one case as of `asOf`. `view` must be the case's view as of that same moment; the rules count
 * whole UTC calendar days, so an alert starts on the first day past its threshold, never mid-day.
 */
export function alertsFor(view: CaseView, asOf: Date, thresholds: AlertThresholds): Alert[] {
  if (!custodyStatuses.has(view.status)) return [];
  const today = dayOf(asOf.getTime());
  const alerts: Alert[] = [];
  const visitedOrHeldSince = view.lastConsularVisitAt ?? view.detainedAt;
  if (visitedOrHeldSince !== null) {
    const days = daysSince(visitedOrHeldSince, today);
    if (days > thresholds.consularVisitDays) {
      alerts.push({ caseId: view.caseId, kind: 'consular_visit_overdue', since: visitedOrHeldSince, days });
    }
  }
  if (view.custodyUntil !== null) {
    const left = daysBetween(today, view.custodyUntil);
    if (left < 0) {
      alerts.push({
        caseId: view.caseId,
        kind: 'custody_term_lapsed',
        since: addDays(view.custodyUntil, 1),
        days: -left,
      });
    } else if (left <= thresholds.custodyExpiringDays) {
      alerts.push({ caseId: view.caseId, kind: 'custody_term_expiring', due: view.custodyUntil, days: left });
    }
  }
  if (view.lastOccurredAt !== null) {
    const days = daysSince(view.lastOccurredAt, today);
    if (days > thresholds.noNewsDays) {
      alerts.push({ caseId: view.caseId, kind: 'no_news', since: view.lastOccurredAt, days });
    }
  }
  return alerts;
}

/** Orders alerts the way a desk reads them: by kind as `alertKinds` lists them, the longest-running first. */
export function byUrgency(a: Alert, b: Alert): number {
  return (
    alertKinds.indexOf(a.kind) - alertKinds.indexOf(b.kind) ||
    (a.kind === 'custody_term_expiring' ? a.days - b.days : b.days - a.days) ||
    (a.caseId < b.caseId ? -1 : a.caseId > b.caseId ? 1 : 0)
  );
}
