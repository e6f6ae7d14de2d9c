import type { RunSummary } from '../../functions/notify/notifier.ts';
import { type Comparison, compare } from './comparison.ts';
import type { LatencySummary } from './measure.ts';

/** One timed pass of the notifier: how long `run` took, what it did, and the transactions it booked. */
export interface NotifyPass {
  readonly ms: number;
  readonly summary: RunSummary;
  /** Conditional transactions of changes the pass booked (open alerts at a baseline, notices, digest entries). */
  readonly bookings: number;
}

/** What the notify family measured, before it is put beside the raw figures. */
export interface NotifyFigures {
  readonly cases: number;
  /** Cases with an open alert (detained long ago, never visited) when the first pass runs. */
  readonly alerting: number;
  readonly immediate: number;
  readonly daily: number;
  /** Alerts resolved at once before the third pass. */
  readonly resolved: number;
  readonly first: NotifyPass;
  readonly quiet: NotifyPass;
  readonly resolve: NotifyPass;
  /** From the third pass's start to the last of its emails accepted by the SMTP server. */
  readonly lagMs: number;
  readonly emails: number;
  readonly raw: {
    /** A consistent `Query` of a partition holding one subscription's open alerts (as many items, as big). */
    readonly query: LatencySummary;
    /** `TransactWriteItems` of two conditional puts of items that size. */
    readonly transact: LatencySummary;
    /** The third pass's emails sent again, straight through the same SMTP transport, one after another. */
    readonly emailsMs: number;
  };
}

const per = (total: number, count: number) => (count > 0 ? total / count : Number.NaN);

/**
 * The notify family's rows: each pass whole, per subscription and per booking, beside the raw operations a
 * pass rests on (a subscription's open alerts are one partition's `Query`; a change is booked in a transaction
 * of two items, the alert's state and its notice or digest entry), and the lag of the emails beside the same
 * emails sent without the notifier. A whole pass's raw figure is computed from the raw means, not measured.
 */
export function notifyComparisons(figures: NotifyFigures): Comparison[] {
  const subscriptions = figures.immediate + figures.daily;
  const { query, transact, emailsMs } = figures.raw;
  const queryOf = `Query of one partition, ${figures.alerting} items`;
  const transactOf = 'TransactWriteItems, 2 conditional puts';
  const detail = (pass: NotifyPass) => ({
    passMs: pass.ms,
    summary: pass.summary,
    bookings: pass.bookings,
    subscriptions,
    immediate: figures.immediate,
    daily: figures.daily,
    cases: figures.cases,
    alerting: figures.alerting,
    resolved: figures.resolved,
    rawQuery: query,
    rawTransact: transact,
  });
  const rows = (id: string, title: string, pass: NotifyPass, extraRawMs = 0, extraRawOf = '') => {
    const computed = subscriptions * query.mean + pass.bookings * transact.mean + extraRawMs;
    const passRows = [
      compare({
        family: 'notify',
        id: `notify.${id}.pass`,
        name: `${title}, whole pass`,
        unit: 'ms',
        better: 'lower',
        ledger: pass.ms,
        ledgerOf: `Notifier.run, ${subscriptions} subscriptions, ${pass.bookings} bookings`,
        raw: computed,
        rawOf: `${subscriptions} × Query + ${pass.bookings} × TransactWriteItems${extraRawOf} (computed from the means)`,
        detail: detail(pass),
      }),
      compare({
        family: 'notify',
        id: `notify.${id}.per-subscription`,
        name: `${title}, per subscription`,
        unit: 'ms',
        better: 'lower',
        ledger: per(pass.ms, subscriptions),
        ledgerOf: 'Notifier.run ÷ subscriptions',
        raw: query.mean,
        rawOf: queryOf,
        detail: detail(pass),
      }),
    ];
    if (pass.bookings === 0) return passRows;
    return [
      ...passRows,
      compare({
        family: 'notify',
        id: `notify.${id}.per-booking`,
        name: `${title}, per booking`,
        unit: 'ms',
        better: 'lower',
        ledger: per(pass.ms, pass.bookings),
        ledgerOf: 'Notifier.run ÷ bookings',
        raw: transact.mean,
        rawOf: transactOf,
        detail: detail(pass),
      }),
    ];
  };
  return [
    ...rows('first', `first pass (baselines, ${figures.alerting} open alerts each)`, figures.first),
    ...rows('quiet', 'quiet pass (nothing changed)', figures.quiet),
    ...rows(
      'resolve',
      `${figures.resolved} alerts resolved at once (${figures.emails} emails)`,
      figures.resolve,
      emailsMs,
      ` + ${figures.emails} emails`,
    ),
    compare({
      family: 'notify',
      id: 'notify.resolve.email-lag',
      name: `${figures.resolved} alerts resolved: pass start → last of ${figures.emails} emails received`,
      unit: 'ms',
      better: 'lower',
      ledger: figures.lagMs,
      ledgerOf: 'Notifier.run, to an SMTP server on loopback',
      raw: emailsMs,
      rawOf: `the same ${figures.emails} emails sent straight through the SMTP transport, one after another`,
      detail: { emails: figures.emails, immediate: figures.immediate, resolved: figures.resolved },
    }),
  ];
}
