import type { RouteConfig } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { ApiError } from '../api-error.ts';
import type { AppEnv } from '../app-env.ts';
import { problemResponses } from '../openapi-responses.ts';
import type { Role } from './principal.ts';

/** Routes anyone may call: liveness and the API's own description. */
export const PUBLIC_ROUTES = ['GET /health', 'GET /openapi.json'] as const;

const readers = ['viewer', 'auditor', 'admin'] as const satisfies readonly Role[];
const recorders = ['recorder', 'admin'] as const satisfies readonly Role[];
const auditors = ['auditor', 'admin'] as const satisfies readonly Role[];
const admins = ['admin'] as const satisfies readonly Role[];

/**
 * Who may call what: one table, read by each route's middleware, by the OpenAPI
 * document and by the test matrix that tries every route with every role. A caller needs one of the roles.
 *
 * - viewers read the status views, summaries and alerts (personal data only with the `pii` scope);
 * - recorders open cases and append events;
 * - auditors read histories, the audit feed, verifications, digests and proofs, and use `knownAt`;
 * - admins may do everything, and only they erase a case's personal data.
 */
export const ROUTE_ROLES = {
  'POST /cases': recorders,
  'POST /cases/{caseId}/events': recorders,
  'POST /groups/{groupId}/events': recorders,
  'GET /cases': readers,
  'GET /cases.csv': readers,
  'GET /cases/{caseId}': readers,
  'GET /summary': readers,
  'GET /summary/series': readers,
  'GET /groups': readers,
  'GET /alerts': readers,
  'GET /cases/{caseId}/events': auditors,
  'GET /cases/{caseId}/events.ndjson': auditors,
  'GET /audit': auditors,
  'GET /cases/{caseId}/verify': auditors,
  'GET /ledger/digest': auditors,
  'POST /ledger/digest': auditors,
  'GET /cases/{caseId}/proof': auditors,
  'POST /cases/{caseId}/erase': admins,
} as const satisfies Record<string, readonly Role[]>;

export type RouteKey = keyof typeof ROUTE_ROLES;

/** What the ledger knew at a past moment is the auditor's question: `knownAt` needs one of these roles. */
export const KNOWN_AT_ROLES = auditors;

/** The caller is known but may not do this. */
export class ForbiddenError extends ApiError {
  readonly code = 'forbidden';
  constructor(readonly needed: readonly Role[]) {
    super(`This needs one of the roles: ${needed.join(', ')}`);
    this.name = 'ForbiddenError';
  }
}

/** No valid bearer token came with the request. */
export class UnauthenticatedError extends ApiError {
  readonly code = 'unauthenticated';
  constructor() {
    super('A valid bearer token is required');
    this.name = 'UnauthenticatedError';
  }
}

/** Throws `ForbiddenError` unless the caller holds one of `needed`. */
export function assertRole(principal: AppEnv['Variables']['principal'], needed: readonly Role[]): void {
  if (!needed.some((role) => principal.roles.has(role))) throw new ForbiddenError(needed);
}

/** The middleware a route declares: its roles, from `ROUTE_ROLES`. */
export function requireRoles(route: RouteKey): MiddlewareHandler<AppEnv> {
  const needed = ROUTE_ROLES[route];
  return async (c, next) => {
    assertRole(c.get('principal'), needed);
    await next();
  };
}

/** The `ROUTE_ROLES` key of a route declaration: `GET /cases/{caseId}`. */
type RouteKeyOf<R extends { method: string; path: string }> = `${Uppercase<R['method']>} ${R['path']}`;

/** A route declaration before `guarded` adds what every protected route has. */
type GuardableRoute = Omit<RouteConfig, 'middleware' | 'security'>;

/**
 * A protected route's declaration, completed: its role check from `ROUTE_ROLES`, the bearer requirement and
 * the 401 and 403 answers in the OpenAPI document, so that no protected route can leave them out. A route
 * that `ROUTE_ROLES` does not list does not type-check.
 */
export function guarded<const R extends GuardableRoute>(
  config: R & (RouteKeyOf<R> extends RouteKey ? unknown : never),
) {
  const route = `${config.method.toUpperCase()} ${config.path}` as RouteKey;
  if (!(route in ROUTE_ROLES)) throw new Error(`${route} is not in ROUTE_ROLES`);
  return {
    ...config,
    middleware: [requireRoles(route)],
    security: [{ bearer: [] }],
    responses: {
      ...config.responses,
      ...problemResponses('unauthenticated', 'forbidden'),
    } as R['responses'] & ReturnType<typeof problemResponses<['unauthenticated', 'forbidden']>>,
  };
}
