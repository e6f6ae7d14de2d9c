import { daysBetween } from '../../../domain/calendar.ts';
import type { CaseTimeline } from '../../../domain/case-timeline.ts';
import { ValidationError } from '../../../domain/errors.ts';
import { caseTimeline } from '../../../domain/fold-case.ts';
import { seriesOfCounters, seriesStartOfCounters, summaryOfCounters } from '../../../domain/kept-counts.ts';
import { type Summary, summarize } from '../../../domain/summary.ts';
import {
  defaultSeriesStart,
  MAX_SERIES_DAYS,
  type SummarySeries,
  summarySeries,
} from '../../../domain/summary-series.ts';
import type { StoredView } from '../../store/stored-view.ts';
import type { CountScope } from '../../tables/view-keys.ts';
import type { ApiDependencies } from '../app-env.ts';
import { mapInBatches } from '../in-batches.ts';

/** How many cases' ledgers are read at once when a summary must fold them. */
const FOLD_CONCURRENCY = 8;

type CountDependencies = Pick<ApiDependencies, 'ledger' | 'views'>;

/** A case's timeline as the ledger stood at `knownAt`; `undefined` for a case the ledger did not know yet. */
async function timelineKnownAt(
  deps: CountDependencies,
  caseId: string,
  knownAt?: Date,
): Promise<CaseTimeline | undefined> {
  const events = await deps.ledger.readStream(caseId, { ...(knownAt && { knownAt }) });
  return events.length === 0 ? undefined : caseTimeline(events, { ...(knownAt && { knownAt }) });
}

function timelinesOf(deps: CountDependencies, page: StoredView[], knownAt: Date | undefined) {
  if (knownAt === undefined) {
    // Views written before timelines were stored are folded once, until they are projected again.
    return mapInBatches(page, FOLD_CONCURRENCY, async (stored) =>
      stored.timeline ? stored.timeline : timelineKnownAt(deps, stored.view.caseId),
    );
  }
  return mapInBatches(page, FOLD_CONCURRENCY, (stored) => timelineKnownAt(deps, stored.view.caseId, knownAt));
}

/**
 * The counts of a group's cases as of `at`: from the counts kept by day, or with `knownAt` from every case's
 * ledger as it stood then. Until every view keeps counts (a table from before them, not yet rebuilt), from the
 * stored timelines.
 */
export async function countCases(
  deps: CountDependencies,
  { groupId, at, knownAt }: { groupId: string | undefined; at: Date; knownAt: Date | undefined },
): Promise<Summary> {
  if (knownAt === undefined && (await deps.views.countsReady())) {
    return summaryOfCounters(await deps.views.keptCounters(scopeOf(groupId), at.getTime()));
  }
  return summarize(await groupTimelines(deps, groupId, knownAt), at.getTime());
}

function scopeOf(groupId: string | undefined): CountScope {
  return groupId === undefined ? { kind: 'all' } : { kind: 'group', groupId };
}

/** The timelines of a group's cases (or of every case), as stored, or with `knownAt` as the ledger knew them. */
async function groupTimelines(
  deps: CountDependencies,
  groupId: string | undefined,
  knownAt?: Date,
): Promise<CaseTimeline[]> {
  const timelines: CaseTimeline[] = [];
  // Every case is in the views, including those opened since `knownAt`; the fold leaves those out.
  for await (const page of deps.views.storedPages(groupId ? { groupId } : {})) {
    for (const timeline of await timelinesOf(deps, page, knownAt)) if (timeline) timelines.push(timeline);
  }
  return timelines;
}

/**
 * The counts of a group's cases for every day of [from, to], a running sum of the counts kept by day (or, until
 * every view keeps them, from the stored timelines read once): the same source and the same rule as
 * `countCases`. `from` defaults to the first day any case was in custody.
 */
export async function countSeries(
  deps: CountDependencies,
  { groupId, from, to }: { groupId: string | undefined; from: string | undefined; to: string },
): Promise<SummarySeries> {
  if (from !== undefined) assertSpan(from, to);
  if (await deps.views.countsReady()) {
    const days = await deps.views.keptDayCounters(scopeOf(groupId), to);
    return seriesOfCounters(days, { from: from ?? seriesStartOfCounters(days, to), to });
  }
  const timelines = await groupTimelines(deps, groupId);
  return summarySeries(timelines, { from: from ?? defaultSeriesStart(timelines, to), to });
}

/** Refuses a range that runs backwards or is longer than a series may be, before anything is read. */
function assertSpan(from: string, to: string): void {
  const length = daysBetween(from, to) + 1;
  if (length < 1) throw new ValidationError([{ path: 'from', message: `after to (${to})` }]);
  if (length > MAX_SERIES_DAYS) {
    throw new ValidationError([
      { path: 'from', message: `${length} days to ${to}: a series is at most ${MAX_SERIES_DAYS} days` },
    ]);
  }
}
