import { isDeepStrictEqual } from 'node:util';
import { caseTimeline, foldCase } from '../../../domain/fold-case.ts';
import { PROJECTION_REVISION } from '../../../domain/projection-revision.ts';
import { EXIT } from '../cli-errors.ts';
import { type CommandContext, DEFAULT_CONCURRENCY } from '../command-context.ts';
import { counted } from '../counted.ts';
import { forEachConcurrently } from '../run-concurrently.ts';
import { writeText } from '../write-text.ts';

export interface RebuildOptions {
  readonly concurrency?: number;
  readonly json?: boolean;
}

export interface RebuildReport {
  readonly exitCode: number;
  readonly cases: number;
  /** Views written by this rebuild. */
  readonly rewritten: number;
  /** Views that already were this revision's fold of the case's events: nothing to write. */
  readonly current: number;
  /** Views the live projector had already moved past (a newer version) while this rebuild read the case. */
  readonly superseded: number;
}

type Outcome = 'rewritten' | 'current' | 'superseded';

/** Folds a case from the ledger and writes its view under the version rule, as the projector does. */
async function rebuildCase(context: CommandContext, caseId: string): Promise<Outcome> {
  const events = await context.ledger.readStream(caseId);
  const projectedAt = context.clock();
  const view = foldCase(caseId, events, { asOf: projectedAt });
  const timeline = caseTimeline(events);
  const stored = await context.views.get(caseId);
  if (
    stored?.projectionRevision === PROJECTION_REVISION &&
    isDeepStrictEqual(stored.view, view) &&
    isDeepStrictEqual(stored.timeline, timeline)
  ) {
    // A view written before the registry of groups existed is current, but its group may not be listed yet.
    if (view.groupId !== null) await context.views.registerGroup(view.groupId);
    return 'current';
  }
  const written = await context.views.put({ view, timeline, projectedAt }, PROJECTION_REVISION);
  return written ? 'rewritten' : 'superseded';
}

/**
 * `ledger rebuild-views`: re-projects every case from the ledger. Safe while the system runs: the
 * views table's version rule lets a write through only when it is newer — a higher version, a newer projection
 * revision, or the same fold taken later — so this rebuild and the live projector can race on a case and the
 * newest fold still wins. A view that already equals the fresh fold is left alone, which saves writes.
 */
export async function runRebuildViews(
  context: CommandContext,
  options: RebuildOptions = {},
): Promise<RebuildReport> {
  const progress = context.progress({ label: 'rebuilt', unit: 'cases' });
  const counts: Record<Outcome, number> = { rewritten: 0, current: 0, superseded: 0 };
  try {
    await forEachConcurrently(
      context.ledger.caseIds(),
      options.concurrency ?? DEFAULT_CONCURRENCY,
      async (caseId) => {
        counts[await rebuildCase(context, caseId)] += 1;
        progress.tick();
      },
      context.signal,
    );
  } finally {
    progress.done();
  }
  const cases = counts.rewritten + counts.current + counts.superseded;
  // Every case was read and written (or found current or newer): no view is older than this revision now.
  if (!context.signal?.aborted) await context.views.markRebuilt(PROJECTION_REVISION, context.clock());
  await writeText(
    context.stdout,
    options.json
      ? `${JSON.stringify({ cases, ...counts, projectionRevision: PROJECTION_REVISION })}\n`
      : `Rebuilt the views of ${counted(cases, 'case')} (projection revision ${PROJECTION_REVISION}): ${counts.rewritten} rewritten, ` +
          `${counts.current} already current, ${counts.superseded} already newer from the live projector.\n`,
  );
  return { exitCode: EXIT.ok, cases, ...counts };
}
