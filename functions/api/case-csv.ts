import { stringify } from 'csv-stringify/sync';
import type { CaseView } from '../../domain/case-view.ts';

/** The CSV columns of a case list: the view's fields, with lists joined so one case is one row. */
export const caseCsvColumns = [
  'caseId',
  'groupId',
  'nationality',
  'status',
  'facility',
  'charges',
  'detainedAt',
  'releasedAt',
  'releaseMode',
  'custodyUntil',
  'lastConsularVisitAt',
  'consularVisitCount',
  'nextHearingAt',
  'lastHearingAt',
  'lastHearingAttended',
  'lastOccurredAt',
  'pending',
  'version',
  'lastRecordedAt',
] as const;

/** Charges as one cell: `text (article)`, separated by ` | ` — a separator no spreadsheet reads as a formula. */
function chargesCell(view: CaseView): string {
  return view.charges
    .map((charge) => (charge.article ? `${charge.text} (${charge.article})` : charge.text))
    .join(' | ');
}

function row(view: CaseView): unknown[] {
  return caseCsvColumns.map((column) => {
    if (column === 'charges') return chargesCell(view);
    if (column === 'pending') return view.pending.join(' ');
    return view[column];
  });
}

const options = {
  // RFC 4180 line ends, and every recorded text that starts like a formula (=, +, -, @, tab, CR) prefixed
  // with an apostrophe: a charge or facility typed by a stranger must not run in a reader's spreadsheet.
  record_delimiter: 'windows',
  escape_formulas: true,
  cast: { boolean: (value: boolean) => String(value) },
} as const;

export function caseCsvHeader(): string {
  return stringify([[...caseCsvColumns]], options);
}

export function caseCsvRows(views: readonly CaseView[]): string {
  return stringify(views.map(row), options);
}
