import { describe, expect, it } from 'vitest';
import { type AlertThresholds, alertsFor } from '../../domain/alerts.ts';
import type { IdentifiedEvent } from '../../domain/append-rules.ts';
import type { HearingAttendance } from '../../domain/event-catalogue.ts';
import { foldCase } from '../../domain/fold-case.ts';
import { detained, event, opening, record, released, retraction } from '../support/sample-events.ts';

const thresholds: AlertThresholds = { consularVisitDays: 30, custodyExpiringDays: 14, noNewsDays: 60 };
const COURT = 'Invented District Court';

const scheduled = (occurredAt: string, on: string) =>
  event('HearingScheduled', occurredAt, { court: COURT, on });
const held = (occurredAt: string, on: string, attended: HearingAttendance) =>
  event('HearingHeld', occurredAt, { court: COURT, on, attended });

/** Noon UTC on a day: alerts count whole days, so the hour must not matter. */
const at = (day: string) => new Date(`${day}T12:00:00Z`);

function viewOf(events: readonly IdentifiedEvent[], asOf?: Date) {
  return foldCase('C-1042', record([opening(), detained('2025-06-30'), ...events]), asOf ? { asOf } : {});
}

/** The `not_seen_at_hearing` alert of the case on `day`, folded as of that day. */
function hearingAlert(events: readonly IdentifiedEvent[], day: string) {
  return alertsFor(viewOf(events, at(day)), at(day), thresholds).find(
    (alert) => alert.kind === 'not_seen_at_hearing',
  );
}

describe('HearingHeld in the fold', () => {
  it('fulfils the hearing scheduled for its day: nextHearingAt moves past it', () => {
    const view = viewOf([scheduled('2025-07-01', '2025-07-10'), held('2025-07-10', '2025-07-10', 'yes')]);
    expect(view).toMatchObject({
      nextHearingAt: null,
      lastHearingAt: '2025-07-10',
      lastHearingAttended: 'yes',
      lastOccurredAt: '2025-07-10',
    });
  });

  it('fulfils an earlier scheduled hearing (adjourned and held later), not a later one', () => {
    expect(
      viewOf([scheduled('2025-07-01', '2025-07-10'), held('2025-07-14', '2025-07-14', 'yes')]).nextHearingAt,
    ).toBeNull();
    expect(
      viewOf([scheduled('2025-07-01', '2025-07-20'), held('2025-07-14', '2025-07-14', 'yes')]).nextHearingAt,
    ).toBe('2025-07-20');
  });

  it('keeps a schedule for a day already held out of nextHearingAt, whatever order the events came in', () => {
    // The schedule was reported after the hearing it announced.
    const view = viewOf([held('2025-07-10', '2025-07-10', 'no'), scheduled('2025-07-12', '2025-07-10')]);
    expect(view).toMatchObject({ nextHearingAt: null, lastHearingAt: '2025-07-10' });
  });

  it('keeps the latest hearing by its day, not by when it was reported', () => {
    const view = viewOf([held('2025-07-20', '2025-07-20', 'yes'), held('2025-07-22', '2025-07-10', 'no')]);
    expect(view).toMatchObject({ lastHearingAt: '2025-07-20', lastHearingAttended: 'yes' });
  });

  it('stops counting when retracted: the scheduled hearing is due again', () => {
    const heard = held('2025-07-10', '2025-07-10', 'yes');
    const view = viewOf([scheduled('2025-07-01', '2025-07-10'), heard, retraction(heard, '2025-07-11')]);
    expect(view).toMatchObject({
      nextHearingAt: '2025-07-10',
      lastHearingAt: null,
      lastHearingAttended: null,
    });
  });
});

describe('not_seen_at_hearing', () => {
  const schedule = scheduled('2025-07-01', '2025-07-10');

  it('is raised from the day after a scheduled hearing with nothing recorded of it, not on its day', () => {
    expect(hearingAlert([schedule], '2025-07-10')).toBeUndefined();
    expect(hearingAlert([schedule], '2025-07-11')).toEqual({
      caseId: 'C-1042',
      kind: 'not_seen_at_hearing',
      since: '2025-07-10',
      days: 1,
      held: false,
    });
    expect(hearingAlert([schedule], '2025-08-09')?.days).toBe(30);
  });

  it('is not raised for a held hearing where the person was seen, or where the source does not say', () => {
    expect(hearingAlert([schedule, held('2025-07-10', '2025-07-10', 'yes')], '2025-07-20')).toBeUndefined();
    expect(
      hearingAlert([schedule, held('2025-07-10', '2025-07-10', 'unknown')], '2025-07-20'),
    ).toBeUndefined();
  });

  it('is raised for a held hearing the person was not seen at, from the next day, until a later one sees them', () => {
    const absent = held('2025-07-10', '2025-07-10', 'no');
    expect(hearingAlert([schedule, absent], '2025-07-10')).toBeUndefined();
    expect(hearingAlert([schedule, absent], '2025-07-11')).toMatchObject({ since: '2025-07-10', held: true });
    // A new schedule does not end it; a hearing where the person is seen does.
    const next = scheduled('2025-07-12', '2025-08-01');
    expect(hearingAlert([schedule, absent, next], '2025-07-20')).toMatchObject({
      since: '2025-07-10',
      days: 10,
    });
    expect(
      hearingAlert([schedule, absent, next, held('2025-08-01', '2025-08-01', 'yes')], '2025-08-05'),
    ).toBeUndefined();
  });

  it('is not raised once the scheduled hearing is recorded held, even when recorded days later', () => {
    const late = held('2025-07-10', '2025-07-10', 'yes');
    expect(hearingAlert([schedule, late], '2025-07-11')).toBeUndefined();
  });

  it('comes back when the held hearing is retracted', () => {
    const heard = held('2025-07-10', '2025-07-10', 'yes');
    expect(hearingAlert([schedule, heard, retraction(heard, '2025-07-12')], '2025-07-15')).toMatchObject({
      since: '2025-07-10',
      held: false,
      days: 5,
    });
  });

  it('counts a held hearing of an uncertain date only once its latest moment has passed', () => {
    // "Some day in July": until the month is over, the view does not know of it, and the hearing is overdue.
    const july = held('2025-07', '2025-07-10', 'yes');
    expect(hearingAlert([schedule, july], '2025-07-20')).toMatchObject({ held: false, days: 10 });
    expect(hearingAlert([schedule, july], '2025-08-01')).toBeUndefined();
  });

  it('is not raised for a person released before the hearing', () => {
    expect(hearingAlert([schedule, released('2025-07-05')], '2025-07-20')).toBeUndefined();
  });

  it('is not raised for a hearing in the future, and is raised for a past one in the right order of kinds', () => {
    expect(hearingAlert([scheduled('2025-07-01', '2025-09-01')], '2025-08-01')).toBeUndefined();
    const kinds = alertsFor(viewOf([schedule], at('2025-09-15')), at('2025-09-15'), thresholds).map(
      (alert) => alert.kind,
    );
    expect(kinds).toEqual(['consular_visit_overdue', 'not_seen_at_hearing', 'no_news']);
  });
});
