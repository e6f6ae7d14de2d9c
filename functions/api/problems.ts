import { z } from '@hono/zod-openapi';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ZodError } from 'zod';
import {
  CaseAlreadyExistsError,
  CaseErasedError,
  CaseNotFoundError,
  DomainError,
  EventIdConflictError,
  type FieldIssue,
  RuleViolationError,
  ValidationError,
  VersionConflictError,
} from '../../domain/errors.ts';
import { LedgerBusyError } from '../store/ledger-store.ts';
import { isStoreUnavailable } from '../store/store-unavailable.ts';
import { ForbiddenError, UnauthenticatedError } from './auth/access.ts';

/** Something the request names that is not there (a digest, a case in a digest); cases have their own error. */
export class NotFoundError extends Error {
  constructor(
    readonly what: string,
    detail: string,
  ) {
    super(detail);
    this.name = 'NotFoundError';
  }
}

/** A dependency of the API (a table) cannot be reached. */
export class UnavailableError extends Error {
  readonly code = 'unavailable';
  constructor(readonly unreachable: readonly string[]) {
    super(`Cannot reach: ${unreachable.join(', ')}`);
    this.name = 'UnavailableError';
  }
}

/**
 * RFC 9457 problem details, and the one place where errors become HTTP answers. Nothing else in the API
 * decides a status code for a failure.
 */
export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.int(),
    detail: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details' });

export type Problem = z.output<typeof problemSchema>;

const PROBLEM_BASE = 'urn:problem:detention-ledger:';

export function problem(
  status: number,
  code: string,
  title: string,
  detail: string,
  errors?: readonly FieldIssue[],
) {
  return {
    type: `${PROBLEM_BASE}${code}`,
    title,
    status,
    detail,
    ...(errors && errors.length > 0 && { errors: [...errors] }),
  } satisfies Problem;
}

/** A problem as a `Response`, with the RFC 9457 media type. */
export function problemResponse(body: Problem, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status: body.status,
    headers: { 'content-type': 'application/problem+json', ...headers },
  });
}

/** Field issues from a zod error, with paths as dotted strings (`events.0.occurredAt`). */
export function issuesOf(error: ZodError, prefix: readonly PropertyKey[] = []): FieldIssue[] {
  return error.issues.map((issue) => ({
    path: [...prefix, ...issue.path].map(String).join('.'),
    message: issue.message,
  }));
}

export function validationProblem(issues: readonly FieldIssue[], where: string): Problem {
  const detail = `The ${where} is not valid: ${issues
    .slice(0, 5)
    .map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message))
    .join('; ')}${issues.length > 5 ? ` (and ${issues.length - 5} more)` : ''}`;
  return problem(400, 'validation-failed', 'Invalid request', detail, issues);
}

function domainProblem(error: DomainError): Problem {
  if (error instanceof ValidationError) return validationProblem(error.issues, 'request');
  if (error instanceof RuleViolationError) {
    return problem(422, 'rule-violated', 'The ledger refuses these events', error.message, error.issues);
  }
  if (error instanceof CaseNotFoundError)
    return problem(404, 'case-not-found', 'No such case', error.message);
  if (error instanceof CaseAlreadyExistsError)
    return problem(409, 'case-exists', 'The case exists', error.message);
  if (error instanceof VersionConflictError) {
    return problem(
      412,
      'version-conflict',
      'The case has moved on',
      `${error.message}; read it again and retry`,
    );
  }
  if (error instanceof CaseErasedError)
    return problem(409, 'case-erased', 'The case was erased', error.message);
  if (error instanceof EventIdConflictError)
    return problem(409, 'event-id-conflict', 'Event id in use', error.message);
  return problem(400, error.code, 'Refused', error.message);
}

const httpTitles: Record<number, string> = {
  400: 'Bad request',
  404: 'Not found',
  405: 'Method not allowed',
  413: 'Request body too large',
  415: 'Unsupported media type',
};

/** How long a client is asked to wait before it tries again when the store cannot be used. */
const STORE_RETRY_AFTER_SECONDS = 5;

/**
 * What a failed write may have left behind. A write that failed part-way (a timeout after the transaction was
 * sent, an error after it committed) may have been recorded, so the answer never says it was not; appends are
 * idempotent by event id, so the safe way on is a retry that names the same ids.
 */
const MAYBE_RECORDED =
  'It may have been recorded. Retrying with the same event ids (or the same Idempotency-Key) is safe: ' +
  'what was recorded is answered as it was, never recorded twice. Without either, read the case before retrying.';

/**
 * Maps any error thrown while answering a request to a problem; unknown errors become a bare 500. `write`
 * says whether the request could have changed the ledger, which decides what a failure may claim.
 */
export function problemFor(
  error: unknown,
  request: { write: boolean } = { write: true },
): {
  body: Problem;
  headers?: Record<string, string>;
  unexpected: boolean;
} {
  if (error instanceof DomainError) return { body: domainProblem(error), unexpected: false };
  if (error instanceof LedgerBusyError) {
    const body = problem(503, 'ledger-busy', 'Busy', `${error.message}; try again`);
    return { body, headers: { 'retry-after': '1' }, unexpected: false };
  }
  if (error instanceof UnavailableError) {
    const body = problem(503, 'unavailable', 'Unavailable', error.message);
    return { body, headers: { 'retry-after': String(STORE_RETRY_AFTER_SECONDS) }, unexpected: false };
  }
  if (error instanceof UnauthenticatedError) {
    const body = problem(401, 'unauthenticated', 'Unauthenticated', error.message);
    return { body, headers: { 'www-authenticate': 'Bearer' }, unexpected: false };
  }
  if (error instanceof ForbiddenError) {
    return { body: problem(403, 'forbidden', 'Forbidden', error.message), unexpected: false };
  }
  if (error instanceof NotFoundError) {
    return { body: problem(404, `${error.what}-not-found`, 'Not found', error.message), unexpected: false };
  }
  if (error instanceof HTTPException && error.status < 500) {
    const status = error.status as ContentfulStatusCode;
    const title = httpTitles[status] ?? 'Request refused';
    return { body: problem(status, `http-${status}`, title, error.message || title), unexpected: false };
  }
  if (isStoreUnavailable(error)) {
    // Logged as unexpected: an operator must hear of an outage, though the caller did nothing wrong.
    const detail = request.write
      ? `The ledger's storage or key service did not answer in time, or is overloaded. ${MAYBE_RECORDED}`
      : "The ledger's storage or key service did not answer in time, or is overloaded; try again shortly";
    return {
      body: problem(503, 'store-unavailable', 'Storage unavailable', detail),
      headers: { 'retry-after': String(STORE_RETRY_AFTER_SECONDS) },
      unexpected: true,
    };
  }
  // Whatever went wrong inside stays in the logs: the answer says only that it did.
  const detail = request.write
    ? `The request could not be completed. ${MAYBE_RECORDED}`
    : 'The request could not be completed';
  return { body: problem(500, 'internal', 'Internal error', detail), unexpected: true };
}
