import { type Comparison, compare } from './comparison.ts';
import { summarize } from './measure.ts';
import { formatNumber } from './report-table.ts';

/** A question the board asks, timed at every size of the scale family. */
export interface ScaleQuestion {
  readonly id: string;
  /** The request, for the tables: `GET /summary?asOf=<a past day>`. */
  readonly of: string;
  /**
   * Whether its growth from the smallest size to the largest is held to `SCALE_GROWTH_GOAL`. Not for a full
   * digest: it reads every case by design, and what counts is its time at 10⁶ (`fullDigestRate`).
   */
  readonly growthGoal?: false;
}

/** Appends between two digests before the incremental one is timed: a quiet ledger's day. */
export const DIGEST_APPENDS = 10;

export const scaleQuestions = [
  { id: 'summary', of: 'GET /summary' },
  { id: 'summary-as-of', of: 'GET /summary?asOf=<a past day>' },
  { id: 'series', of: 'GET /summary/series' },
  { id: 'alerts', of: 'GET /alerts' },
  { id: 'alerts-as-of', of: 'GET /alerts?asOf=<a past day>' },
  { id: 'cases', of: 'GET /cases (first page)' },
  { id: 'digest-full', of: 'full digest (every head)', growthGoal: false },
  { id: 'digest-incremental', of: `digest after ${DIGEST_APPENDS} appends (incremental)` },
] as const satisfies readonly ScaleQuestion[];

export type ScaleQuestionId = (typeof scaleQuestions)[number]['id'];

/** The raw figure every question is set beside: one page of the views, as `GET /cases` reads one shard. */
export const SCALE_RAW_OF = 'Query of one page (50) of the byAll index';

/** Timings at one size, in milliseconds. */
export interface ScaleSamples {
  readonly cases: number;
  readonly questions: Readonly<Record<ScaleQuestionId, readonly number[]>>;
  readonly raw: readonly number[];
  /** Heads each timed incremental digest read: the cases appended to, and any recorded in its margin. */
  readonly incrementalReads?: readonly number[];
}

const casesText = (cases: number) => `${cases.toLocaleString('en-US')} cases`;

/** One row per question and size: the median of its samples beside the median raw page at that size. */
export function scaleComparisons(measured: readonly ScaleSamples[]): Comparison[] {
  return measured.flatMap(({ cases, questions, raw, incrementalReads }) => {
    const rawSummary = summarize(raw);
    return scaleQuestions.map((question) => {
      const latency = summarize(questions[question.id]);
      return compare({
        family: 'scale',
        id: `scale.${question.id}.${cases}`,
        name: `${question.of} at ${casesText(cases)}, median`,
        unit: 'ms',
        better: 'lower',
        ledger: latency.p50,
        ledgerOf: question.of,
        raw: rawSummary.p50,
        rawOf: SCALE_RAW_OF,
        detail: {
          cases,
          question: question.id,
          ledger: { latency },
          raw: { latency: rawSummary },
          ...(question.id === 'digest-incremental' &&
            incrementalReads && { headsRead: [...incrementalReads] }),
        },
      });
    });
  });
}

/** The timed rows of the scale family (not its capacity rows), by question. */
function timedRows(comparisons: readonly Comparison[]) {
  return comparisons.filter(
    (c) =>
      c.family === 'scale' && typeof c.detail?.cases === 'number' && typeof c.detail.question === 'string',
  );
}

/** Each question's median at the largest size over that at the smallest, with both sizes. */
export function scaleGrowth(
  comparisons: readonly Comparison[],
): { question: ScaleQuestion; from: number; to: number; growth: number }[] {
  const rows = timedRows(comparisons);
  return scaleQuestions.flatMap((question: ScaleQuestion) => {
    if (question.growthGoal === false) return [];
    const mine = rows
      .filter((c) => c.detail?.question === question.id)
      .sort((a, b) => Number(a.detail?.cases) - Number(b.detail?.cases));
    const first = mine.at(0);
    const last = mine.at(-1);
    if (!first || !last || first === last) return [];
    return [
      {
        question,
        from: Number(first.detail?.cases),
        to: Number(last.detail?.cases),
        growth: last.ledger / first.ledger,
      },
    ];
  });
}

/** The cases a digest must cover within one Lambda run (15 minutes), and so the size it is extrapolated to. */
export const DIGEST_GOAL_CASES = 1_000_000;

/**
 * The full digest's rate at the largest size measured (cases per second of its median), and the time that
 * rate gives at `DIGEST_GOAL_CASES`: an extrapolation, linear since a full digest reads every head once.
 */
export function fullDigestRate(
  comparisons: readonly Comparison[],
): { cases: number; perSecond: number; extrapolatedMs: number } | undefined {
  const largest = timedRows(comparisons)
    .filter((c) => c.detail?.question === 'digest-full')
    .sort((a, b) => Number(a.detail?.cases) - Number(b.detail?.cases))
    .at(-1);
  if (!largest || !(largest.ledger > 0)) return undefined;
  const cases = Number(largest.detail?.cases);
  const perSecond = cases / (largest.ledger / 1000);
  return { cases, perSecond, extrapolatedMs: (DIGEST_GOAL_CASES / perSecond) * 1000 };
}

/** One line for the full digest's extrapolation, or none when the scale family timed no full digest. */
export function fullDigestLine(comparisons: readonly Comparison[]): string {
  const rate = fullDigestRate(comparisons);
  if (!rate) return '';
  const minutes = rate.extrapolatedMs / 60_000;
  return (
    `Full digest: ${formatNumber(rate.perSecond)} cases/s at ${rate.cases.toLocaleString('en-US')} cases; ` +
    `at ${DIGEST_GOAL_CASES.toLocaleString('en-US')} cases that rate gives ${minutes.toFixed(1)} min ` +
    '(extrapolated, not measured; a run that needs longer than one invocation saves its progress and is continued).'
  );
}

/** The most a question may grow from the smallest size to the largest. */
export const SCALE_GROWTH_GOAL = 2;

/**
 * The scale family as one table, sizes down and questions across, and the growth from the smallest size to the
 * largest under it, each marked against the goal; empty when the family did not run.
 */
export function scaleTable(comparisons: readonly Comparison[]): string {
  const rows = timedRows(comparisons);
  if (rows.length === 0) return '';
  const sizes = [...new Set(rows.map((c) => Number(c.detail?.cases)))].sort((a, b) => a - b);
  const cell = (cases: number, question: string) => {
    const row = rows.find((c) => c.detail?.cases === cases && c.detail?.question === question);
    return row ? `${formatNumber(row.ledger)} ms` : '–';
  };
  const rawCell = (cases: number) => {
    const row = rows.find((c) => c.detail?.cases === cases);
    return row ? `${formatNumber(row.raw)} ms` : '–';
  };
  const lines = [
    `| cases | ${scaleQuestions.map((q) => `\`${q.of}\``).join(' | ')} | raw: ${SCALE_RAW_OF} |`,
    `| ---: | ${scaleQuestions.map(() => '---:').join(' | ')} | ---: |`,
    ...sizes.map(
      (cases) =>
        `| ${cases.toLocaleString('en-US')} | ${scaleQuestions.map((q) => cell(cases, q.id)).join(' | ')} | ${rawCell(cases)} |`,
    ),
  ];
  const growth = scaleGrowth(comparisons);
  if (growth.length > 0) {
    const { from, to } = growth[0]!;
    const growthCell = (question: string) => {
      const found = growth.find((g) => g.question.id === question);
      if (!found) return '–';
      const met = found.growth <= SCALE_GROWTH_GOAL ? 'met' : '**not met**';
      return `${found.growth.toFixed(1)}× (${met})`;
    };
    const rawGrowth = (() => {
      const small = rows.find((c) => c.detail?.cases === from);
      const large = rows.find((c) => c.detail?.cases === to);
      return small && large ? `${(large.raw / small.raw).toFixed(1)}×` : '–';
    })();
    lines.push(
      `| growth ${from.toLocaleString('en-US')} → ${to.toLocaleString('en-US')} (goal ≤ ${SCALE_GROWTH_GOAL}×) | ${scaleQuestions.map((q) => growthCell(q.id)).join(' | ')} | ${rawGrowth} |`,
    );
  }
  const digestLine = fullDigestLine(comparisons);
  if (digestLine !== '') lines.push('', digestLine);
  return lines.join('\n');
}
