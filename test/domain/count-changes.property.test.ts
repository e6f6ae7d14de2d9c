import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dayOf } from '../../domain/calendar.ts';
import type { CaseTimeline } from '../../domain/case-timeline.ts';
import { type CountChange, countChangesOf, countDelta } from '../../domain/count-changes.ts';
import { caseTimeline } from '../../domain/fold-case.ts';
import {
  type DayCounters,
  seriesOfCounters,
  seriesStartOfCounters,
  summaryOfCounters,
} from '../../domain/kept-counts.ts';
import { summarize } from '../../domain/summary.ts';
import { defaultSeriesStart, summarySeries } from '../../domain/summary-series.ts';
import { record, retraction } from '../support/sample-events.ts';
import { facts, generatedOpening, moment, toEvents } from './event-arbitraries.ts';

/** A case's timeline from random events (a retraction sometimes), of one of a few nationalities. */
const timelineArbitrary: fc.Arbitrary<CaseTimeline> = fc
  .record({
    list: facts(undefined, { minLength: 0, maxLength: 8 }),
    retract: fc.option(fc.nat(), { freq: 3 }),
    nationality: fc.constantFrom('Utopia', 'Erewhon', null),
    undated: fc.boolean(),
  })
  .map(({ list, retract, nationality, undated }) => {
    const world = toEvents(list);
    const target = retract === null || world.length === 0 ? undefined : world[retract % world.length];
    const events = record([generatedOpening, ...world, ...(target ? [retraction(target)] : [])]);
    const timeline = { ...caseTimeline(events), nationality };
    // A record with no dated event at all: `unknown` from the beginning of time.
    return undated ? { ...timeline, steps: [] } : timeline;
  });

function sumUpTo(changes: readonly CountChange[], at: number): Map<string, number> {
  const counters = new Map<string, number>();
  for (const change of changes) {
    if (change.at <= at) counters.set(change.key, (counters.get(change.key) ?? 0) + change.by);
  }
  return counters;
}

/** Changes summed by the UTC day they happen on, the beginning of time before every day: how they are kept. */
function byDay(changes: readonly CountChange[]): DayCounters[] {
  const days = new Map<string, Map<string, number>>();
  for (const change of changes) {
    const day = Number.isFinite(change.at) ? dayOf(change.at) : '0000-00-00';
    const counters = days.get(day) ?? new Map<string, number>();
    counters.set(change.key, (counters.get(change.key) ?? 0) + change.by);
    days.set(day, counters);
  }
  return [...days.keys()].sort().map((day) => ({ day, counters: days.get(day)! }));
}

/** The moments where an off-by-one would show: each change's own moment and the one before it. */
function edgesOf(changes: readonly CountChange[]): number[] {
  return changes
    .filter((change) => Number.isFinite(change.at))
    .flatMap((change) => [change.at - 1, change.at]);
}

describe('the changes of the counts a timeline makes', () => {
  it('sum, over any cases up to any moment, to what summarize counts then', () => {
    fc.assert(
      fc.property(fc.array(timelineArbitrary, { minLength: 1, maxLength: 6 }), moment, (timelines, asked) => {
        const changes = timelines.flatMap(countChangesOf);
        for (const at of [asked.getTime(), ...edgesOf(changes)]) {
          expect(summaryOfCounters(sumUpTo(changes, at))).toEqual(summarize(timelines, at));
        }
      }),
      { numRuns: 200 },
    );
  });

  it('move by a delta that turns one timeline of a case into the next, at every moment', () => {
    fc.assert(
      fc.property(timelineArbitrary, timelineArbitrary, moment, (before, after, asked) => {
        const moved = [...countChangesOf(before), ...countDelta(before, after)];
        for (const at of [asked.getTime(), ...edgesOf(moved)]) {
          expect(summaryOfCounters(sumUpTo(moved, at))).toEqual(summarize([after], at));
        }
        // Counting a case and taking it out again leaves nothing.
        expect(countDelta(after, after)).toEqual([]);
        expect(
          summaryOfCounters(sumUpTo([...countChangesOf(before), ...countDelta(before, undefined)], Infinity)),
        ).toEqual(summarize([], 0));
      }),
      { numRuns: 200 },
    );
  });

  it('summed by day, give the series summarySeries folds, and the same default start', () => {
    fc.assert(
      fc.property(
        fc.array(timelineArbitrary, { minLength: 1, maxLength: 6 }),
        moment,
        fc.integer({ min: 0, max: 400 }),
        (timelines, end, span) => {
          const to = dayOf(end.getTime());
          const days = byDay(timelines.flatMap(countChangesOf)).filter((day) => day.day <= to);
          const from = dayOf(end.getTime() - span * 86_400_000);
          expect(seriesStartOfCounters(days, to)).toBe(defaultSeriesStart(timelines, to));
          expect(seriesOfCounters(days, { from, to })).toEqual(summarySeries(timelines, { from, to }));
        },
      ),
      { numRuns: 200 },
    );
  });
});
