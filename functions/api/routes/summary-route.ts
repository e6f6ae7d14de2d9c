import { createRoute } from '@hono/zod-openapi';
import { dayOf } from '../../../domain/calendar.ts';
import type { ApiDependencies } from '../app-env.ts';
import { assertRole, guarded, KNOWN_AT_ROLES } from '../auth/access.ts';
import { problemResponses } from '../openapi-responses.ts';
import { summaryQuery, summarySeriesQuery } from '../request-schemas.ts';
import { summarySchema, summarySeriesSchema } from '../response-schemas.ts';
import { countCases, countSeries } from '../use-cases/count-cases.ts';
import { routeApp } from './route-app.ts';

const summaryRoute = createRoute(
  guarded({
    method: 'get',
    path: '/summary',
    operationId: 'getSummary',
    summary: 'Counts by status, facility and nationality, as of a moment and as known at a moment',
    description:
      'With `asOf` alone (now by default) the counts come from the stored views and their timelines, without ' +
      'reading the ledger. With `knownAt` every case of the group is folded from the ledger as it stood then; ' +
      '`asOf` then defaults to `knownAt`. An uncertain date counts once its latest moment has passed.',
    request: { query: summaryQuery },
    responses: {
      200: { description: 'The counts', content: { 'application/json': { schema: summarySchema } } },
      ...problemResponses('validation_failed', 'store_unavailable'),
    },
  }),
);

const seriesRoute = createRoute(
  guarded({
    method: 'get',
    path: '/summary/series',
    operationId: 'getSummarySeries',
    summary: 'Counts by status for every day of a range, for a chart of the people held each day',
    description:
      "Each day is counted as `GET /summary?asOf=<day>` counts it: at the day's last moment (UTC), from the " +
      'stored views and their timelines, read once; an uncertain date counts once its latest moment has passed. ' +
      '`to` is today by default; `from` the first day any counted case was in custody (no more than 3,660 ' +
      'days before `to`), or `to` when none was. At most 3,660 days.',
    request: { query: summarySeriesQuery },
    responses: {
      200: {
        description: 'The counts of each day',
        content: { 'application/json': { schema: summarySeriesSchema } },
      },
      ...problemResponses('validation_failed', 'store_unavailable'),
    },
  }),
);

export function summaryRoutes(deps: ApiDependencies) {
  return routeApp()
    .openapi(seriesRoute, async (c) => {
      const { groupId, from, to } = c.req.valid('query');
      return c.json(await countSeries(deps, { groupId, from, to: to ?? dayOf(deps.clock().getTime()) }), 200);
    })
    .openapi(summaryRoute, async (c) => {
      const { groupId, asOf, knownAt } = c.req.valid('query');
      if (knownAt) assertRole(c.get('principal'), KNOWN_AT_ROLES);
      const at = asOf ?? knownAt ?? deps.clock();
      return c.json(
        {
          ...(await countCases(deps, { groupId, at, knownAt })),
          asOf: at.toISOString(),
          ...(knownAt && { knownAt: knownAt.toISOString() }),
        },
        200,
      );
    });
}
