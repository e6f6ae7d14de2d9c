import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { ApiDependencies, AppEnv } from '../app-env.ts';
import { problemResponses } from '../openapi-responses.ts';
import { UnavailableError } from '../problems.ts';

const healthRoute = createRoute({
  method: 'get',
  path: '/health',
  operationId: 'getHealth',
  security: [],
  summary: 'Whether the ledger and the views can be reached',
  responses: {
    200: {
      description: 'Both tables answer',
      content: { 'application/json': { schema: z.object({ status: z.literal('ok') }) } },
    },
    ...problemResponses(503),
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
