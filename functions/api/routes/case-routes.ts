import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { caseViewSchema } from '../../../domain/case-view.ts';
import type { NewEvent } from '../../../domain/event-catalogue.ts';
import type { ApiDependencies, AppEnv } from '../app-env.ts';
import { decodeCursor, encodeCursor } from '../cursor.ts';
import { assignEventIds, uuidFromName } from '../event-ids.ts';
import { problemResponses } from '../openapi-responses.ts';
import { readCaseView } from '../read-case-view.ts';
import {
  appendHeaders,
  appendResultSchema,
  caseIdParams,
  caseViewQuery,
  listCasesQuery,
  openCaseBody,
} from '../request-schemas.ts';

const openCaseRoute = createRoute({
  method: 'post',
  path: '/cases',
  summary: 'Open a case, optionally with its first events, in one transaction',
  request: {
    headers: appendHeaders.pick({ 'idempotency-key': true }),
    body: { required: true, content: { 'application/json': { schema: openCaseBody } } },
  },
  responses: {
    201: { description: 'The case is open', content: { 'application/json': { schema: appendResultSchema } } },
    ...problemResponses(400, 409, 413, 415, 422, 503),
  },
});

const getCaseRoute = createRoute({
  method: 'get',
  path: '/cases/{caseId}',
  summary: 'The case view; with asOf and/or knownAt, the ledger folded as of then',
  request: { params: caseIdParams, query: caseViewQuery },
  responses: {
    200: { description: 'The case view', content: { 'application/json': { schema: caseViewSchema } } },
    304: { description: 'Not modified since the ETag given in If-None-Match' },
    ...problemResponses(400, 404),
  },
});

const listCasesRoute = createRoute({
  method: 'get',
  path: '/cases',
  summary: 'List case views, filtered, in case-id order, a page at a time',
  request: { query: listCasesQuery },
  responses: {
    200: {
      description: 'A page of case views',
      content: {
        'application/json': {
          schema: z
            .object({ cases: z.array(caseViewSchema), nextCursor: z.string().optional() })
            .meta({ id: 'CaseList' }),
        },
      },
    },
    ...problemResponses(400),
  },
});

export function registerCaseRoutes(app: OpenAPIHono<AppEnv>, deps: ApiDependencies) {
  app.openapi(openCaseRoute, async (c) => {
    const body = c.req.valid('json');
    const idempotencyKey = c.req.valid('header')['idempotency-key'];
    const caseId =
      body.caseId ?? (idempotencyKey ? uuidFromName(`case\u0000${idempotencyKey}`) : deps.newId());
    const now = deps.clock();
    const opened: NewEvent = {
      ...(body.eventId && { eventId: body.eventId }),
      type: 'CaseOpened',
      // An instant, not a day: a day-precise date would keep the opening pending until the day ends.
      occurredAt: body.occurredAt ?? now.toISOString(),
      sources: body.sources ?? [{ title: 'Case opened through the API' }],
      ...(body.note && { note: body.note }),
      data: {
        subject: body.subject,
        ...(body.groupId && { groupId: body.groupId }),
        ...(body.labels && { labels: body.labels }),
      },
    };
    const events = assignEventIds([opened, ...(body.events ?? [])], {
      scope: `open\u0000${caseId}`,
      ...(idempotencyKey && { idempotencyKey }),
      newId: deps.newId,
    });
    const result = await deps.ledger.append({
      caseId,
      events,
      opening: true,
      recordedBy: c.get('principal').subject,
    });
    c.header('location', `/cases/${encodeURIComponent(caseId)}`);
    c.header('etag', `"${result.version}"`);
    if (result.replayed) c.header('idempotent-replayed', 'true');
    return c.json({ caseId: result.caseId, version: result.version, events: [...result.events] }, 201);
  });

  app.openapi(getCaseRoute, async (c) => {
    const { caseId } = c.req.valid('param');
    const { asOf, knownAt } = c.req.valid('query');
    const { view, live } = await readCaseView(deps, caseId, {
      ...(asOf && { asOf }),
      ...(knownAt && { knownAt }),
    });
    if (live) {
      const etag = `"${view.version}"`;
      c.header('etag', etag);
      if (c.req.header('if-none-match') === etag) return c.body(null, 304);
    }
    return c.json(view, 200);
  });

  app.openapi(listCasesRoute, async (c) => {
    const { status, groupId, limit, cursor } = c.req.valid('query');
    const query = JSON.stringify(['cases', status ?? null, groupId ?? null]);
    const after = cursor === undefined ? undefined : String(decodeCursor(cursor, query));
    const page = await deps.views.list({
      limit,
      ...(status && { status }),
      ...(groupId && { groupId }),
      ...(after !== undefined && { afterCaseId: after }),
    });
    return c.json(
      {
        cases: page.views,
        ...(page.continueAfter !== undefined && { nextCursor: encodeCursor(query, page.continueAfter) }),
      },
      200,
    );
  });
}
