import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { IdentifiedEvent } from '../../domain/append-rules.ts';
import { caseViewSchema } from '../../domain/case-view.ts';
import { type CaseFacts, evolveCase } from '../../domain/evolve-case.ts';
import { caseTimeline, foldCase } from '../../domain/fold-case.ts';
import { occurredAtOf } from '../../domain/occurred-at.ts';
import { PROJECTION_REVISION } from '../../domain/projection-revision.ts';
import type { StoredEvent } from '../../domain/stored-event.ts';
import { continueProjection, type RefoldReason } from '../../functions/projector/continue-projection.ts';
import type { StoredView } from '../../functions/store/stored-view.ts';
import {
  facts,
  LAST_DAY_INDEX,
  occurredAtIn,
  toEvent,
  toEvents,
  worldBody,
} from '../domain/event-arbitraries.ts';
import { fixedEventId, opening, record, retraction } from '../support/sample-events.ts';

const CASE_ID = 'case-under-test';
const FIRST_DAY = Date.UTC(2024, 0, 1);
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** One append and the projection that follows it: events dated around `base`, recorded, then projected. */
function appendArbitrary(base: number) {
  return fc.record({
    facts: fc.array(
      fc.record({ body: worldBody, occurredAt: occurredAtIn(base, Math.min(base + 6, LAST_DAY_INDEX)) }),
      { minLength: 1, maxLength: 3 },
    ),
    /** Retract an earlier world event (picked by index) at the end of this append. */
    retract: fc.oneof({ weight: 6, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.nat() }),
    /** How long after the last projection (or the latest start of its events) the append is recorded. */
    recordDelayMs: fc.oneof(
      { weight: 3, arbitrary: fc.integer({ min: 1, max: 10 * DAY_MS }) },
      { weight: 1, arbitrary: fc.integer({ min: 1, max: HOUR_MS }) },
    ),
    /** How long after the append the projector folds: mostly soon, sometimes much later, sometimes (clock skew) before. */
    projectDelayMs: fc.oneof(
      { weight: 6, arbitrary: fc.integer({ min: 0, max: 3 * DAY_MS }) },
      { weight: 2, arbitrary: fc.integer({ min: 3 * DAY_MS, max: 400 * DAY_MS }) },
      { weight: 1, arbitrary: fc.integer({ min: -2 * HOUR_MS, max: -1 }) },
    ),
  });
}

/**
 * A case's life as the projector sees it: the opening, then appends whose dates mostly move forward (so the
 * projector can often continue) but sometimes jump back (an event that lands in the past).
 */
const lives = fc.array(fc.integer({ min: -40, max: 90 }), { minLength: 1, maxLength: 8 }).chain((shifts) => {
  let day = 0;
  const bases = shifts.map((shift) => {
    day = Math.min(Math.max(day + shift, 0), LAST_DAY_INDEX);
    return day;
  });
  return fc.tuple(
    fc.integer({ min: 0, max: 2 * DAY_MS }),
    fc.tuple(...bases.map((base) => appendArbitrary(base))),
  );
});

/** A stored view as `ViewStore.get` gives it back: through storage and the view's schema. */
function stored(view: unknown, timeline: StoredView['timeline'], projectedAt: Date): StoredView {
  return {
    view: caseViewSchema.parse(JSON.parse(JSON.stringify(view))),
    ...(timeline && { timeline: JSON.parse(JSON.stringify(timeline)) }),
    projectedAt,
    projectionRevision: PROJECTION_REVISION,
  };
}

describe('continuing a stored projection with the events recorded after it', () => {
  it('gives exactly the view and timeline of folding the whole stream, whenever it continues at all', () => {
    const outcomes = new Map<'continued' | RefoldReason, number>();
    const count = (outcome: 'continued' | RefoldReason) =>
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);

    fc.assert(
      fc.property(lives, ([openingDelayMs, appends]) => {
        const identified: IdentifiedEvent[] = [
          { ...opening({ occurredAt: '2024-01-01T00:00:00Z' }), eventId: fixedEventId(1) },
        ];
        const recordedAt: string[] = [new Date(FIRST_DAY + openingDelayMs).toISOString()];
        const moments: Date[] = [new Date(FIRST_DAY + openingDelayMs + 1)];
        const batches: number[] = [1];
        const worldIds: string[] = [];
        for (const append of appends) {
          const events = append.facts.map((fact) => toEvent(fact, fixedEventId(identified.length + 1)));
          for (const event of events) {
            identified.push(event);
            worldIds.push(event.eventId);
          }
          if (append.retract !== null) {
            const target = identified.find(
              (event) => event.eventId === worldIds[append.retract! % worldIds.length],
            );
            identified.push({
              ...retraction(target!, '2024-01-01'),
              eventId: fixedEventId(identified.length + 1),
            });
          }
          // The ledger refuses events dated after the moment they are recorded: record after the latest start,
          // and after the last projection, as time goes on.
          const starts = events.map((event) => occurredAtOf(event.occurredAt).earliest);
          const previous = Date.parse(recordedAt.at(-1)!);
          const at = Math.max(previous + 1, moments.at(-1)!.getTime(), ...starts) + append.recordDelayMs;
          while (recordedAt.length < identified.length) recordedAt.push(new Date(at).toISOString());
          moments.push(new Date(at + append.projectDelayMs));
          batches.push(identified.length);
        }
        const all: StoredEvent[] = record(identified, {
          streamId: CASE_ID,
          recordedAt: (version) => recordedAt[version - 1]!,
        });

        let current: StoredView | undefined;
        for (const [index, through] of batches.entries()) {
          const events = all.slice(0, through);
          const asOf = moments[index]!;
          const whole = { view: foldCase(CASE_ID, events, { asOf }), timeline: caseTimeline(events) };
          if (current !== undefined) {
            const version: number = current.view.version;
            const next = continueProjection(
              current,
              events.filter((event) => event.version > version),
              asOf,
            );
            if (typeof next !== 'string') {
              count('continued');
              expect(next.view).toStrictEqual(whole.view);
              expect(next.timeline).toStrictEqual(whole.timeline);
              expect(next.projectedAt).toEqual(asOf);
              current = stored(next.view, next.timeline, asOf);
              continue;
            }
            count(next);
          }
          current = stored(whole.view, whole.timeline, asOf);
        }
      }),
      { numRuns: 250 },
    );

    // The property holds only where the projector continues: make sure it often does, and refuses for each cause.
    expect(outcomes.get('continued') ?? 0).toBeGreaterThan(100);
    for (const reason of ['pending', 'past-event', 'record-change', 'clock'] as const) {
      expect(outcomes.get(reason) ?? 0, reason).toBeGreaterThan(0);
    }
  });

  it('continues from a view folded before any dated event, and extends its timeline', () => {
    const opened = { ...opening({ occurredAt: '2025-07-01T09:00:00Z' }), eventId: fixedEventId(1) };
    const detained = toEvent(
      {
        body: { type: 'Detained', data: { place: 'Capital', facility: 'Central Remand Prison' } },
        occurredAt: '2025-06-30',
      },
      fixedEventId(2),
    );
    const events = record([opened, detained]);
    const asOf = new Date('2026-02-01T00:00:00Z');
    const first = stored(
      foldCase(CASE_ID, events.slice(0, 1), { asOf }),
      caseTimeline(events.slice(0, 1)),
      asOf,
    );
    const next = continueProjection(first, events.slice(1), asOf);
    expect(typeof next).toBe('object');
    expect(next).toMatchObject({
      view: foldCase(CASE_ID, events, { asOf }),
      timeline: caseTimeline(events),
    });
  });

  it('refuses a view written by another revision of the fold, or without its timeline', () => {
    const events = record([{ ...opening(), eventId: fixedEventId(1) }]);
    const asOf = new Date('2026-02-01T00:00:00Z');
    const view = foldCase(CASE_ID, events, { asOf });
    expect(
      continueProjection({ view, projectedAt: asOf, projectionRevision: PROJECTION_REVISION }, [], asOf),
    ).toBe('other-revision');
    expect(
      continueProjection(
        {
          view,
          timeline: caseTimeline(events),
          projectedAt: asOf,
          projectionRevision: PROJECTION_REVISION - 1,
        },
        [],
        asOf,
      ),
    ).toBe('other-revision');
  });
});

describe('what continuing relies on', () => {
  it('every event the fold applies either leaves the facts as they were or stamps its date on them', () => {
    // `continueProjection` finds the last event a stored view was folded from by `lastOccurredAt`: an event
    // type that changed the facts without stamping its date would make that wrong.
    fc.assert(
      fc.property(facts(), fc.record({ body: worldBody, occurredAt: occurredAtIn() }), (before, next) => {
        const events = record([{ ...opening(), eventId: fixedEventId(1) }, ...toEvents([...before, next])]);
        const stream = events.slice(0, -1);
        const last = events.at(-1)!;
        const {
          caseId: _c,
          pending: _p,
          pendingUntil: _u,
          version: _v,
          lastRecordedAt: _r,
          ...facts
        } = foldCase(CASE_ID, stream);
        const after: CaseFacts = evolveCase(facts, { event: last, occurred: occurredAtOf(last.occurredAt) });
        expect(isDeepStrictEqual(after, facts) || after.lastOccurredAt === last.occurredAt).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe('refusing to continue', () => {
  const opened = { ...opening({ occurredAt: '2025-07-01T09:00:00Z' }), eventId: fixedEventId(1) };
  const detained = toEvent(
    { body: { type: 'Detained', data: { place: 'Capital' } }, occurredAt: '2025-06-30' },
    fixedEventId(2),
  );
  const asOf = new Date('2026-02-01T00:00:00Z');

  it('refuses new events whose uncertain date has not ended at the moment of the fold', () => {
    const visit = toEvent(
      { body: { type: 'ConsularVisit', data: { by: 'Embassy of Utopia' } }, occurredAt: '2026-02?' },
      fixedEventId(3),
    );
    // Recorded once February had begun, folded ten days into it: the visit may still be ahead.
    const events = record([opened, detained, visit], { recordedAt: () => '2026-02-05T00:00:00.000Z' });
    const at = new Date('2026-02-10T00:00:00Z');
    const first = stored(
      foldCase(CASE_ID, events.slice(0, 2), { asOf: at }),
      caseTimeline(events.slice(0, 2)),
      at,
    );
    expect(continueProjection(first, events.slice(2), at)).toBe('not-yet-counted');
  });

  it('refuses new events that do not follow the stored version without a gap', () => {
    const visits = ['2025-07-03', '2025-07-14'].map((day, index) =>
      toEvent(
        { body: { type: 'ConsularVisit', data: { by: 'Embassy of Utopia' } }, occurredAt: day },
        fixedEventId(3 + index),
      ),
    );
    const events = record([opened, detained, ...visits]);
    const first = stored(
      foldCase(CASE_ID, events.slice(0, 2), { asOf }),
      caseTimeline(events.slice(0, 2)),
      asOf,
    );
    expect(continueProjection(first, events.slice(3), asOf)).toBe('gap');
  });
});
