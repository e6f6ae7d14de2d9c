import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type {
  CaseAlreadyExistsError,
  CaseErasedError,
  CaseNotFoundError,
  EventIdConflictError,
  FieldIssue,
  RuleViolationError,
  ValidationError,
  VersionConflictError,
} from '../../domain/errors.ts';
import type { LogEventNotFoundError, LogSizeNotFoundError, TileNotFoundError } from '../log/log-errors.ts';
import type { LedgerBusyError } from '../store/ledger-append.ts';
import type {
  CaseNotInDigestError,
  CaseNotInGroupError,
  DigestNotFoundError,
  UnavailableError,
} from './api-error.ts';
import type { ForbiddenError, UnauthenticatedError } from './auth/access.ts';
import type {
  EndpointNotFoundError,
  LinkGoneError,
  LinkInvalidError,
  SubscriptionNotFoundError,
} from './notifications/notification-errors.ts';

/** The errors of our own that a caller is told about; any other error is an internal one. */
type AnsweredError =
  | ValidationError
  | RuleViolationError
  | CaseNotFoundError
  | CaseAlreadyExistsError
  | VersionConflictError
  | CaseErasedError
  | CaseNotInGroupError
  | EventIdConflictError
  | LedgerBusyError
  | UnavailableError
  | UnauthenticatedError
  | ForbiddenError
  | DigestNotFoundError
  | CaseNotInDigestError
  | SubscriptionNotFoundError
  | EndpointNotFoundError
  | LinkInvalidError
  | LinkGoneError
  | LogSizeNotFoundError
  | LogEventNotFoundError
  | TileNotFoundError;

/**
 * Answers that no error class of ours stands for: the framework's refusals (malformed JSON, no such route, a
 * body too large), a store out of reach by the SDK's judgement, and whatever else went wrong.
 */
type FrameworkCode =
  | 'http_400'
  | 'http_404'
  | 'http_405'
  | 'http_413'
  | 'http_415'
  | 'store_unavailable'
  | 'internal';

export type ProblemCode = AnsweredError['code'] | FrameworkCode;

/** What a failure may claim depends on whether the request could have changed the ledger. */
export interface ProblemRequest {
  readonly write: boolean;
}

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

/** The headers a problem may carry, as the OpenAPI document declares them. */
export type ProblemHeader = 'retry-after' | 'www-authenticate';

export interface ProblemEntry<E extends Error = Error> {
  readonly status: ContentfulStatusCode;
  readonly title: string;
  /**
   * What the OpenAPI document says of this answer, as a clause: a route's codes of one status are joined by
   * "or" (`no such digest, or the case is not in the digest`).
   */
  readonly description: string;
  /** The problem's `detail`; the error's message when absent. */
  readonly detail?: (error: E, request: ProblemRequest) => string;
  /** The field issues the problem lists under `errors`. */
  readonly issues?: (error: E) => readonly FieldIssue[];
  /** Headers that tell the client what to do next; each must be declared in `openapi-responses.ts`. */
  readonly headers?: Readonly<Partial<Record<ProblemHeader, string>>>;
  /** Logged as unexpected: an operator must hear of it, whoever was at fault. */
  readonly unexpected?: boolean;
}

type ErrorOf<C extends ProblemCode> = C extends AnsweredError['code']
  ? Extract<AnsweredError, { code: C }>
  : Error;

/** The detail of a validation problem: its first five issues, and how many more there are. */
export function validationDetail(issues: readonly FieldIssue[], where: string): string {
  return `The ${where} is not valid: ${issues
    .slice(0, 5)
    .map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message))
    .join('; ')}${issues.length > 5 ? ` (and ${issues.length - 5} more)` : ''}`;
}

/**
 * Every answer the API gives for a failure, by code: its status, title, detail, headers and what the OpenAPI
 * document says of it. The problem `type` is the code in kebab case, as clients have always seen it
 * (`urn:problem:detention-ledger:case-not-found`). A new error class of ours that a caller should hear of is
 * one entry here; the compiler asks for it once the class joins `AnsweredError`.
 */
export const PROBLEMS = {
  validation_failed: {
    status: 400,
    title: 'Invalid request',
    description: 'a field that fails validation (see `errors`), or a bad cursor',
    detail: (error) => validationDetail(error.issues, 'request'),
    issues: (error) => error.issues,
  },
  http_400: { status: 400, title: 'Bad request', description: 'malformed JSON' },
  unauthenticated: {
    status: 401,
    title: 'Unauthenticated',
    description: 'no valid bearer token came with the request',
    headers: { 'www-authenticate': 'Bearer' },
  },
  forbidden: {
    status: 403,
    title: 'Forbidden',
    description: 'the token is valid, but its roles (or scope) do not allow this',
  },
  case_not_found: { status: 404, title: 'No such case', description: 'no such case' },
  digest_not_found: { status: 404, title: 'Not found', description: 'no such digest' },
  case_in_digest_not_found: { status: 404, title: 'Not found', description: 'the case is not in the digest' },
  http_404: { status: 404, title: 'Not found', description: 'no such route' },
  log_size_not_found: {
    status: 404,
    title: 'No such tree size',
    description: 'a tree size above the newest checkpoint of the log',
  },
  log_event_not_found: {
    status: 404,
    title: 'Not in the log',
    description: 'an event the log has not taken in, yet or at all',
  },
  tile_not_found: { status: 404, title: 'No such tile', description: 'a tile the log does not hold (yet)' },
  subscription_not_found: {
    status: 404,
    title: 'No such subscription',
    description: 'no such subscription of yours',
  },
  endpoint_not_found: {
    status: 404,
    title: 'No such webhook endpoint',
    description: 'no such webhook endpoint',
  },
  link_invalid: {
    status: 400,
    title: 'The link is not valid',
    description: 'a link token that is not genuine, is of another action, or has expired',
  },
  link_gone: {
    status: 410,
    title: 'Nothing left to do',
    description: 'the subscription of the link was ended or is gone',
  },
  http_405: { status: 405, title: 'Method not allowed', description: 'the route does not take this method' },
  case_exists: { status: 409, title: 'The case exists', description: 'the case exists already' },
  case_erased: { status: 409, title: 'The case was erased', description: 'the case was erased' },
  case_not_in_group: {
    status: 409,
    title: 'The case is in another group',
    description: 'the case was opened in another group, or in none',
  },
  event_id_conflict: {
    status: 409,
    title: 'Event id in use',
    description: 'an event id is in use with other content',
  },
  version_conflict: {
    status: 412,
    title: 'The case has moved on',
    description: 'the case has moved on from the version given in If-Match',
    detail: (error) => `${error.message}; read it again and retry`,
  },
  http_413: { status: 413, title: 'Request body too large', description: 'the body is over 1 MiB' },
  http_415: { status: 415, title: 'Unsupported media type', description: 'the body is not JSON' },
  rule_violated: {
    status: 422,
    title: 'The ledger refuses these events',
    description:
      'Well-formed events that break a rule of the ledger (e.g. retracting an event of another case)',
    issues: (error) => error.issues,
  },
  ledger_busy: {
    status: 503,
    title: 'Busy',
    description: 'the case is busy with other appends',
    detail: (error) => `${error.message}; try again`,
    headers: { 'retry-after': '1' },
  },
  unavailable: {
    status: 503,
    title: 'Unavailable',
    description: 'a dependency cannot be reached',
    headers: { 'retry-after': String(STORE_RETRY_AFTER_SECONDS) },
  },
  store_unavailable: {
    status: 503,
    title: 'Storage unavailable',
    description: 'the ledger cannot be reached',
    detail: (_error, request) =>
      request.write
        ? `The ledger's storage or key service did not answer in time, or is overloaded. ${MAYBE_RECORDED}`
        : "The ledger's storage or key service did not answer in time, or is overloaded; try again shortly",
    headers: { 'retry-after': String(STORE_RETRY_AFTER_SECONDS) },
    unexpected: true,
  },
  internal: {
    status: 500,
    title: 'Internal error',
    description: 'something went wrong inside the ledger',
    // Whatever went wrong inside stays in the logs: the answer says only that it did.
    detail: (_error, request) =>
      request.write
        ? `The request could not be completed. ${MAYBE_RECORDED}`
        : 'The request could not be completed',
    unexpected: true,
  },
} as const satisfies { readonly [C in ProblemCode]: ProblemEntry<ErrorOf<C>> };

/** The entry of a code, for what does not depend on the error: its status, title, description and headers. */
export function problemEntry(code: ProblemCode): ProblemEntry<never> {
  return PROBLEMS[code];
}

export function isProblemCode(code: string): code is ProblemCode {
  return Object.hasOwn(PROBLEMS, code);
}
