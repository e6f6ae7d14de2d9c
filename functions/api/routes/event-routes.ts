import { createRoute, z } from '@hono/zod-openapi';
import type { ApiDependencies } from '../app-env.ts';
import { guarded } from '../auth/access.ts';
import type { Principal } from '../auth/principal.ts';
import { eventPageSchema } from '../event-answer-schemas.ts';
import { prefersOverJson } from '../media-negotiation.ts';
import { answerHeaders, problemResponses } from '../openapi-responses.ts';
import {
  appendBody,
  appendHeaders,
  caseEventsQuery,
  caseIdParams,
  type HistoryForm,
} from '../request-schemas.ts';
import { appendResultSchema } from '../response-schemas.ts';
import { streamedBody } from '../streamed-body.ts';
import { historyPage, historyPages } from '../use-cases/case-history.ts';
import { appendEvents } from '../use-cases/record-events.ts';
import { appendAnswer } from './append-answer.ts';
import { routeApp } from './route-app.ts';

const appendRoute = createRoute(
  guarded({
    method: 'post',
    path: '/cases/{caseId}/events',
    operationId: 'appendEvents',
    summary: 'Append events to a case, all or nothing',
    request: {
      params: caseIdParams,
      headers: appendHeaders,
      body: { required: true, content: { 'application/json': { schema: appendBody } } },
    },
    responses: {
      201: {
        description: 'The events are recorded',
        headers: { ...answerHeaders.etag, ...answerHeaders.replayed },
        content: { 'application/json': { schema: appendResultSchema } },
      },
      ...problemResponses(
        'validation_failed',
        'http_400',
        'case_not_found',
        'case_erased',
        'event_id_conflict',
        'version_conflict',
        'http_413',
        'http_415',
        'rule_violated',
        'ledger_busy',
        'store_unavailable',
      ),
    },
  }),
);

const historyRoute = createRoute(
  guarded({
    method: 'get',
    path: '/cases/{caseId}/events',
    operationId: 'listCaseEvents',
    summary: "The case's events with envelopes and hashes, in version order, a page at a time",
    request: { params: caseIdParams, query: caseEventsQuery },
    responses: {
      200: {
        description: 'A page of events',
        content: {
          'application/json': {
            schema: eventPageSchema,
          },
          'application/x-ndjson': {
            schema: z
              .string()
              .meta({ description: 'With Accept: application/x-ndjson, every event, streamed' }),
          },
        },
      },
      ...problemResponses('validation_failed', 'case_not_found', 'store_unavailable'),
    },
  }),
);

const ndjsonDescription =
  'Every event of the case, one JSON object per line, in version order, streamed; a transfer cut short ' +
  'means the export failed part-way.';

const historyNdjsonRoute = createRoute(
  guarded({
    method: 'get',
    path: '/cases/{caseId}/events.ndjson',
    operationId: 'exportCaseEvents',
    summary: "The case's whole history as NDJSON, streamed",
    request: { params: caseIdParams, query: caseEventsQuery.pick({ knownAt: true, form: true }) },
    responses: {
      200: { description: ndjsonDescription, content: { 'application/x-ndjson': { schema: z.string() } } },
      ...problemResponses('validation_failed', 'case_not_found', 'store_unavailable'),
    },
  }),
);

/** Every event of the case as NDJSON, streamed; a case that does not exist is a 404 before anything is sent. */
async function ndjsonResponse(
  deps: ApiDependencies,
  principal: Principal,
  request: { caseId: string; knownAt: Date | undefined; form: HistoryForm },
) {
  const pages = await historyPages(deps, principal, request);
  async function* chunks() {
    for await (const events of pages) yield events.map((event) => `${JSON.stringify(event)}\n`).join('');
  }
  const body = streamedBody(chunks(), (error) =>
    deps.logger?.error('NDJSON export failed part-way; the transfer was cut', {
      caseId: request.caseId,
      error: String(error),
    }),
  );
  const response = new Response(body, {
    status: 200,
    headers: {
      'content-type': 'application/x-ndjson; charset=utf-8',
      'content-disposition': `attachment; filename="${request.caseId}.ndjson"`,
    },
  });
  // @hono/zod-openapi types every `application/…json` media type as a JSON body; NDJSON is a text stream.
  return response as never;
}

export function eventRoutes(deps: ApiDependencies) {
  return routeApp()
    .openapi(appendRoute, async (c) => {
      const { caseId } = c.req.valid('param');
      const headers = c.req.valid('header');
      const result = await appendEvents(deps, {
        caseId,
        body: c.req.valid('json'),
        idempotencyKey: headers['idempotency-key'],
        ifMatch: headers['if-match'],
        recordedBy: c.get('principal').subject,
      });
      return c.json(await appendAnswer(c, deps.subjects, result), 201);
    })
    .openapi(historyNdjsonRoute, async (c) => {
      const { caseId } = c.req.valid('param');
      const { knownAt, form } = c.req.valid('query');
      return ndjsonResponse(deps, c.get('principal'), { caseId, knownAt, form });
    })
    .openapi(historyRoute, async (c) => {
      const { caseId } = c.req.valid('param');
      const query = c.req.valid('query');
      if (prefersOverJson(c, 'application/x-ndjson')) {
        return ndjsonResponse(deps, c.get('principal'), { caseId, knownAt: query.knownAt, form: query.form });
      }
      return c.json(await historyPage(deps, c.get('principal'), { caseId, ...query }), 200);
    });
}
