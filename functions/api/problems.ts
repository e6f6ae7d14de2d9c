import { z } from '@hono/zod-openapi';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ZodError } from 'zod';
import { DomainError, type FieldIssue } from '../../domain/errors.ts';
import { StoreError } from '../store/store-error.ts';
import { isStoreUnavailable } from '../store/store-unavailable.ts';
import { ApiError } from './api-error.ts';
import {
  isProblemCode,
  PROBLEMS,
  type ProblemCode,
  type ProblemEntry,
  type ProblemRequest,
  validationDetail,
} from './problem-table.ts';

/**
 * RFC 9457 problem details, and the one place where errors become HTTP answers. Nothing else in the API
 * decides a status code for a failure: what each code means is written once, in `PROBLEMS`.
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

/** The problem `type` of a code: the code in kebab case, the spelling clients have always seen. */
export function problemType(code: string): string {
  return `${PROBLEM_BASE}${code.replaceAll('_', '-')}`;
}

function problem(
  status: number,
  code: string,
  title: string,
  detail: string,
  errors?: readonly FieldIssue[],
): Problem {
  return {
    type: problemType(code),
    title,
    status,
    detail,
    ...(errors && errors.length > 0 && { errors: [...errors] }),
  };
}

/** The problem of a code, for answers given without an error to throw (no route, a body too large). */
export function problemOf(code: ProblemCode, detail: string): Problem {
  const entry = PROBLEMS[code];
  return problem(entry.status, code, entry.title, detail);
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
  const entry = PROBLEMS.validation_failed;
  return problem(entry.status, 'validation_failed', entry.title, validationDetail(issues, where), issues);
}

/** The code an error is answered with: its own when the table has it, else what the framework or SDK says. */
function codeOf(error: unknown): ProblemCode {
  if (error instanceof DomainError || error instanceof StoreError || error instanceof ApiError) {
    return isProblemCode(error.code) ? error.code : 'internal';
  }
  if (isStoreUnavailable(error)) return 'store_unavailable';
  return 'internal';
}

/** A framework refusal of a status the table does not name keeps its status and reads as a refusal. */
function httpProblem(error: HTTPException) {
  const status = error.status as ContentfulStatusCode;
  const code = `http_${status}`;
  const title = isProblemCode(code) ? PROBLEMS[code].title : 'Request refused';
  return { code, body: problem(status, code, title, error.message || title), unexpected: false };
}

/**
 * Maps any error thrown while answering a request to a problem; unknown errors become a bare 500. `write`
 * says whether the request could have changed the ledger, which decides what a failure may claim.
 */
export function problemFor(
  error: unknown,
  request: ProblemRequest = { write: true },
): {
  code: string;
  body: Problem;
  headers?: Record<string, string>;
  unexpected: boolean;
} {
  if (error instanceof HTTPException && error.status < 500) return httpProblem(error);
  const code = codeOf(error);
  // The table types each entry by its error class; `codeOf` chose the entry by the error's own code.
  const entry = PROBLEMS[code] as ProblemEntry;
  const cause = error instanceof Error ? error : new Error(String(error));
  const detail = entry.detail ? entry.detail(cause, request) : cause.message;
  const body = problem(entry.status, code, entry.title, detail, entry.issues?.(cause));
  return {
    code,
    body,
    ...(entry.headers && { headers: { ...entry.headers } }),
    unexpected: entry.unexpected ?? false,
  };
}
