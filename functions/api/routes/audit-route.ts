import { createRoute, z } from '@hono/zod-openapi';
import type { ApiDependencies } from '../app-env.ts';
import { guarded } from '../auth/access.ts';
import { shownEventSchema } from '../event-answer-schemas.ts';
import { problemResponses } from '../openapi-responses.ts';
import { auditQuery } from '../request-schemas.ts';
import { auditPage } from '../use-cases/audit-page.ts';
import { routeApp } from './route-app.ts';

const auditRoute = createRoute(
  guarded({
    method: 'get',
    path: '/audit',
    operationId: 'listAuditEvents',
    summary: 'Every event recorded in a time range, across all cases, in recorded order, a page at a time',
    description:
      'Ordered by `recordedAt` (the moment the API recorded the append, to the millisecond), then case id, then ' +
      'version; the events of one append share their `recordedAt`. Served by the ledger index `byRecordedAt`, ' +
      'which is eventually consistent: an event shows there a moment after its append returns, so a range ending ' +
      'in the last few seconds may still grow. At most 366 days per query. Without `to` the range ends at the ' +
      'moment of the first page, and `nextCursor` keeps that end for the pages after it.',
    request: { query: auditQuery },
    responses: {
      200: {
        description: 'A page of events',
        content: {
          'application/json': {
            schema: z
              .object({ events: z.array(shownEventSchema), nextCursor: z.string().optional() })
              .meta({ id: 'AuditPage' }),
          },
        },
      },
      ...problemResponses('validation_failed', 'unavailable', 'store_unavailable'),
    },
  }),
);

export function auditRoutes(deps: ApiDependencies) {
  return routeApp().openapi(auditRoute, async (c) =>
    c.json(await auditPage(deps, c.get('principal'), c.req.valid('query')), 200),
  );
}
