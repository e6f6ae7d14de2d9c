import type { RouteConfig } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { ApiError } from '../api-error.ts';
import type { AppEnv } from '../app-env.ts';
import { problemResponses } from '../openapi-responses.ts';
import type { Role } from './principal.ts';
import { ROUTE_ROLES, type RouteKey } from './route-roles.ts';

export {
  KNOWN_AT_ROLES,
  PUBLIC_PATH_PREFIXES,
  PUBLIC_ROUTES,
  ROUTE_ROLES,
  type RouteKey,
} from './route-roles.ts';

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
