import { type Comparison, compare } from './comparison.ts';
import { summarize } from './measure.ts';

/** A case of the growth family, and the raw partition of as many items beside it. */
export interface GrowthCase {
  readonly events: number;
  readonly caseId: string;
  readonly rawStreamId: string;
  /** The ledger's event item that the raw partition's items copy. */
  readonly template: Record<string, unknown>;
}

/** Timings at one length, in milliseconds. */
export interface GrowthSamples {
  readonly append: number[];
  readonly project: number[];
  readonly rawPut: number[];
  readonly rawProject: number[];
  readonly refold: number[];
  readonly rawReadAll: number[];
}

const label = (events: number) => `${events.toLocaleString('en-US')} event${events === 1 ? '' : 's'}`;

function row(
  kind: 'append' | 'project' | 'refold',
  events: number,
  ledger: readonly number[],
  raw: readonly number[],
  texts: { name: string; ledgerOf: string; rawOf: string },
  extra: Record<string, unknown> = {},
): Comparison {
  const ledgerSummary = summarize(ledger);
  const rawSummary = summarize(raw);
  return compare({
    family: 'growth',
    id: `growth.${kind}.${events}`,
    ...texts,
    unit: 'ms',
    better: 'lower',
    ledger: ledgerSummary.p50,
    raw: rawSummary.p50,
    detail: { events, ledger: { latency: ledgerSummary }, raw: { latency: rawSummary }, ...extra },
  });
}

/** The growth family's rows: appends, then projections, then whole-stream folds, each by length. */
export function growthComparisons(
  cases: readonly GrowthCase[],
  samples: ReadonlyMap<number, GrowthSamples>,
  outcomesOf: (caseId: string) => Record<string, number>,
): Comparison[] {
  const appends = cases.map(({ events }) =>
    row('append', events, samples.get(events)!.append, samples.get(events)!.rawPut, {
      name: `append 1 event to a case of ${label(events)}, p50`,
      ledgerOf: 'LedgerStore.append',
      rawOf: `PutItem into a partition of ${label(events)}`,
    }),
  );
  const projections = cases.map(({ events, caseId }) =>
    row(
      'project',
      events,
      samples.get(events)!.project,
      samples.get(events)!.rawProject,
      {
        name: `project 1 new event of a case of ${label(events)}, p50`,
        ledgerOf: 'projector, one record',
        rawOf: 'GetItem + Query + PutItem',
      },
      { outcomes: outcomesOf(caseId) },
    ),
  );
  const refolds = cases.map(({ events }) =>
    row('refold', events, samples.get(events)!.refold, samples.get(events)!.rawReadAll, {
      name: `fold the whole stream of ${label(events)}, p50`,
      ledgerOf: 'readStream + foldCaseWithTimeline',
      rawOf: 'Query of the whole partition',
    }),
  );
  return [...appends, ...projections, ...refolds];
}
