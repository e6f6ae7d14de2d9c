import { SCALE_GROWTH_GOAL, scaleGrowth } from './scale-report.ts';

/** The families of measurements, in the order they are reported. */
export const families = [
  'append',
  'read',
  'lag',
  'log',
  'growth',
  'scale',
  'rebuild',
  'notify',
  'browser',
  'bundle',
] as const;
export type Family = (typeof families)[number];

/**
 * The families a run without `--only` measures: all but `scale`, which loads up to 10⁵ cases through the store
 * and the projector (most of an hour on two cores), and `notify`, whose first pass books 4,000 transactions
 * (a few minutes): they run only when asked for.
 */
export const defaultFamilies: readonly Family[] = families.filter(
  (family) => family !== 'scale' && family !== 'notify',
);

/**
 * One figure of the ledger beside the raw DynamoDB figure of the same run. `ratio` is always ledger ÷ raw:
 * for rates (higher is better) a ratio under 1 is the ledger's cost; for times and sizes (lower is better) a
 * ratio over 1 is.
 */
export interface Comparison {
  readonly family: Family;
  /** Stable key, for goals and for comparing runs, e.g. `append.api.1.c8`. */
  readonly id: string;
  /** What is measured, for the table, e.g. `append 1 event, HTTP API, c=8`. */
  readonly name: string;
  readonly unit: string;
  readonly better: 'higher' | 'lower';
  readonly ledger: number;
  /** What the ledger's figure is of, e.g. `POST /cases/{id}/events`. */
  readonly ledgerOf: string;
  readonly raw: number;
  /** What the raw figure is of, e.g. `PutItem`. */
  readonly rawOf: string;
  /** `ledger / raw`; `null` when the raw figure is 0 or not a number. */
  readonly ratio: number | null;
  /** Latency summaries, counts and anything else worth keeping in the JSON. */
  readonly detail?: Readonly<Record<string, unknown>>;
}

/** A comparison from its figures: the ratio is computed here and nowhere else. */
export function compare(fields: Omit<Comparison, 'ratio'>): Comparison {
  const ratio = Number.isFinite(fields.raw) && fields.raw !== 0 ? fields.ledger / fields.raw : null;
  return { ...fields, ratio: ratio !== null && Number.isFinite(ratio) ? ratio : null };
}

/** A goal the ledger is measured against: reported, never asserted in tests. */
export interface Goal {
  readonly id: string;
  readonly description: string;
  /** e.g. `≥ 0.5`, `< 250 ms`. */
  readonly target: string;
  /** The figure the goal is judged on; `null` when it was not measured in this run. */
  readonly actual: number | null;
  readonly unit: string;
  readonly met: boolean | null;
}

type Check = { readonly atLeast: number } | { readonly below: number } | { readonly atMost: number };

function judge(actual: number | null, check: Check): boolean | null {
  if (actual === null || !Number.isFinite(actual)) return null;
  if ('atLeast' in check) return actual >= check.atLeast;
  if ('below' in check) return actual < check.below;
  return actual <= check.atMost;
}

function targetText(check: Check, unit: string): string {
  const suffix = unit === '' ? '' : ` ${unit}`;
  if ('atLeast' in check) return `≥ ${check.atLeast}${suffix}`;
  if ('below' in check) return `< ${check.below}${suffix}`;
  return `≤ ${check.atMost}${suffix}`;
}

function goal(
  id: string,
  description: string,
  actual: number | null | undefined,
  check: Check,
  unit = '',
): Goal {
  const value = actual ?? null;
  return { id, description, target: targetText(check, unit), actual: value, unit, met: judge(value, check) };
}

const MEGABYTE = 1024 * 1024;

/** The goals, judged on the comparisons of a run; goals whose figures were not measured are `null`. */
export function judgeGoals(comparisons: readonly Comparison[]): Goal[] {
  const byId = new Map(comparisons.map((comparison) => [comparison.id, comparison]));
  const goals: Goal[] = [
    goal(
      'append-api-c8',
      'Append (1 event) through the API at concurrency 8, as a share of raw PutItem throughput',
      byId.get('append.api.1.c8')?.ratio,
      { atLeast: 0.5 },
    ),
    goal(
      'case-view-c8',
      'GET /cases/{id} at concurrency 8, as a share of raw GetItem throughput',
      byId.get('read.view.api.c8')?.ratio,
      { atLeast: 0.6 },
    ),
  ];
  for (const comparison of comparisons.filter((c) => c.family === 'lag' && c.id.endsWith('.p95'))) {
    goals.push(
      goal(
        `lag-${comparison.id}`,
        `Projection lag p95, ${comparison.name}`,
        comparison.ledger,
        { below: 250 },
        'ms',
      ),
    );
  }
  const growth = comparisons.filter((c) => c.family === 'growth' && c.id.startsWith('growth.append.'));
  const smallest = growth.at(0);
  const largest = growth.at(-1);
  if (smallest && largest && smallest !== largest) {
    goals.push(
      goal(
        'append-growth',
        `Append latency (p50) at ${largest.detail?.events} events ÷ at ${smallest.detail?.events} event`,
        largest.ledger / smallest.ledger,
        { atMost: 1.3 },
      ),
    );
  }
  for (const { question, from, to, growth: ratio } of scaleGrowth(comparisons)) {
    goals.push(
      goal(
        `scale-growth-${question.id}`,
        `${question.of} (median) at ${to.toLocaleString('en-US')} cases ÷ at ${from.toLocaleString('en-US')}`,
        ratio,
        { atMost: SCALE_GROWTH_GOAL },
      ),
    );
  }
  const firstLoad = byId.get('browser.first-load.js');
  if (firstLoad) {
    goals.push(
      goal(
        'browser-first-load-js',
        "The board's first load: JavaScript fetched, gzip",
        firstLoad.ledger / 1024,
        { atMost: 300 },
        'KB',
      ),
    );
  }
  for (const comparison of comparisons.filter((c) => c.family === 'bundle' && c.id.endsWith('.bytes'))) {
    goals.push(
      goal(
        `${comparison.id}`,
        `Bundle size, ${comparison.ledgerOf}`,
        comparison.ledger / MEGABYTE,
        { below: 1.5 },
        'MB',
      ),
    );
  }
  for (const comparison of comparisons.filter((c) => c.family === 'bundle' && c.id.endsWith('.load'))) {
    goals.push(
      goal(`${comparison.id}`, `Load time, ${comparison.ledgerOf}`, comparison.ledger, { below: 300 }, 'ms'),
    );
  }
  return goals;
}
