/** Recording on a case (recorders): the forms for every event type. Filled in by the record screens' work. */
export function RecordPanel(_props: { caseId: string; version: number }) {
  return null;
}
