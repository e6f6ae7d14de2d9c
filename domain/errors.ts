/**
 * Domain errors: named classes with a stable snake_case `code`, and the error they wrap as `cause` when they
 * wrap one. The API maps each code to an RFC 9457 problem in one table (`functions/api/problem-table.ts`);
 * nothing else decides what they mean over HTTP.
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;
}

export interface FieldIssue {
  /** Where the problem is, e.g. `events.2.occurredAt`. */
  readonly path: string;
  readonly message: string;
}

/** Input that does not satisfy the catalogue or a rule of the domain; nothing was changed. */
export class ValidationError extends DomainError {
  readonly code = 'validation_failed';
  constructor(readonly issues: readonly FieldIssue[]) {
    super(issues.map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message)).join('; '));
    this.name = 'ValidationError';
  }
}

export class CaseNotFoundError extends DomainError {
  readonly code = 'case_not_found';
  constructor(readonly caseId: string) {
    super(`No case ${caseId} in the ledger`);
    this.name = 'CaseNotFoundError';
  }
}

export class CaseAlreadyExistsError extends DomainError {
  readonly code = 'case_exists';
  constructor(readonly caseId: string) {
    super(`Case ${caseId} already exists`);
    this.name = 'CaseAlreadyExistsError';
  }
}

/** The case's subject was erased (its key destroyed): it cannot be erased again, nor an opening retried. */
export class CaseErasedError extends DomainError {
  readonly code = 'case_erased';
  constructor(readonly caseId: string) {
    super(`The subject of case ${caseId} was erased`);
    this.name = 'CaseErasedError';
  }
}

/** The stream has moved on since the version the caller based its append on. */
export class VersionConflictError extends DomainError {
  readonly code = 'version_conflict';
  constructor(
    readonly expectedVersion: number,
    readonly actualVersion: number,
  ) {
    super(`Expected the case at version ${expectedVersion}, but it is at version ${actualVersion}`);
    this.name = 'VersionConflictError';
  }
}

/** An `eventId` was reused for a different event, or in another case: idempotency can't hold, so we refuse. */
export class EventIdConflictError extends DomainError {
  readonly code = 'event_id_conflict';
  constructor(
    readonly eventId: string,
    detail: string,
  ) {
    super(`Event id ${eventId} ${detail}`);
    this.name = 'EventIdConflictError';
  }
}

/** A rule of the ledger that the request breaks although it is well formed (e.g. retracting an unknown event). */
export class RuleViolationError extends DomainError {
  readonly code = 'rule_violated';
  constructor(readonly issues: readonly FieldIssue[]) {
    super(issues.map((issue) => `${issue.path}: ${issue.message}`).join('; '));
    this.name = 'RuleViolationError';
  }
}
