/** An event's "Retract" action (recorders), with its reason. Filled in by the record screens' work. */
export function RetractAction(_props: { caseId: string; eventId: string; version: number }) {
  return null;
}
