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

/** The processes a CPU figure is split into, in the order shown, with their column headings. */
const CPU_COLUMNS = [
  ['client', 'client (benchmark)'],
  ['runtime', 'local runtime (API + projector)'],
  ['dynamodb', 'DynamoDB Local'],
] as const;

function numbersAt(detail: unknown, key: string): Readonly<Record<string, number>> | undefined {
  if (typeof detail !== 'object' || detail === null || !(key in detail)) return undefined;
  return (detail as Record<string, Readonly<Record<string, number>> | undefined>)[key];
}

function cpuRow(first: string, second: string, figures: Readonly<Record<string, number>>): string {
  const cells = CPU_COLUMNS.map(([name]) => formatNumber(figures[name] ?? Number.NaN));
  const total = CPU_COLUMNS.reduce((sum, [name]) => sum + (figures[name] ?? 0), 0);
  return `| ${first} | ${second} | ${cells.join(' | ')} | ${formatNumber(total)} |`;
}

/** A table of `cpuRow`s under the process columns, the second column headed `what`; empty without rows. */
function perProcessTable(what: string, rows: readonly string[]): string {
  if (rows.length === 0) return '';
  const heading = CPU_COLUMNS.map(([, title]) => title).join(' | ');
  return [
    `| family | ${what} | ${heading} | total |`,
    '| --- | --- | ---: | ---: | ---: | ---: |',
    ...rows,
  ].join('\n');
}

function cpuOf(detail: unknown): Readonly<Record<string, number>> | undefined {
  return numbersAt(detail, 'cpuMsPerOperation');
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
    rows.push(cpuRow(family, of, cpu));
  };
  for (const c of comparisons.filter((comparison) => comparison.id.endsWith(`.c${concurrency}`))) {
    add(c.family, c.ledgerOf, cpuOf(c.detail?.ledger));
    add(c.family, c.rawOf, cpuOf(c.detail?.raw));
  }
  return perProcessTable('operation', rows);
}

/**
 * How many cores each process kept busy during each steady load of the lag family, through the API: on a
 * machine of few cores, a total near their number means the lag measured a backlog of work the machine could
 * not do in time, not the projector's delay. Empty when no lag run sampled CPU.
 */
export function coresTable(comparisons: readonly Comparison[]): string {
  const rows = comparisons
    .filter((c) => c.family === 'lag' && c.id.endsWith('.p50'))
    .flatMap((c) => {
      const cores = numbersAt(c.detail?.ledger, 'cores');
      const rate = (c.detail as { perSecond?: unknown } | undefined)?.perSecond;
      return cores
        ? [cpuRow('lag', `${Number(rate).toLocaleString('en-US')} appends/s through the API`, cores)]
        : [];
    });
  return perProcessTable('load', rows);
}
