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
  'not_seen_at_hearing',
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
  | {
      readonly caseId: string;
      readonly kind: 'not_seen_at_hearing';
      /** The day of the hearing the person was not seen at. */
      readonly since: string;
      /** Days since that day (1 on the day after). */
      readonly days: number;
      /** `true`: the hearing was held and the person not seen; `false`: nothing is recorded of it. */
      readonly held: boolean;
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
 * A date an alert is measured from: the occurred-at text the alert reports, and the UTC day of its latest
 * bound, which the days are counted from. An uncertain date is read at its latest bound, as the fold counts
 * it: a visit in "2025-07" may have been on the 31st, so no alert claims more days than are certain.
 */
export interface AlertSince {
  readonly since: string;
  readonly day: string;
}

/**
 * The dates a case's alerts are measured from, as of the moment of its view; `null` out of custody, where a
 * case has no alerts. The alert indexes are keyed by these days, and every alert is one of them compared
 * with a day, so the indexes and `alertsFor` can never disagree on who alerts.
 */
export interface AlertDates {
  /** The last consular visit, else the detention. */
  readonly visit: AlertSince | null;
  /** The last day of the custody term. */
  readonly term: string | null;
  /** The latest event that counts. */
  readonly news: AlertSince | null;
  /** The hearing the person may not have been seen at. */
  readonly hearing: HearingDue | null;
}

/**
 * A hearing whose passing alerts: the day of the latest one held where the person was not seen (`held`), or,
 * when there is none, of the scheduled hearing no held one has fulfilled. An absence comes first because it is
 * known, and it lasts until a later hearing where the person is seen — a new schedule does not end it.
 */
export interface HearingDue {
  readonly day: string;
  readonly held: boolean;
}

function hearingDueOf(view: CaseView): HearingDue | null {
  if (view.lastHearingAt !== null && view.lastHearingAttended === 'no') {
    return { day: view.lastHearingAt, held: true };
  }
  return view.nextHearingAt === null ? null : { day: view.nextHearingAt, held: false };
}

function sinceOf(occurredAt: string | null): AlertSince | null {
  return occurredAt === null ? null : { since: occurredAt, day: dayOf(occurredAtOf(occurredAt).latest) };
}

/** The alert dates of a case's view, or `null` when the person is not in custody then. */
export function alertDatesOf(view: CaseView): AlertDates | null {
  if (!custodyStatuses.has(view.status)) return null;
  return {
    visit: sinceOf(view.lastConsularVisitAt ?? view.detainedAt),
    term: view.custodyUntil,
    news: sinceOf(view.lastOccurredAt),
    hearing: hearingDueOf(view),
  };
}

/**
 * For each alert kind keyed by a day, the first day that no longer alerts on `today`: a case alerts exactly
 * when its day sorts before it, so an index keyed `<day>#<caseId>` answers with the range `sk < cut`.
 */
export function alertCuts(today: string, thresholds: AlertThresholds) {
  return {
    // days > N ⇔ day < today − N
    visit: addDays(today, -thresholds.consularVisitDays),
    // a term ending within D days, or already past ⇔ custodyUntil ≤ today + D
    term: addDays(today, thresholds.custodyExpiringDays + 1),
    news: addDays(today, -thresholds.noNewsDays),
    // the day after the hearing day alerts ⇔ day < today
    hearing: today,
  } as const;
}

/** An alert of a date too long ago: `kind` when more than `limit` whole days lie between its day and `today`. */
function overdueAlert<K extends 'consular_visit_overdue' | 'no_news'>(
  kind: K,
  caseId: string,
  { since, day }: AlertSince,
  today: string,
  limit: number,
): Alert | undefined {
  const days = daysBetween(day, today);
  return days > limit ? { caseId, kind, since, days } : undefined;
}

/** A consular visit overdue on `today`, if it is. */
export function visitAlert(
  caseId: string,
  since: AlertSince,
  today: string,
  thresholds: AlertThresholds,
): Alert | undefined {
  return overdueAlert('consular_visit_overdue', caseId, since, today, thresholds.consularVisitDays);
}

/** A custody term expiring soon or lapsed on `today`, if it is. */
export function termAlert(
  caseId: string,
  custodyUntil: string,
  today: string,
  thresholds: AlertThresholds,
): Alert | undefined {
  const left = daysBetween(today, custodyUntil);
  if (left < 0) return { caseId, kind: 'custody_term_lapsed', since: addDays(custodyUntil, 1), days: -left };
  if (left <= thresholds.custodyExpiringDays) {
    return { caseId, kind: 'custody_term_expiring', due: custodyUntil, days: left };
  }
  return undefined;
}

/**
 * Not seen at a hearing on `today`, if so: from the day after the hearing's day, whole UTC days like the other
 * alerts, so a hearing recorded on its own day never alerts.
 */
export function hearingAlert(caseId: string, hearing: HearingDue, today: string): Alert | undefined {
  const days = daysBetween(hearing.day, today);
  return days > 0
    ? { caseId, kind: 'not_seen_at_hearing', since: hearing.day, days, held: hearing.held }
    : undefined;
}

/** No news of the person on `today`, if so. */
export function newsAlert(
  caseId: string,
  since: AlertSince,
  today: string,
  thresholds: AlertThresholds,
): Alert | undefined {
  return overdueAlert('no_news', caseId, since, today, thresholds.noNewsDays);
}

/**
 * The alerts of one case as of `asOf`. `view` must be the case's view as of that same moment; the rules count
 * whole UTC calendar days, so an alert starts on the first day past its threshold, never mid-day.
 */
export function alertsFor(view: CaseView, asOf: Date, thresholds: AlertThresholds): Alert[] {
  const dates = alertDatesOf(view);
  if (dates === null) return [];
  const today = dayOf(asOf.getTime());
  const { caseId } = view;
  const alerts = [
    dates.visit && visitAlert(caseId, dates.visit, today, thresholds),
    dates.term !== null ? termAlert(caseId, dates.term, today, thresholds) : undefined,
    dates.hearing && hearingAlert(caseId, dates.hearing, today),
    dates.news && newsAlert(caseId, dates.news, today, thresholds),
  ];
  return alerts.filter((alert): alert is Alert => alert !== undefined && alert !== null);
}

/** Orders alerts the way a desk reads them: by kind as `alertKinds` lists them, the longest-running first. */
export function byUrgency(a: Alert, b: Alert): number {
  return (
    alertKinds.indexOf(a.kind) - alertKinds.indexOf(b.kind) ||
    (a.kind === 'custody_term_expiring' ? a.days - b.days : b.days - a.days) ||
    (a.caseId < b.caseId ? -1 : a.caseId > b.caseId ? 1 : 0)
  );
}
