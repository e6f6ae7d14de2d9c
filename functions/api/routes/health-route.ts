import { createRoute, z } from '@hono/zod-openapi';
import type { ApiDependencies } from '../app-env.ts';
import { problemResponses } from '../openapi-responses.ts';
import { checkHealth } from '../use-cases/check-health.ts';
import { routeApp } from './route-app.ts';

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
    ...problemResponses('unavailable'),
  },
});

export function healthRoutes(deps: ApiDependencies) {
  return routeApp().openapi(healthRoute, async (c) => {
    await checkHealth(deps);
    return c.json({ status: 'ok' as const }, 200);
  });
}
