import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { CaseNotFoundError } from '../../../domain/errors.ts';
import type { ApiDependencies, AppEnv } from '../app-env.ts';
import { decodeCursor, encodeCursor } from '../cursor.ts';
import { assignEventIds } from '../event-ids.ts';
import { problemResponses } from '../openapi-responses.ts';
import {
  appendBody,
  appendHeaders,
  appendResultSchema,
  caseEventsQuery,
  caseIdParams,
  storedEventSchema,
} from '../request-schemas.ts';

const appendRoute = createRoute({
  method: 'post',
  path: '/cases/{caseId}/events',
  summary: 'Append events to a case, all or nothing',
  request: {
    params: caseIdParams,
    headers: appendHeaders,
    body: { required: true, content: { 'application/json': { schema: appendBody } } },
  },
  responses: {
    201: {
      description: 'The events are recorded',
      content: { 'application/json': { schema: appendResultSchema } },
    },
    ...problemResponses(400, 404, 409, 412, 413, 415, 422, 503),
  },
});

const historyRoute = createRoute({
  method: 'get',
  path: '/cases/{caseId}/events',
  summary: "The case's events with envelopes and hashes, in version order, a page at a time",
  request: { params: caseIdParams, query: caseEventsQuery },
  responses: {
    200: {
      description: 'A page of events',
      content: {
        'application/json': {
          schema: z
            .object({ events: z.array(storedEventSchema), nextCursor: z.string().optional() })
            .meta({ id: 'EventPage' }),
        },
      },
    },
    ...problemResponses(400, 404),
  },
});

export function registerEventRoutes(app: OpenAPIHono<AppEnv>, deps: ApiDependencies) {
  app.openapi(appendRoute, async (c) => {
    const { caseId } = c.req.valid('param');
    const headers = c.req.valid('header');
    const idempotencyKey = headers['idempotency-key'];
    const ifMatch = headers['if-match'];
    const events = assignEventIds(c.req.valid('json').events, {
      scope: `append\u0000${caseId}`,
      ...(idempotencyKey && { idempotencyKey }),
      newId: deps.newId,
    });
    const result = await deps.ledger.append({
      caseId,
      events,
      opening: false,
      recordedBy: c.get('principal').subject,
      ...(ifMatch && { expectedVersion: Number(ifMatch.slice(1, -1)) }),
    });
    c.header('etag', `"${result.version}"`);
    if (result.replayed) c.header('idempotent-replayed', 'true');
    return c.json({ caseId: result.caseId, version: result.version, events: [...result.events] }, 201);
  });

  app.openapi(historyRoute, async (c) => {
    const { caseId } = c.req.valid('param');
    const { knownAt, limit, cursor } = c.req.valid('query');
    const query = JSON.stringify(['events', caseId, knownAt?.toISOString() ?? null]);
    const after = cursor === undefined ? 0 : Number(decodeCursor(cursor, query));
    const page = await deps.ledger.readPage(caseId, {
      afterVersion: after,
      limit,
      ...(knownAt && { knownAt }),
    });
    if (page.events.length === 0 && after === 0 && (await deps.ledger.head(caseId)) === undefined) {
      throw new CaseNotFoundError(caseId);
    }
    return c.json(
      {
        events: page.events,
        ...(page.continueAfter !== undefined && { nextCursor: encodeCursor(query, page.continueAfter) }),
      },
      200,
    );
  });
}
