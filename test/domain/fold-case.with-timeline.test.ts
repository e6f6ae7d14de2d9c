import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { caseTimeline, foldCase, foldCaseWithTimeline } from '../../domain/fold-case.ts';
import { record, retraction } from '../support/sample-events.ts';
import { facts, generatedOpening, moment, toEvents } from './event-arbitraries.ts';

describe('folding a stream into its view and timeline at once', () => {
  it('gives what foldCase and caseTimeline give, retractions and uncertain dates included', () => {
    fc.assert(
      fc.property(facts(), fc.option(fc.nat()), moment, (list, retract, asOf) => {
        const world = toEvents(list);
        const target = retract === null ? undefined : world[retract % world.length];
        const events = record([generatedOpening, ...world, ...(target ? [retraction(target)] : [])]);
        expect(foldCaseWithTimeline('case-under-test', events, { asOf })).toStrictEqual({
          view: foldCase('case-under-test', events, { asOf }),
          timeline: caseTimeline(events),
        });
      }),
      { numRuns: 200 },
    );
  });
});
