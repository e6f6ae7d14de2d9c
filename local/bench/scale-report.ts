import { type Comparison, compare } from './comparison.ts';
import { summarize } from './measure.ts';
import { formatNumber } from './report-table.ts';

/** A question the board asks, timed at every size of the scale family. */
export interface ScaleQuestion {
  readonly id: string;
  /** The request, for the tables: `GET /summary?asOf=<a past day>`. */
  readonly of: string;
}

export const scaleQuestions = [
  { id: 'summary', of: 'GET /summary' },
  { id: 'summary-as-of', of: 'GET /summary?asOf=<a past day>' },
  { id: 'series', of: 'GET /summary/series' },
  { id: 'alerts', of: 'GET /alerts' },
  { id: 'alerts-as-of', of: 'GET /alerts?asOf=<a past day>' },
  { id: 'cases', of: 'GET /cases (first page)' },
  { id: 'digest', of: 'POST /ledger/digest' },
] as const satisfies readonly ScaleQuestion[];

export type ScaleQuestionId = (typeof scaleQuestions)[number]['id'];

/** The raw figure every question is set beside: one page of the views, as `GET /cases` reads one shard. */
export const SCALE_RAW_OF = 'Query of one page (50) of the byAll index';

/** Timings at one size, in milliseconds. */
export interface ScaleSamples {
  readonly cases: number;
  readonly questions: Readonly<Record<ScaleQuestionId, readonly number[]>>;
  readonly raw: readonly number[];
}

const casesText = (cases: number) => `${cases.toLocaleString('en-US')} cases`;

/** One row per question and size: the median of its samples beside the median raw page at that size. */
export function scaleComparisons(measured: readonly ScaleSamples[]): Comparison[] {
  return measured.flatMap(({ cases, questions, raw }) => {
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
        detail: { cases, question: question.id, ledger: { latency }, raw: { latency: rawSummary } },
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
  return scaleQuestions.flatMap((question) => {
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
  return lines.join('\n');
}
