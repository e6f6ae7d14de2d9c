import { describe, expect, it } from 'vitest';
import { type AlertThresholds, alertsFor, byUrgency } from '../../domain/alerts.ts';
import type { CaseView } from '../../domain/case-view.ts';
import { foldCase } from '../../domain/fold-case.ts';

const thresholds: AlertThresholds = { consularVisitDays: 30, custodyExpiringDays: 14, noNewsDays: 60 };

/** A view of a person in pre-trial custody; each test sets the dates it is about. */
function held(changes: Partial<CaseView>): CaseView {
  return { ...foldCase('case-a', []), status: 'detained', detainedAt: '2025-06-30', ...changes };
}

/** Noon UTC on a day: alerts count whole days, so the hour must not matter. */
const on = (day: string) => new Date(`${day}T12:00:00Z`);

function kinds(view: CaseView, day: string, given = thresholds) {
  return alertsFor(view, on(day), given).map((alert) => alert.kind);
}

describe('consular_visit_overdue', () => {
  const view = held({ lastConsularVisitAt: '2025-07-01', lastOccurredAt: '2025-07-30' });

  it('is raised only once more than N days have passed since the last visit', () => {
    expect(kinds(view, '2025-07-30')).not.toContain('consular_visit_overdue'); // 29 days
    expect(kinds(view, '2025-07-31')).not.toContain('consular_visit_overdue'); // 30 days: the threshold
    expect(alertsFor(view, on('2025-08-01'), thresholds)).toContainEqual({
      caseId: 'case-a',
      kind: 'consular_visit_overdue',
      since: '2025-07-01',
      days: 31,
    });
  });

  it('counts from detention when there has been no visit', () => {
    const never = held({ lastOccurredAt: '2025-07-30' });
    expect(kinds(never, '2025-07-30')).not.toContain('consular_visit_overdue'); // 30 days
    expect(alertsFor(never, on('2025-07-31'), thresholds)[0]).toMatchObject({
      since: '2025-06-30',
      days: 31,
    });
  });

  it('reads an uncertain visit at its latest moment, so it never claims days that are not certain', () => {
    const july = held({ lastConsularVisitAt: '2025-07?', lastOccurredAt: '2025-08-20' });
    expect(kinds(july, '2025-08-30')).not.toContain('consular_visit_overdue'); // 30 days after 31 July
    expect(alertsFor(july, on('2025-08-31'), thresholds)[0]).toMatchObject({ since: '2025-07?', days: 31 });
  });

  it('follows a per-call threshold', () => {
    // 8 days after the visit of 1 July.
    expect(kinds(view, '2025-07-09', { ...thresholds, consularVisitDays: 8 })).toEqual([]);
    expect(kinds(view, '2025-07-09', { ...thresholds, consularVisitDays: 7 })).toEqual([
      'consular_visit_overdue',
    ]);
  });

  it('is not raised for people no longer held', () => {
    for (const status of ['released', 'deceased', 'unknown'] as const) {
      expect(alertsFor({ ...view, status }, on('2026-01-01'), thresholds)).toEqual([]);
    }
    expect(kinds({ ...view, status: 'house_arrest' }, '2025-08-01')).toContain('consular_visit_overdue');
  });
});

describe('custody_term_expiring and custody_term_lapsed', () => {
  const view = held({
    custodyUntil: '2025-09-30',
    lastConsularVisitAt: '2025-09-10',
    lastOccurredAt: '2025-09-10',
  });

  it('warns from D days before the end of the term, through its last day', () => {
    expect(kinds(view, '2025-09-15')).toEqual([]); // 15 days left
    expect(alertsFor(view, on('2025-09-16'), thresholds)).toEqual([
      { caseId: 'case-a', kind: 'custody_term_expiring', due: '2025-09-30', days: 14 },
    ]);
    expect(alertsFor(view, on('2025-09-30'), thresholds)).toEqual([
      { caseId: 'case-a', kind: 'custody_term_expiring', due: '2025-09-30', days: 0 },
    ]);
  });

  it('reports a lapsed term from the day after its end, with the days since', () => {
    expect(alertsFor(view, on('2025-10-01'), thresholds)).toEqual([
      { caseId: 'case-a', kind: 'custody_term_lapsed', since: '2025-10-01', days: 1 },
    ]);
    expect(alertsFor(view, on('2025-10-05'), thresholds)).toContainEqual({
      caseId: 'case-a',
      kind: 'custody_term_lapsed',
      since: '2025-10-01',
      days: 5,
    });
  });

  it('says nothing of a term once the person is sentenced or released', () => {
    expect(kinds({ ...view, status: 'released' }, '2025-10-05')).toEqual([]);
    expect(kinds({ ...view, custodyUntil: null, status: 'sentenced' }, '2025-10-05')).toEqual([]);
  });

  it('with D = 0 warns on the last day only', () => {
    const noWarning = { ...thresholds, custodyExpiringDays: 0 };
    expect(kinds(view, '2025-09-29', noWarning)).toEqual([]);
    expect(kinds(view, '2025-09-30', noWarning)).toEqual(['custody_term_expiring']);
  });
});

describe('no_news', () => {
  const view = held({ lastConsularVisitAt: '2025-08-01', lastOccurredAt: '2025-08-01' });
  const loose = { ...thresholds, consularVisitDays: 3650 };

  it('is raised once more than K days have passed without any event', () => {
    expect(kinds(view, '2025-09-30', loose)).toEqual([]); // 60 days
    expect(alertsFor(view, on('2025-10-01'), loose)).toEqual([
      { caseId: 'case-a', kind: 'no_news', since: '2025-08-01', days: 61 },
    ]);
  });

  it('does not depend on the hour of the moment asked', () => {
    expect(alertsFor(view, new Date('2025-09-30T23:59:59.999Z'), loose)).toEqual([]);
    expect(alertsFor(view, new Date('2025-10-01T00:00:00.000Z'), loose)).toHaveLength(1);
  });
});

describe('byUrgency', () => {
  it('lists kinds in the order of the design, longest-running first, and expiring terms soonest first', () => {
    const alerts = [
      { caseId: 'b', kind: 'no_news', since: '2025-01-01', days: 70 },
      { caseId: 'a', kind: 'custody_term_expiring', due: '2025-09-30', days: 9 },
      { caseId: 'c', kind: 'custody_term_expiring', due: '2025-09-25', days: 4 },
      { caseId: 'd', kind: 'consular_visit_overdue', since: '2025-01-01', days: 40 },
      { caseId: 'e', kind: 'consular_visit_overdue', since: '2025-01-01', days: 90 },
    ] as const;
    expect([...alerts].sort(byUrgency).map((alert) => alert.caseId)).toEqual(['e', 'd', 'c', 'a', 'b']);
  });
});
