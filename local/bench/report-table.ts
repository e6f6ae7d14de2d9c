import type { Comparison, Goal } from './comparison.ts';
import type { LatencySummary } from './measure.ts';

/** A number for people: three significant figures or so, thousands grouped. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return '–';
  const magnitude = Math.abs(value);
  const digits = magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : 2;
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function formatValue(value: number, unit: string): string {
  if (unit === 'bytes') {
    return value >= 1024 * 1024
      ? `${formatNumber(value / (1024 * 1024))} MB`
      : `${formatNumber(value / 1024)} KB`;
  }
  return `${formatNumber(value)} ${unit}`;
}

function latencyOf(detail: unknown): LatencySummary | undefined {
  if (typeof detail !== 'object' || detail === null || !('latency' in detail)) return undefined;
  return (detail as { latency: LatencySummary }).latency;
}

/** A figure with, for rates, the median latency that came with it. */
function cell(value: number, unit: string, detail: unknown): string {
  const latency = latencyOf(detail);
  const text = formatValue(value, unit);
  return latency && unit.endsWith('/s') ? `${text} · p50 ${formatNumber(latency.p50)} ms` : text;
}

function ratioText(ratio: number | null): string {
  return ratio === null ? '–' : formatNumber(ratio);
}

/**
 * The comparisons as a Markdown table (it reads as well in a terminal as in the docs): one row per
 * measurement, the ledger's figure and what it is of, the raw figure and what it is of, and their ratio.
 */
export function comparisonTable(comparisons: readonly Comparison[]): string {
  const lines = [
    '| family | measurement | ledger | raw DynamoDB | ledger ÷ raw |',
    '| --- | --- | --- | --- | ---: |',
  ];
  for (const c of comparisons) {
    const ledger = `${cell(c.ledger, c.unit, c.detail?.ledger)} (${c.ledgerOf})`;
    const raw = `${cell(c.raw, c.unit, c.detail?.raw)} (${c.rawOf})`;
    lines.push(`| ${c.family} | ${c.name} | ${ledger} | ${raw} | ${ratioText(c.ratio)} |`);
  }
  return lines.join('\n');
}

/** The goals as a Markdown table. */
export function goalTable(goals: readonly Goal[]): string {
  const lines = ['| goal | target | this run | met |', '| --- | --- | ---: | :---: |'];
  for (const g of goals) {
    // A ratio to three significant digits, so that one just short of its target never prints as equal to it.
    const actual =
      g.actual === null
        ? 'not measured'
        : g.unit
          ? `${formatNumber(g.actual)} ${g.unit}`
          : Math.abs(g.actual) >= 100
            ? formatNumber(g.actual)
            : g.actual.toPrecision(3);
    const met = g.met === null ? '–' : g.met ? 'yes' : '**no**';
    lines.push(`| ${g.description} | ${g.target} | ${actual} | ${met} |`);
  }
  return lines.join('\n');
}
