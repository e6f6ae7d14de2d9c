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
 * The comparisons as a Markdown table (it reads as well in a terminal as in the README): one row per
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

/** The goals of the issue as a Markdown table. */
export function goalTable(goals: readonly Goal[]): string {
  const lines = ['| goal | target | this run | met |', '| --- | --- | ---: | :---: |'];
  for (const g of goals) {
    const actual =
      g.actual === null ? 'not measured' : `${formatNumber(g.actual)}${g.unit ? ` ${g.unit}` : ''}`;
    const met = g.met === null ? '–' : g.met ? 'yes' : '**no**';
    lines.push(`| ${g.description} | ${g.target} | ${actual} | ${met} |`);
  }
  return lines.join('\n');
}

/** The processes a CPU figure is split into, in the order shown, with their column headings. */
const CPU_COLUMNS = [
  ['client', 'client (benchmark)'],
  ['runtime', 'local runtime (API + projector)'],
  ['dynamodb', 'DynamoDB Local'],
] as const;

function cpuOf(detail: unknown): Readonly<Record<string, number>> | undefined {
  if (typeof detail !== 'object' || detail === null || !('cpuMsPerOperation' in detail)) return undefined;
  return (detail as { cpuMsPerOperation?: Readonly<Record<string, number>> }).cpuMsPerOperation;
}

/**
 * Where each operation's CPU went, for the measurements at concurrency `concurrency`: milliseconds per operation
 * in the benchmark's process, the local runtime and DynamoDB Local, for the ledger's operation and (once per
 * raw operation) the raw one it is compared with. On a 2-core machine the total decides the rate. Empty when
 * no measurement sampled CPU.
 */
export function cpuTable(comparisons: readonly Comparison[], concurrency = 8): string {
  const rows: string[] = [];
  const seen = new Set<string>();
  const add = (family: string, of: string, cpu: Readonly<Record<string, number>> | undefined) => {
    const key = `${family}\u0000${of}`;
    if (!cpu || seen.has(key)) return;
    seen.add(key);
    const cells = CPU_COLUMNS.map(([name]) => formatNumber(cpu[name] ?? Number.NaN));
    const total = CPU_COLUMNS.reduce((sum, [name]) => sum + (cpu[name] ?? 0), 0);
    rows.push(`| ${family} | ${of} | ${cells.join(' | ')} | ${formatNumber(total)} |`);
  };
  for (const c of comparisons.filter((comparison) => comparison.id.endsWith(`.c${concurrency}`))) {
    add(c.family, c.ledgerOf, cpuOf(c.detail?.ledger));
    add(c.family, c.rawOf, cpuOf(c.detail?.raw));
  }
  if (rows.length === 0) return '';
  const heading = CPU_COLUMNS.map(([, title]) => title).join(' | ');
  return [
    `| family | operation | ${heading} | total |`,
    '| --- | --- | ---: | ---: | ---: | ---: |',
    ...rows,
  ].join('\n');
}
