/** Where a person stands. `detained` is pre-trial custody. */
export const caseStatuses = [
  'detained',
  'house_arrest',
  'sentenced',
  'released',
  'deceased',
  'unknown',
] as const;
export type CaseStatus = (typeof caseStatuses)[number];

/** The statuses in which the person is held by the authorities, and so may go without consular access. */
export const custodyStatuses: ReadonlySet<CaseStatus> = new Set(['detained', 'house_arrest', 'sentenced']);
