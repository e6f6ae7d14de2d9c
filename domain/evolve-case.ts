import { addMonthsToDay, dayOf } from './calendar.ts';
import type { CaseStatus } from './case-status.ts';
import type { CaseView, StatusInterval } from './case-view.ts';
import type { Charge, HearingAttendance, ReleaseMode } from './event-catalogue.ts';
import type { OccurredAt } from './occurred-at.ts';
import type { StoredEvent } from './stored-event.ts';

/** The facts of a case that events change; the view adds the bookkeeping (version, pending, …). */
export type CaseFacts = Omit<CaseView, 'caseId' | 'pending' | 'pendingUntil' | 'version' | 'lastRecordedAt'>;

/** An event with its occurred-at parsed: what the fold orders and evolves over. */
export interface DatedEvent {
  readonly event: StoredEvent;
  readonly occurred: OccurredAt;
}

export function initialFacts(): CaseFacts {
  return {
    groupId: null,
    nationality: null,
    status: 'unknown',
    facility: null,
    charges: [],
    detainedAt: null,
    releasedAt: null,
    releaseMode: null,
    custodyUntil: null,
    lastConsularVisitAt: null,
    consularVisitCount: 0,
    nextHearingAt: null,
    lastHearingAt: null,
    lastHearingAttended: null,
    lastOccurredAt: null,
    statusHistory: [],
  };
}

/** Closes the open interval and opens one for the new status, unless the status does not change. */
function withStatus(facts: CaseFacts, status: CaseStatus, at: string): CaseFacts {
  if (facts.status === status && facts.statusHistory.length > 0) return facts;
  const history: StatusInterval[] = facts.statusHistory.map((interval, index, all) =>
    index === all.length - 1 && interval.to === null ? { ...interval, to: at } : interval,
  );
  return { ...facts, status, statusHistory: [...history, { status, from: at, to: null }] };
}

function addCharges(current: readonly Charge[], added: readonly Charge[]): Charge[] {
  const key = (charge: Charge) => `${charge.text}\u0000${charge.article ?? ''}`;
  const seen = new Set(current.map(key));
  return [...current, ...added.filter((charge) => !seen.has(key(charge)))];
}

function released(facts: CaseFacts, mode: ReleaseMode, at: string): CaseFacts {
  if (mode === 'house_arrest') return withStatus({ ...facts, facility: null }, 'house_arrest', at);
  return withStatus(
    { ...facts, releasedAt: at, releaseMode: mode, custodyUntil: null, facility: null },
    'released',
    at,
  );
}

/** A court-ordered term: an end date, or months counted from the order's day (or from the current term). */
function termEnd(term: { until?: string; months?: number }, fromDay: string): string {
  if (term.until !== undefined) return term.until;
  return addMonthsToDay(fromDay, term.months ?? 0);
}

/**
 * A hearing scheduled for `on`: it becomes the next hearing (a new date replaces an earlier schedule, as a
 * postponement does) unless a hearing already held on that day or later has fulfilled it — a schedule reported
 * with a later date than the hearing it announced must not bring back a hearing that took place.
 */
function scheduled(facts: CaseFacts, on: string): CaseFacts {
  if (facts.lastHearingAt !== null && on <= facts.lastHearingAt) return facts;
  return { ...facts, nextHearingAt: on };
}

/**
 * A hearing held on `on` fulfils the scheduled hearing of that day or of any earlier one (a hearing adjourned and
 * held later is still held), so `nextHearingAt` moves past it. The latest hearing by its day is the one kept;
 * of two on the same day, the one folded last.
 */
function heard(facts: CaseFacts, on: string, attended: HearingAttendance): CaseFacts {
  const fulfilled = facts.nextHearingAt !== null && facts.nextHearingAt <= on;
  const latest = facts.lastHearingAt === null || facts.lastHearingAt <= on;
  return {
    ...facts,
    ...(fulfilled && { nextHearingAt: null }),
    ...(latest && { lastHearingAt: on, lastHearingAttended: attended }),
  };
}

/** A status that custody orders and transfers imply when the record had not said the person was held. */
function heldStatus(status: CaseStatus): CaseStatus {
  return status === 'unknown' || status === 'released' ? 'detained' : status;
}

/**
 * Facts for an event that shows the person held (a custody order, an extension, a transfer). If the record
 * had them free or unknown, custody begins again here, so the view never says "detained" beside a release.
 */
function held(facts: CaseFacts, at: string): CaseFacts {
  if (facts.status !== 'unknown' && facts.status !== 'released') return facts;
  return { ...facts, detainedAt: at, releasedAt: null, releaseMode: null };
}

/** Applies a `CaseOpened`: who the case is about and which group it belongs to. */
export function openCase(facts: CaseFacts, event: StoredEvent): CaseFacts {
  if (event.type !== 'CaseOpened') return facts;
  return {
    ...facts,
    groupId: event.data.groupId ?? null,
    nationality: event.data.subject.nationality ?? null,
  };
}

/**
 * Applies one event to the facts of a case (the `evolve` of the fold). Pure; events arrive in the order they
 * occurred. `Retracted` never reaches it: the fold takes retracted events out first.
 */
export function evolveCase(facts: CaseFacts, { event, occurred }: DatedEvent): CaseFacts {
  const at = event.occurredAt;
  const next: CaseFacts = { ...facts, lastOccurredAt: at };
  switch (event.type) {
    case 'CaseOpened':
      // Applied by `openCase` before the timeline; it is no news about the person.
      return facts;
    case 'Erased':
      // The record keeping lost the person's name; nothing happened to the person.
      return facts;
    case 'Detained': {
      const newlyHeld = facts.status === 'unknown' || facts.status === 'released';
      return withStatus(
        {
          ...next,
          facility: event.data.facility ?? facts.facility,
          ...(newlyHeld && { detainedAt: at, releasedAt: null, releaseMode: null }),
        },
        'detained',
        at,
      );
    }
    case 'Charged':
      return { ...next, charges: addCharges(facts.charges, event.data.charges) };
    case 'ChargesChanged':
      return { ...next, charges: [...event.data.charges] };
    case 'CustodyOrdered':
      return withStatus(
        { ...held(next, at), custodyUntil: termEnd(event.data, dayOf(occurred.earliest)) },
        facts.status === 'house_arrest' ? 'house_arrest' : 'detained',
        at,
      );
    case 'CustodyExtended':
      return withStatus(
        {
          ...held(next, at),
          custodyUntil: termEnd(event.data, facts.custodyUntil ?? dayOf(occurred.earliest)),
        },
        heldStatus(facts.status),
        at,
      );
    case 'HearingScheduled':
      return scheduled(next, event.data.on);
    case 'HearingHeld':
      return heard(next, event.data.on, event.data.attended);
    case 'Sentenced':
      return withStatus(
        { ...next, custodyUntil: null, facility: event.data.facility ?? facts.facility },
        'sentenced',
        at,
      );
    case 'Acquitted':
      // An acquittal is not a release: people stay held pending appeal or paperwork, so only Released ends custody.
      return next;
    case 'Transferred':
      return withStatus({ ...held(next, at), facility: event.data.toFacility }, heldStatus(facts.status), at);
    case 'ConsularVisit':
      return { ...next, lastConsularVisitAt: at, consularVisitCount: facts.consularVisitCount + 1 };
    case 'ConsularAccessDenied':
    case 'FamilyContact':
      return next;
    case 'Released':
      return released(next, event.data.mode, at);
    case 'DiedInCustody':
      return withStatus({ ...next, custodyUntil: null }, 'deceased', at);
    case 'Retracted':
      return facts;
  }
}
