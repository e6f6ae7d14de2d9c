import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import type { IdentifiedEvent } from '../../domain/append-rules.ts';
import type { CaseTimeline } from '../../domain/case-timeline.ts';
import type { CaseView } from '../../domain/case-view.ts';
import { foldCaseWithTimeline } from '../../domain/fold-case.ts';
import type { StoredEvent } from '../../domain/stored-event.ts';
import { event, fixedEventId, inventedSource, record, retraction } from '../support/sample-events.ts';
import { facts, generatedOpening, toEvents } from './event-arbitraries.ts';

/**
 * The guard on `PROJECTION_REVISION`. A fixed corpus of recorded streams stands for the events already in a
 * ledger: it is frozen in a file, as the ledger never rewrites what it holds. The snapshot is what the fold made
 * of that corpus when the revision was last set. A fold that makes something else of the same events must come
 * with a new revision, or stored views of the old fold would be taken for views of the new one.
 */

export const CORPUS_FILE = fileURLToPath(new URL('./projection-corpus.json', import.meta.url));
export const SNAPSHOT_FILE = fileURLToPath(new URL('./projection-snapshot.json', import.meta.url));
export const REFRESH_COMMAND = 'npx tsx test/domain/write-projection-snapshot.ts';

/**
 * The moments each stream is folded as of: before most events, inside the span of the generated dates (so
 * uncertain dates are pending), and after all of them, as a projector running today would fold.
 */
export const PROJECTED_AS_OF = [
  '2024-07-01T00:00:00.000Z',
  '2025-06-15T12:00:00.000Z',
  '2026-02-01T00:00:00.000Z',
];

/** What a projection stores for one stream: its timeline, and its view as of each moment. */
export interface StreamProjection {
  readonly timeline: CaseTimeline;
  readonly views: Readonly<Record<string, CaseView>>;
}

export interface ProjectionSnapshot {
  readonly projectionRevision: number;
  readonly projections: Readonly<Record<string, StreamProjection>>;
}

export type Corpus = Readonly<Record<string, readonly StoredEvent[]>>;

/** The projections of every stream of the corpus, as plain JSON values (what a stored view round-trips to). */
export function projectCorpus(corpus: Corpus): Record<string, StreamProjection> {
  const projections: Record<string, StreamProjection> = {};
  for (const [caseId, events] of Object.entries(corpus)) {
    const views: Record<string, CaseView> = {};
    let timeline: CaseTimeline | undefined;
    for (const asOf of PROJECTED_AS_OF) {
      const folded = foldCaseWithTimeline(caseId, events, { asOf: new Date(asOf) });
      views[asOf] = folded.view;
      timeline = folded.timeline;
    }
    projections[caseId] = { timeline: timeline!, views };
  }
  return JSON.parse(JSON.stringify(projections));
}

export function readCorpus(): Corpus {
  return JSON.parse(readFileSync(CORPUS_FILE, 'utf8'));
}

export function readSnapshot(): ProjectionSnapshot | undefined {
  try {
    return JSON.parse(readFileSync(SNAPSHOT_FILE, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Writes `value` as JSON in the layout `biome check` expects of the repository's files. */
export function writeJson(file: string, value: unknown): void {
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
  execFileSync('npx', ['biome', 'format', '--write', file], { stdio: 'ignore' });
}

/** An `Erased` event as the ledger writes it itself: clients cannot submit one, so no builder parses it. */
function erased(eventId: string): IdentifiedEvent {
  return {
    eventId,
    type: 'Erased',
    occurredAt: '2025-12-31',
    sources: inventedSource,
    data: { reason: 'Invented erasure request' },
  };
}

/**
 * A new corpus: streams generated from a fixed seed by the event arbitraries, each with at most one retraction,
 * and streams written out for what generation rarely gives (an erasure; events recorded while their dates run).
 */
export function generateCorpus(): Corpus {
  const streams = fc.sample(fc.record({ list: facts(), retract: fc.option(fc.nat()) }), {
    seed: 20_261_201,
    numRuns: 24,
  });
  const corpus: Record<string, StoredEvent[]> = {};
  for (const [index, { list, retract }] of streams.entries()) {
    const world = toEvents(list);
    const target = retract === null ? undefined : world[retract % world.length];
    const retracted = target && { ...retraction(target), eventId: fixedEventId(100) };
    const caseId = `corpus-generated-${index + 1}`;
    corpus[caseId] = record([generatedOpening, ...world, ...(retracted ? [retracted] : [])], {
      streamId: caseId,
    });
  }
  const opened = { ...generatedOpening, occurredAt: '2025-05-01T09:00:00Z' };
  const detained = event('Detained', '2025-04-30', { place: 'Capital' }, fixedEventId(2));
  corpus['corpus-erased'] = record([opened, detained, erased(fixedEventId(3))], {
    streamId: 'corpus-erased',
  });
  corpus['corpus-recorded-while-pending'] = record(
    [
      opened,
      detained,
      event('Transferred', '2025-06', { toFacility: 'Invented Colony No. 1' }, fixedEventId(3)),
      event('Released', '2025-06-10/2025-06-20', { mode: 'bail', announced: false }, fixedEventId(4)),
    ],
    {
      streamId: 'corpus-recorded-while-pending',
      recordedAt: (version) => `2025-06-1${version}T08:00:00.000Z`,
    },
  );
  return corpus;
}
