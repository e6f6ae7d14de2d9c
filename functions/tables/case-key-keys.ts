/**
 * The key of the case keys table, declared once: one item per case, under the case's id and nothing else, so
 * that deleting that one item destroys every way to read the case's subject.
 */
export const caseKeyKeys = {
  key: (caseId: string) => ({ caseId }),
} as const;
