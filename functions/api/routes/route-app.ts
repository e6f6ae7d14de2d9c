import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env.ts';
import { issuesOf, problemResponse, validationProblem } from '../problems.ts';

/**
 * A new sub-app for route modules to chain their routes on. Every one answers a request that fails its
 * schemas with the same 400 problem, naming where the bad input was (body, query, param, header).
 */
export function routeApp() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        const where = result.target === 'json' ? 'body' : result.target === 'query' ? 'query' : result.target;
        return problemResponse(validationProblem(issuesOf(result.error), where));
      }
    },
  });
}
