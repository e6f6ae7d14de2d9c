import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { CaseTimeline } from '../../../domain/case-timeline.ts';
import { caseTimeline } from '../../../domain/fold-case.ts';
import { summarize } from '../../../domain/summary.ts';
import type { StoredView } from '../../store/view-store.ts';
import type { ApiDependencies, AppEnv } from '../app-env.ts';
import { assertRole, guarded, KNOWN_AT_ROLES } from '../auth/access.ts';
import { mapInBatches } from '../in-batches.ts';
import { problemResponses } from '../openapi-responses.ts';
import { summaryQuery, summarySchema } from '../request-schemas.ts';

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
      ...problemResponses(400, 503),
    },
  }),
);

/** How many cases' ledgers are read at once when a summary must fold them. */
const FOLD_CONCURRENCY = 8;

export function registerSummaryRoute(app: OpenAPIHono<AppEnv>, deps: ApiDependencies) {
  /** A case's timeline as the ledger stood at `knownAt`; `undefined` for a case the ledger did not know yet. */
  const timelineKnownAt = async (caseId: string, knownAt?: Date): Promise<CaseTimeline | undefined> => {
    const events = await deps.ledger.readStream(caseId, { ...(knownAt && { knownAt }) });
    return events.length === 0 ? undefined : caseTimeline(events, { ...(knownAt && { knownAt }) });
  };

  const timelinesOf = async (page: StoredView[], knownAt: Date | undefined) => {
    if (knownAt === undefined) {
      // Views written before timelines were stored are folded once, until they are projected again.
      return mapInBatches(page, FOLD_CONCURRENCY, async (stored) =>
        stored.timeline ? stored.timeline : timelineKnownAt(stored.view.caseId),
      );
    }
    return mapInBatches(page, FOLD_CONCURRENCY, (stored) => timelineKnownAt(stored.view.caseId, knownAt));
  };

  app.openapi(summaryRoute, async (c) => {
    const { groupId, asOf, knownAt } = c.req.valid('query');
    if (knownAt) assertRole(c.get('principal'), KNOWN_AT_ROLES);
    const at = asOf ?? knownAt ?? deps.clock();
    const timelines: CaseTimeline[] = [];
    // Every case is in the views, including those opened since `knownAt`; the fold leaves those out.
    for await (const page of deps.views.storedPages(groupId ? { groupId } : {})) {
      for (const timeline of await timelinesOf(page, knownAt)) if (timeline) timelines.push(timeline);
    }
    return c.json(
      {
        ...summarize(timelines, at.getTime()),
        asOf: at.toISOString(),
        ...(knownAt && { knownAt: knownAt.toISOString() }),
      },
      200,
    );
  });
}
