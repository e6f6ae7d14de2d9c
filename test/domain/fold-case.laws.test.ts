import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { IdentifiedEvent } from '../../domain/append-rules.ts';
import type { CaseView } from '../../domain/case-view.ts';
import { foldCase } from '../../domain/fold-case.ts';
import { fixedEventId, record, retraction } from '../support/sample-events.ts';
import { given } from './case-specification.ts';
import {
  boundsOf,
  type Fact,
  facts,
  factsWithDistinctDates,
  generatedOpening,
  LAST_DAY_INDEX,
  moment,
  occurredAtIn,
  toEvent,
  toEvents,
  worldBody,
} from './event-arbitraries.ts';

const RUNS = { numRuns: 150 };

function fold(events: readonly IdentifiedEvent[], asOf?: Date): CaseView {
  return foldCase('case-under-test', record(events), asOf === undefined ? {} : { asOf });
}

/**
 * The part of a view that describes the world. `version` and `lastRecordedAt` describe the stream that was read —
 * its head and the transaction time of its last entry — so they rightly differ between two streams that say the
 * same about the world but hold different entries (an event and its retraction, or events that have not yet
 * occurred at the moment of the view). Every other field, `pending` and `statusHistory` included, must agree.
 */
function worldOf({ version: _version, lastRecordedAt: _lastRecordedAt, ...world }: CaseView) {
  return world;
}

/** `inserted` placed into `base` (whose first entry, the opening, stays first) at the given positions ≥ 1. */
function interleave<T>(base: readonly T[], inserted: readonly { item: T; at: number }[]): T[] {
  const out: T[] = [];
  for (const [index, item] of base.entries()) {
    out.push(...inserted.filter((entry) => entry.at === index).map((entry) => entry.item));
    out.push(item);
  }
  out.push(...inserted.filter((entry) => entry.at >= base.length).map((entry) => entry.item));
  return out;
}

/** Sometimes no asOf, sometimes any moment, sometimes exactly at or just before a bound of one of the events. */
function asOfFor(list: readonly Fact[]): fc.Arbitrary<Date | undefined> {
  const edges = list.flatMap((fact) => {
    const { earliest, latest } = boundsOf(fact.occurredAt);
    return [earliest - 1, earliest, latest - 1, latest];
  });
  return fc.oneof(
    fc.constant(undefined),
    moment,
    fc.constantFrom(...edges).map((ms) => new Date(ms)),
  );
}

describe('laws of the fold', () => {
  it('retracting events gives the same view of the world as never having recorded them', () => {
    const scenario = facts().chain((list) =>
      fc.record({
        list: fc.constant(list),
        // Which events are retracted, where each retraction is recorded (after its target), and its date.
        retractions: fc.uniqueArray(
          fc.record({
            target: fc.integer({ min: 0, max: list.length - 1 }),
            delay: fc.nat({ max: list.length }),
            occurredAt: occurredAtIn(),
          }),
          { selector: (r) => r.target, minLength: 1, maxLength: list.length },
        ),
        asOf: asOfFor(list),
      }),
    );
    fc.assert(
      fc.property(scenario, ({ list, retractions, asOf }) => {
        const events = toEvents(list);
        const retracted = new Set(retractions.map((r) => events[r.target]!.eventId));
        const withRetractions = [
          generatedOpening,
          ...interleave(
            events,
            retractions.map((r, i) => ({
              item: { ...retraction(events[r.target]!, r.occurredAt), eventId: fixedEventId(100 + i) },
              at: Math.min(r.target + 1 + r.delay, events.length),
            })),
          ),
        ];
        const neverRecorded = [generatedOpening, ...events.filter((e) => !retracted.has(e.eventId))];
        given().when(withRetractions).thenAccepted();

        expect(worldOf(fold(withRetractions, asOf))).toEqual(worldOf(fold(neverRecorded, asOf)));
      }),
      RUNS,
    );
  });

  it('the order in which events were recorded does not change the view when their dates differ', () => {
    const scenario = factsWithDistinctDates().chain((list) =>
      fc.record({
        list: fc.constant(list),
        recordedOrder: fc.shuffledSubarray(list, { minLength: list.length, maxLength: list.length }),
        retracted: fc.subarray(list, { maxLength: Math.min(3, list.length) }),
        asOf: asOfFor(list),
      }),
    );
    fc.assert(
      fc.property(scenario, ({ list, recordedOrder, retracted, asOf }) => {
        // Each fact keeps its id whatever its place, so `pending` (a list of ids) can be compared.
        const idOf = new Map(list.map((fact, index) => [fact, fixedEventId(2 + index)]));
        const asRecorded = (order: readonly Fact[]) => [
          generatedOpening,
          ...order.map((fact) => toEvent(fact, idOf.get(fact)!)),
          // The same retractions, recorded last, after their targets, in both streams.
          ...retracted.map((fact, i) => ({
            ...retraction(toEvent(fact, idOf.get(fact)!)),
            eventId: fixedEventId(100 + i),
          })),
        ];
        const original = asRecorded(list);
        const permuted = asRecorded(recordedOrder);
        given().when(permuted).thenAccepted();

        // Both streams hold the same number of entries recorded at the same times, so the whole view agrees.
        expect(fold(permuted, asOf)).toEqual(fold(original, asOf));
      }),
      RUNS,
    );
  });

  it('a view as of T depends only on events that occurred by T', () => {
    const scenario = fc
      .record({ list: facts(), asOf: moment.filter((t) => t.getTime() < Date.UTC(2025, 10, 30)) })
      .chain(({ list, asOf }) => {
        const later = occurredAtIn(0, LAST_DAY_INDEX).filter(
          (text) => boundsOf(text).earliest > asOf.getTime(),
        );
        return fc.record({
          list: fc.constant(list),
          asOf: fc.constant(asOf),
          // Events that had not begun by T, recorded anywhere after the opening.
          additions: fc.array(
            fc.record({
              fact: fc.record({ body: worldBody, occurredAt: later }),
              at: fc.integer({ min: 1, max: list.length + 1 }),
            }),
            { minLength: 1, maxLength: 6 },
          ),
        });
      });
    fc.assert(
      fc.property(scenario, ({ list, asOf, additions }) => {
        const base = [generatedOpening, ...toEvents(list)];
        const extended = interleave(
          base,
          additions.map(({ fact, at }, i) => ({ item: toEvent(fact, fixedEventId(200 + i)), at })),
        );
        given().when(extended).thenAccepted();

        expect(worldOf(fold(extended, asOf))).toEqual(worldOf(fold(base, asOf)));
      }),
      RUNS,
    );
  });
});
