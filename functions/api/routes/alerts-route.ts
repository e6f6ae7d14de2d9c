import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { type Alert, alertsFor, byUrgency, tamperAlert } from '../../../domain/alerts.ts';
import { custodyStatuses } from '../../../domain/case-status.ts';
import { stateAt } from '../../../domain/case-timeline.ts';
import type { CaseView } from '../../../domain/case-view.ts';
import { foldCase } from '../../../domain/fold-case.ts';
import { type StoredView, storedViewHoldsAt } from '../../store/view-store.ts';
import type { ApiDependencies, AppEnv } from '../app-env.ts';
import { guarded } from '../auth/access.ts';
import { mapInBatches } from '../in-batches.ts';
import { problemResponses } from '../openapi-responses.ts';
import { alertsQuery, alertsSchema } from '../request-schemas.ts';

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
      ...problemResponses(400, 503),
    },
  }),
);

/** How many cases' ledgers are read at once when a stored view does not hold at the moment asked. */
const FOLD_CONCURRENCY = 8;

export function registerAlertsRoute(app: OpenAPIHono<AppEnv>, deps: ApiDependencies) {
  /** The case's view as of `at`: the stored one when it holds then, else the ledger folded as of then. */
  const viewAt = async (stored: StoredView, at: Date): Promise<CaseView> => {
    if (storedViewHoldsAt(stored, at.getTime())) return stored.view;
    const events = await deps.ledger.readStream(stored.view.caseId);
    return foldCase(stored.view.caseId, events, { asOf: at });
  };

  /** Whether a case may have alerts at `at`: only people in custody then have any; without a timeline, maybe. */
  const mayAlert = (stored: StoredView, at: Date): boolean => {
    if (stored.timeline === undefined) return true;
    const state = stateAt(stored.timeline, at.getTime());
    return state !== undefined && custodyStatuses.has(state.status);
  };

  app.openapi(alertsRoute, async (c) => {
    const { groupId, asOf, consularVisitDays, custodyExpiringDays, noNewsDays } = c.req.valid('query');
    const at = asOf ?? deps.clock();
    const thresholds = {
      consularVisitDays: consularVisitDays ?? deps.alertThresholds.consularVisitDays,
      custodyExpiringDays: custodyExpiringDays ?? deps.alertThresholds.custodyExpiringDays,
      noNewsDays: noNewsDays ?? deps.alertThresholds.noNewsDays,
    };
    const alerts: Alert[] = [];
    const inGroup = new Set<string>();
    for await (const page of deps.views.storedPages(groupId ? { groupId } : {})) {
      for (const stored of page) inGroup.add(stored.view.caseId);
      const candidates = page.filter((stored) => mayAlert(stored, at));
      const views = await mapInBatches(candidates, FOLD_CONCURRENCY, (stored) => viewAt(stored, at));
      for (const view of views) alerts.push(...alertsFor(view, at, thresholds));
    }
    // Tamper signals concern the record, whoever the person is: every case of the group, held or not.
    for (const signal of await deps.tamperLog.signals()) {
      if (groupId !== undefined && !inGroup.has(signal.caseId)) continue;
      const alert = tamperAlert(signal, at);
      if (alert) alerts.push(alert);
    }
    return c.json({ alerts: alerts.sort(byUrgency), asOf: at.toISOString(), thresholds }, 200);
  });
}
