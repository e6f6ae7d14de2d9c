import { createRoute } from '@hono/zod-openapi';
import type { ApiDependencies } from '../app-env.ts';
import { guarded } from '../auth/access.ts';
import { problemResponses } from '../openapi-responses.ts';
import { alertsQuery } from '../request-schemas.ts';
import { alertsSchema } from '../response-schemas.ts';
import { findAlerts } from '../use-cases/find-alerts.ts';
import { routeApp } from './route-app.ts';

const alertsRoute = createRoute(
  guarded({
    method: 'get',
    path: '/alerts',
    operationId: 'getAlerts',
    summary:
      'Consular visits overdue, custody terms expiring or lapsed, people of whom there is no news, and tampering',
    description:
      'Derived at the moment asked (now by default), never stored. Thresholds default to the configuration ' +
      '(ALERT_CONSULAR_VISIT_DAYS, ALERT_CUSTODY_EXPIRING_DAYS, ALERT_NO_NEWS_DAYS) and may be overridden per ' +
      'call. Days are whole UTC calendar days; an uncertain date is read at its latest moment.',
    request: { query: alertsQuery },
    responses: {
      200: {
        description: 'The alerts, most urgent kind first',
        content: { 'application/json': { schema: alertsSchema } },
      },
      ...problemResponses('validation_failed', 'store_unavailable'),
    },
  }),
);

export function alertsRoutes(deps: ApiDependencies) {
  return routeApp().openapi(alertsRoute, async (c) => {
    const { groupId, asOf, consularVisitDays, custodyExpiringDays, noNewsDays } = c.req.valid('query');
    const now = deps.clock();
    const at = asOf ?? now;
    const thresholds = {
      consularVisitDays: consularVisitDays ?? deps.alertThresholds.consularVisitDays,
      custodyExpiringDays: custodyExpiringDays ?? deps.alertThresholds.custodyExpiringDays,
      noNewsDays: noNewsDays ?? deps.alertThresholds.noNewsDays,
    };
    const alerts = await findAlerts(deps, { groupId, at, now, thresholds });
    return c.json({ alerts, asOf: at.toISOString(), thresholds }, 200);
  });
}
