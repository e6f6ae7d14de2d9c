import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { CaseNotFoundError } from '../../../domain/errors.ts';
import type { StoredEvent } from '../../../domain/stored-event.ts';
import type { ApiDependencies, AppEnv } from '../app-env.ts';
import { guarded } from '../auth/access.ts';
import { eventsFor } from '../auth/personal-data.ts';
import type { Principal } from '../auth/principal.ts';
import { eventPageSchema, type ShownEvent, type StoredEventAnswer } from '../event-answer-schemas.ts';
import { assignEventIds } from '../event-ids.ts';
import { answerHeaders, problemResponses } from '../openapi-responses.ts';
import {
  appendBody,
  appendHeaders,
  appendResultSchema,
  caseEventsQuery,
  caseIdParams,
  type HistoryForm,
} from '../request-schemas.ts';
import { primed, streamedBody } from '../streamed-body.ts';

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
      ...problemResponses(400, 404, 409, 412, 413, 415, 422, 503),
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
      ...problemResponses(400, 404, 503),
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
      ...problemResponses(400, 404, 503),
    },
  }),
);

function wantsNdjson(accept: string | undefined): boolean {
  const types = (accept ?? '').split(',').map((part) => part.split(';')[0]?.trim().toLowerCase());
  return types.includes('application/x-ndjson') && !types.includes('application/json');
}

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
      expected: ifMatch ? Number(ifMatch.slice(1, -1)) : 'stream_exists',
      recordedBy: c.get('principal').subject,
    });
    c.header('etag', `"${result.version}"`);
    if (result.replayed) c.header('idempotent-replayed', 'true');
    const shown = await eventsFor(c.get('principal'), result.events, deps.subjects);
    return c.json({ caseId: result.caseId, version: result.version, events: shown }, 201);
  });

  /**
   * The events as the caller may see them, or exactly as stored (subjects sealed) to recompute the chain; as a
   * page body, whose type says which of the two it holds.
   */
  const inForm = async (
    principal: Principal,
    events: readonly StoredEvent[],
    form: HistoryForm,
  ): Promise<{ events: StoredEventAnswer[] } | { events: ShownEvent[] }> =>
    form === 'stored'
      ? // The stored form is the domain's type; the answer schema says the same of its free texts, less exactly.
        { events: events as unknown as StoredEventAnswer[] }
      : { events: await eventsFor(principal, events, deps.subjects) };

  const ndjsonResponse = async (
    principal: Principal,
    caseId: string,
    knownAt: Date | undefined,
    form: HistoryForm,
  ) => {
    const { first, rest } = await primed(deps.ledger.pages(caseId, { ...(knownAt && { knownAt }) }));
    if (first.done && (await deps.ledger.head(caseId)) === undefined) throw new CaseNotFoundError(caseId);
    const lines = async (events: readonly StoredEvent[]) =>
      (await inForm(principal, events, form)).events.map((event) => `${JSON.stringify(event)}\n`).join('');
    async function* chunks() {
      if (first.done) return;
      yield await lines(first.value);
      for (let next = await rest.next(); !next.done; next = await rest.next()) yield await lines(next.value);
    }
    const body = streamedBody(chunks(), (error) =>
      deps.logger?.error('NDJSON export failed part-way; the transfer was cut', {
        caseId,
        error: String(error),
      }),
    );
    const response = new Response(body, {
      status: 200,
      headers: {
        'content-type': 'application/x-ndjson; charset=utf-8',
        'content-disposition': `attachment; filename="${caseId}.ndjson"`,
      },
    });
    // @hono/zod-openapi types every `application/…json` media type as a JSON body; NDJSON is a text stream.
    return response as never;
  };

  app.openapi(historyNdjsonRoute, async (c) => {
    const { caseId } = c.req.valid('param');
    const { knownAt, form } = c.req.valid('query');
    return ndjsonResponse(c.get('principal'), caseId, knownAt, form);
  });

  app.openapi(historyRoute, async (c) => {
    const { caseId } = c.req.valid('param');
    const { knownAt, limit, cursor, form } = c.req.valid('query');
    if (wantsNdjson(c.req.header('accept'))) return ndjsonResponse(c.get('principal'), caseId, knownAt, form);
    const query = JSON.stringify(['events', caseId, knownAt?.toISOString() ?? null]);
    const after = cursor === undefined ? 0 : Number(deps.cursors.decode(cursor, query));
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
        ...(await inForm(c.get('principal'), page.events, form)),
        ...(page.continueAfter !== undefined && {
          nextCursor: deps.cursors.encode(query, page.continueAfter),
        }),
      },
      200,
    );
  });
}
