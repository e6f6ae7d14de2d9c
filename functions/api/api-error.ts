/**
 * What the API itself refuses (no token, the wrong role, a digest that is not there, a dependency out of
 * reach): a stable snake_case `code`, and the error it wraps as `cause`. Each code becomes a problem through
 * the one table in `problem-table.ts`.
 */
export abstract class ApiError extends Error {
  abstract readonly code: string;
}

/** No digest with the sequence asked for, or none taken yet. */
export class DigestNotFoundError extends ApiError {
  readonly code = 'digest_not_found';
  constructor(detail: string) {
    super(detail);
    this.name = 'DigestNotFoundError';
  }
}

/** The digest exists but does not hold the case, so there is no proof of it there. */
export class CaseNotInDigestError extends ApiError {
  readonly code = 'case_in_digest_not_found';
  constructor(caseId: string, sequence: number) {
    super(`Case ${caseId} is not in digest ${sequence}`);
    this.name = 'CaseNotInDigestError';
  }
}

/** A request for a group names a case that was opened in another group, or in none. */
export class CaseNotInGroupError extends ApiError {
  readonly code = 'case_not_in_group';
  constructor(caseId: string, groupId: string) {
    super(`Case ${caseId} is not in group ${groupId}`);
    this.name = 'CaseNotInGroupError';
  }
}

/** A dependency of the API (a table, the cursor key) cannot be reached. */
export class UnavailableError extends ApiError {
  readonly code = 'unavailable';
  constructor(
    readonly unreachable: readonly string[],
    options?: ErrorOptions,
  ) {
    super(`Cannot reach: ${unreachable.join(', ')}`, options);
    this.name = 'UnavailableError';
  }
}
