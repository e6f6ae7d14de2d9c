import type { CapacityTally, ReportedUnits } from './capacity-recorder.ts';
import { type Comparison, compare } from './comparison.ts';
import { formatNumber } from './report-table.ts';

/** Write units computed from the items written, for one table or index. */
export interface ComputedUnits {
  readonly table: string;
  readonly index: string;
  readonly writeUnits: number;
  /** Which writes the figure covers, e.g. `3 events + 3 id guards (TransactWriteItems)`. */
  readonly of: string;
}

/** One step of an append's life on AWS: the append itself, or the projection of it. */
export interface CapacityStep {
  readonly id: string;
  readonly name: string;
  /** What DynamoDB (Local) reported, tables named by role (`ledger`, `views`, `keys`). */
  readonly reported: CapacityTally;
  readonly computed: readonly ComputedUnits[];
  /** The least any store could pay: the same items written once each, without indexes or a transaction. */
  readonly floor: number;
  readonly floorOf: string;
}

const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);

function keyOf(entry: { table: string; index: string }) {
  return `${entry.table} · ${entry.index}`;
}

/**
 * A step's write units: for each table and index, computed where the writes are computed (DynamoDB Local's own
 * figure for a transaction of several items is lower than AWS's rule, see `capacityTable`), else as reported.
 */
export function bestWriteUnits(step: Pick<CapacityStep, 'reported' | 'computed'>): number {
  const computedKeys = new Set(step.computed.map(keyOf));
  return (
    sum(step.computed.map((u) => u.writeUnits)) +
    sum(step.reported.units.filter((u) => !computedKeys.has(keyOf(u))).map((u) => u.writeUnits))
  );
}

/** One row per step: its write units, beside the floor of the same items written bare. */
export function capacityComparisons(steps: readonly CapacityStep[]): Comparison[] {
  return steps.map((step) =>
    compare({
      family: 'scale',
      id: `scale.capacity.${step.id}`,
      name: `write units of ${step.name}`,
      unit: 'WCU',
      better: 'lower',
      ledger: bestWriteUnits(step),
      ledgerOf: 'computed where computed, else reported',
      raw: step.floor,
      rawOf: step.floorOf,
      detail: {
        capacityStep: step.id,
        stepName: step.name,
        readUnits: sum(step.reported.units.map((u) => u.readUnits)),
        reportedWriteUnits: sum(step.reported.units.map((u) => u.writeUnits)),
        reported: step.reported.units,
        requests: step.reported.requests,
        unreported: step.reported.unreported,
        computed: step.computed,
      },
    }),
  );
}

/**
 * The capacity rows as a table, step by step and table by table, with what was reported and what was computed
 * side by side; empty when none were measured.
 */
export function capacityTable(comparisons: readonly Comparison[]): string {
  const rows = comparisons.filter((c) => c.family === 'scale' && typeof c.detail?.capacityStep === 'string');
  if (rows.length === 0) return '';
  const lines = [
    '| step | table · index | RCU reported | WCU reported | WCU computed | WCU counted |',
    '| --- | --- | ---: | ---: | ---: | ---: |',
  ];
  const notes: string[] = [];
  for (const row of rows) {
    const reported = (row.detail?.reported ?? []) as readonly ReportedUnits[];
    const computed = (row.detail?.computed ?? []) as readonly ComputedUnits[];
    const unreported = (row.detail?.unreported ?? []) as CapacityTally['unreported'];
    const keys = [...new Set([...reported.map(keyOf), ...computed.map(keyOf)])].sort();
    for (const key of keys) {
      const r = reported.find((u) => keyOf(u) === key);
      const c = computed.filter((u) => keyOf(u) === key);
      const computedUnits = c.length > 0 ? sum(c.map((u) => u.writeUnits)) : undefined;
      lines.push(
        `| ${row.detail?.stepName} | ${key} | ${r ? formatNumber(r.readUnits) : '–'} | ${r ? formatNumber(r.writeUnits) : '–'} | ${computedUnits === undefined ? '–' : formatNumber(computedUnits)} | ${formatNumber(computedUnits ?? r?.writeUnits ?? 0)} |`,
      );
    }
    const computedTotal = computed.length > 0 ? formatNumber(sum(computed.map((u) => u.writeUnits))) : '–';
    lines.push(
      `| **${row.detail?.stepName}** | **all** | **${formatNumber(Number(row.detail?.readUnits))}** | ${formatNumber(Number(row.detail?.reportedWriteUnits))} | ${computedTotal} | **${formatNumber(row.ledger)}** |`,
    );
    if (unreported.length > 0) {
      notes.push(
        `${row.detail?.stepName}: ${unreported.length} request(s) refused without a report (${unreported.map((u) => `${u.command} on ${u.table}: ${u.error}`).join('; ')}); AWS charges a refused conditional write too.`,
      );
    }
    const covered = [...new Set(computed.map((u) => u.of))];
    if (covered.length > 0) notes.push(`${row.detail?.stepName}: computed covers ${covered.join('; ')}.`);
  }
  return [
    ...lines,
    '',
    'Reported: DynamoDB Local’s `ReturnConsumedCapacity=INDEXES`, per request, summed. Computed: from the items',
    'as stored and the tables’ index projections, by AWS’s documented rules (`local/bench/capacity-units.ts`),',
    'for the writes named below. Counted: computed where computed, else reported. DynamoDB Local reports',
    '`PutItem`, `UpdateItem`, `GetItem`, `Query` and `BatchWriteItem` by AWS’s rules, indexes included, but',
    '`TransactWriteItems` of several items too low (three 400-byte puts: 2 units, where the rule gives 6;',
    'items of equal size seem to be counted once), so an append’s transaction is counted as computed.',
    ...notes.map((note) => `- ${note}`),
  ].join('\n');
}
