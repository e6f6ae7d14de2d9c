import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { ApiDependencies, AppEnv } from '../app-env.ts';
import { problemSchema, UnavailableError } from '../problems.ts';

const healthRoute = createRoute({
  method: 'get',
  path: '/health',
  summary: 'Whether the ledger and the views can be reached',
  responses: {
    200: {
      description: 'Both tables answer',
      content: { 'application/json': { schema: z.object({ status: z.literal('ok') }) } },
    },
    503: {
      description: 'A table does not answer',
      content: { 'application/problem+json': { schema: problemSchema } },
    },
  },
});

export function registerHealthRoute(app: OpenAPIHono<AppEnv>, deps: ApiDependencies) {
  app.openapi(healthRoute, async (c) => {
    const results = await Promise.allSettled([deps.ledger.ping(), deps.views.ping()]);
    const failed = results.flatMap((result, index) =>
      result.status === 'rejected' ? [index === 0 ? 'ledger' : 'views'] : [],
    );
    if (failed.length > 0) {
      deps.logger?.error('health check failed', { failed, errors: results });
      throw new UnavailableError(failed);
    }
    return c.json({ status: 'ok' as const }, 200);
  });
}
