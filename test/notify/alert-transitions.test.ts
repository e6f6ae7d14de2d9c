import { describe, expect, it } from 'vitest';
import { alertTransitions, type CurrentAlert } from '../../domain/notifications/alert-transitions.ts';
import type { AlertMention } from '../../domain/notifications/notice.ts';

const overdue = (caseId: string, days: number): CurrentAlert => ({
  caseId,
  kind: 'consular_visit_overdue',
  since: '2026-01-01',
  days,
  groupId: 'harbour',
});
const stored = (alert: CurrentAlert): AlertMention => {
  const { groupId, ...bare } = alert;
  return { alert: bare, groupId, raisedAt: '2026-02-01T00:00:00.000Z' };
};

describe('alert transitions', () => {
  it('a new alert is raised, a gone one resolved, a longer one still the same open alert', () => {
    const open = [stored(overdue('C-1', 31)), stored(overdue('C-2', 40))];
    const current = [overdue('C-1', 35), overdue('C-3', 31)];
    const { raised, stillOpen, resolved } = alertTransitions(open, current);
    expect(raised.map((a) => a.caseId)).toEqual(['C-3']);
    expect(stillOpen.map((s) => [s.stored.alert.days, s.current.days])).toEqual([[31, 35]]);
    expect(resolved.map((m) => m.alert.caseId)).toEqual(['C-2']);
  });

  it('the same case with another kind is another alert', () => {
    const term: CurrentAlert = {
      caseId: 'C-1',
      kind: 'custody_term_expiring',
      due: '2026-03-01',
      days: 3,
      groupId: null,
    };
    const { raised, resolved } = alertTransitions([stored(overdue('C-1', 31))], [term]);
    expect(raised).toEqual([term]);
    expect(resolved).toHaveLength(1);
  });

  it('nothing before and nothing now: nothing; a repeated current alert is counted once', () => {
    expect(alertTransitions([], [])).toEqual({ raised: [], stillOpen: [], resolved: [] });
    expect(alertTransitions([], [overdue('C-1', 31), overdue('C-1', 31)]).raised).toHaveLength(1);
  });
});
