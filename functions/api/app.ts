import { ValidationError } from '../../domain/errors.ts';
import type { ApiDependencies } from './app-env.ts';
import { PUBLIC_PATH_PREFIXES, PUBLIC_ROUTES, UnauthenticatedError } from './auth/access.ts';
import { bodySizeLimit } from './body-size-limit.ts';
import { isJsonMediaType, jsonShapeIssues } from './json-shape.ts';
import { problemFor, problemOf, problemResponse } from './problems.ts';
import { alertsRoutes } from './routes/alerts-route.ts';
import { auditRoutes } from './routes/audit-route.ts';
import { caseRoutes } from './routes/case-routes.ts';
import { eraseRoutes } from './routes/erase-route.ts';
import { eventRoutes } from './routes/event-routes.ts';
import { groupRoutes } from './routes/group-routes.ts';
import { healthRoutes } from './routes/health-route.ts';
import { logRoutes } from './routes/log-routes.ts';
import { proofRoutes } from './routes/proof-routes.ts';
import { routeApp } from './routes/route-app.ts';
import { subscriptionLinkRoutes } from './routes/subscription-link-routes.ts';
import { subscriptionRoutes } from './routes/subscription-routes.ts';
import { summaryRoutes } from './routes/summary-route.ts';
import { webhookEndpointRoutes } from './routes/webhook-endpoint-routes.ts';

/** Requests larger than this are refused with 413 before they are read. */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * The API (docs/api.md) as one Hono app: the Lambda handler and the local server serve this same object.
 * Errors of every kind leave through `problems.ts` as RFC 9457 problems.
 */
export function createApp(deps: ApiDependencies) {
  const app = routeApp();

  app.use(bodySizeLimit({ maxBytes: MAX_BODY_BYTES }));
  // Every route but the public ones answers to a verified caller; each route then checks its roles.
  app.use(async (c, next) => {
    const route = `${c.req.method} ${c.req.path}`;
    if ((PUBLIC_ROUTES as readonly string[]).includes(route)) return next();
    if (PUBLIC_PATH_PREFIXES.some((prefix) => route.startsWith(prefix))) return next();
    const principal = await deps.authenticate(c);
    if (principal === undefined) throw new UnauthenticatedError();
    c.set('principal', principal);
    await next();
  });
  // Hostile shapes are refused before any schema walks them: depth, list and text lengths, prototype keys.
  app.use(async (c, next) => {
    if (!isJsonMediaType(c.req.header('content-type'))) return next();
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      return next(); // Not JSON: the route's validator answers with its own 400.
    }
    const issues = jsonShapeIssues(body);
    if (issues.length > 0) throw new ValidationError(issues);
    await next();
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'Roles in the `cognito:groups` claim (viewer, recorder, auditor, admin); `pii` in `scope`',
  });

  // Each route module is a sub-app of its own; the order here is the order of the OpenAPI document's paths.
  const api = app
    .route('/', healthRoutes(deps))
    .route('/', caseRoutes(deps))
    .route('/', eventRoutes(deps))
    .route('/', eraseRoutes(deps))
    .route('/', summaryRoutes(deps))
    .route('/', groupRoutes(deps))
    .route('/', alertsRoutes(deps))
    .route('/', auditRoutes(deps))
    .route('/', proofRoutes(deps))
    .route('/', logRoutes(deps))
    .route('/', subscriptionLinkRoutes(deps))
    .route('/', subscriptionRoutes(deps))
    .route('/', webhookEndpointRoutes(deps));

  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'detention-ledger',
      version: '0.1.0',
      description:
        'An append-only, verifiable ledger of detention events with derived status views and a bi-temporal history.',
      license: { name: 'Apache-2.0', url: 'https://www.apache.org/licenses/LICENSE-2.0' },
    },
    // Paths are served from the root of the origin this document comes from (the local runtime, or the HTTP
    // API's default stage), so a generated client needs only that origin as its base URL.
    servers: [{ url: '/', description: 'The origin this document is served from' }],
  });

  app.notFound((c) => problemResponse(problemOf('http_404', `No route for ${c.req.method} ${c.req.path}`)));
  app.onError((error, c) => {
    const write = c.req.method !== 'GET' && c.req.method !== 'HEAD';
    const { body, headers, unexpected } = problemFor(error, { write });
    if (unexpected) deps.logger?.error('request failed', { method: c.req.method, path: c.req.path, error });
    return problemResponse(body, headers);
  });
  return api;
}

export type LedgerApp = ReturnType<typeof createApp>;
