import { describe, expect, it } from 'vitest';
import { families } from '../../local/bench/comparison.ts';
import { summarize } from '../../local/bench/measure.ts';
import { type NotifyFigures, notifyComparisons } from '../../local/bench/notify-report.ts';
import { comparisonTable } from '../../local/bench/report-table.ts';

const summary = (resolved = 0, delivered = 0) => ({ raised: 0, resolved, digests: 0, delivered, failed: 0 });

/** 4 + 4 subscriptions over 10 alerting cases, 2 of them resolved: raw Query 2 ms, transaction 5 ms. */
const figures: NotifyFigures = {
  cases: 20,
  alerting: 10,
  immediate: 4,
  daily: 4,
  resolved: 2,
  first: { ms: 800, summary: summary(), bookings: 80 },
  quiet: { ms: 40, summary: summary(), bookings: 0 },
  resolve: { ms: 160, summary: summary(16, 8), bookings: 16 },
  lagMs: 150,
  emails: 8,
  raw: { query: summarize([1, 2, 3]), transact: summarize([4, 5, 6]), emailsMs: 30 },
};

describe('the notify family', () => {
  const rows = notifyComparisons(figures);
  const byId = new Map(rows.map((row) => [row.id, row]));

  it('is a family of its own, measured against the running system', () => {
    expect(families).toContain('notify');
    expect(rows.every((row) => row.family === 'notify' && row.unit === 'ms' && row.better === 'lower')).toBe(
      true,
    );
  });

  it('gives each pass per subscription beside a raw Query, and per booking beside a raw transaction', () => {
    expect(byId.get('notify.first.per-subscription')).toMatchObject({ ledger: 100, raw: 2, ratio: 50 });
    expect(byId.get('notify.first.per-booking')).toMatchObject({ ledger: 10, raw: 5, ratio: 2 });
    expect(byId.get('notify.resolve.per-booking')).toMatchObject({ ledger: 10, raw: 5, ratio: 2 });
    expect(byId.get('notify.quiet.per-subscription')).toMatchObject({ ledger: 5, raw: 2, ratio: 2.5 });
  });

  it('has no per-booking row for a pass that booked nothing, rather than a division by zero', () => {
    expect(byId.has('notify.quiet.per-booking')).toBe(false);
    expect(rows.every((row) => Number.isFinite(row.ledger) && row.ratio !== null)).toBe(true);
  });

  it("puts a whole pass beside the raw operations it rests on, computed from the run's raw means", () => {
    // 8 Queries of 2 ms and 80 transactions of 5 ms; the third pass adds its emails sent straight.
    expect(byId.get('notify.first.pass')).toMatchObject({ ledger: 800, raw: 416, ratio: 800 / 416 });
    expect(byId.get('notify.quiet.pass')).toMatchObject({ ledger: 40, raw: 16 });
    expect(byId.get('notify.resolve.pass')).toMatchObject({ ledger: 160, raw: 16 + 80 + 30 });
  });

  it('gives the lag to the last email beside the same emails sent without the notifier', () => {
    expect(byId.get('notify.resolve.email-lag')).toMatchObject({ ledger: 150, raw: 30, ratio: 5 });
  });

  it('prints one row per figure in the report table', () => {
    const table = comparisonTable(rows);
    expect(table.split('\n')).toHaveLength(2 + rows.length);
    expect(table).toContain('| notify | quiet pass (nothing changed), per subscription | 5.00 ms');
  });
});
