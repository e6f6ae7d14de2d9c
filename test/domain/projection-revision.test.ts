import { describe, expect, it } from 'vitest';
import { recordedEventTypes } from '../../domain/event-catalogue.ts';
import { PROJECTION_REVISION } from '../../domain/projection-revision.ts';
import { projectCorpus, REFRESH_COMMAND, readCorpus, readSnapshot } from './projection-snapshot.ts';

const corpus = readCorpus();
const snapshot = readSnapshot();

describe('PROJECTION_REVISION names what the fold makes of the events already recorded', () => {
  it('given the snapshot of the fold over the fixed corpus, then it was taken at the current revision', () => {
    expect(
      snapshot?.projectionRevision,
      `PROJECTION_REVISION is ${PROJECTION_REVISION}, but the snapshot of the fold is of revision ` +
        `${snapshot?.projectionRevision}. Refresh it: ${REFRESH_COMMAND}`,
    ).toBe(PROJECTION_REVISION);
  });

  it('when the corpus is folded again, then each stream gives what the snapshot holds', () => {
    const projections = projectCorpus(corpus);
    expect(Object.keys(projections)).toEqual(Object.keys(snapshot?.projections ?? {}));
    for (const [caseId, projection] of Object.entries(projections)) {
      expect(
        projection,
        `The fold's output for stream ${caseId} of the fixed corpus changed, but PROJECTION_REVISION is still ` +
          `${PROJECTION_REVISION}. If views now differ for the same events, bump PROJECTION_REVISION in ` +
          `domain/projection-revision.ts (stored views are then refolded) and refresh the snapshot: ` +
          `${REFRESH_COMMAND}. If they should not differ, the change to the fold is the bug.`,
      ).toEqual(snapshot?.projections[caseId]);
    }
  });

  it('given the corpus, then it holds every type of event the ledger records', () => {
    const held = new Set(Object.values(corpus).flatMap((events) => events.map((event) => event.type)));
    const missing = recordedEventTypes.filter((type) => !held.has(type));
    expect(
      missing,
      `The fixed corpus has no events of these types, so the guard cannot see their fold. Generate it again, ` +
        `after the fold of the old corpus agrees with the snapshot: ${REFRESH_COMMAND} --new-corpus`,
    ).toEqual([]);
  });
});
