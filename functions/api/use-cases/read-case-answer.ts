import type { CaseView } from '../../../domain/case-view.ts';
import type { ApiDependencies } from '../app-env.ts';
import { type SubjectForm, subjectFor } from '../auth/personal-data.ts';
import type { Principal } from '../auth/principal.ts';
import type { ShownSubject } from '../event-answer-schemas.ts';
import { readCaseView } from './read-case-view.ts';

export interface CaseAnswer {
  readonly answer: CaseView & { readonly subject: ShownSubject };
  /**
   * The answer's ETag when it is the current view: the version for the pseudonym, which never changes; the
   * version and the form of the person for a caller who sees them, because an erasure turns the name into
   * `[erased]` the moment the key is destroyed, before (or after) the projector has moved the version on.
   */
  readonly etag?: string;
}

const etagOf = (version: number, form: SubjectForm) =>
  form === 'pseudonym' ? `"${version}"` : `"${version}-${form}"`;

/**
 * A case's view with the person it is about, as the caller may see them: the view holds no subject, so it
 * comes from the case's opening (version 1, one read beside the view's), opened like the history's events.
 */
export async function readCaseAnswer(
  deps: Pick<ApiDependencies, 'ledger' | 'views' | 'clock' | 'subjects'>,
  principal: Principal,
  caseId: string,
  moments: { asOf?: Date; knownAt?: Date },
): Promise<CaseAnswer> {
  const [{ view, live }, opening] = await Promise.all([
    readCaseView(deps, caseId, moments),
    deps.ledger.eventAt(caseId, 1),
  ]);
  const { subject, form } = await subjectFor(principal, caseId, opening, deps.subjects);
  return { answer: { ...view, subject }, ...(live && { etag: etagOf(view.version, form) }) };
}
