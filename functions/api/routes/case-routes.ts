import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { caseViewSchema } from '../../../domain/case-view.ts';
import type { NewEvent } from '../../../domain/event-catalogue.ts';
import type { ListFilter, ListOrder } from '../../store/view-store.ts';
import { listIdentity } from '../../tables/view-keys.ts';
import type { ApiDependencies, AppEnv } from '../app-env.ts';
import { assertRole, guarded, KNOWN_AT_ROLES } from '../auth/access.ts';
import { eventsFor } from '../auth/personal-data.ts';
import { caseCsvHeader, caseCsvRows } from '../case-csv.ts';
import { assignEventIds, uuidFromName } from '../event-ids.ts';
import { answerHeaders, problemResponses } from '../openapi-responses.ts';
import { readCaseView } from '../read-case-view.ts';
import {
  appendHeaders,
  appendResultSchema,
  caseIdParams,
  caseViewHeaders,
  caseViewQuery,
  listCasesQuery,
  listFilters,
  openCaseBody,
} from '../request-schemas.ts';
import { primed, streamedBody } from '../streamed-body.ts';

const openCaseRoute = createRoute(
  guarded({
    method: 'post',
    path: '/cases',
    operationId: 'openCase',
    summary: 'Open a case, optionally with its first events, in one transaction',
    request: {
      headers: appendHeaders.pick({ 'idempotency-key': true }),
      body: { required: true, content: { 'application/json': { schema: openCaseBody } } },
    },
    responses: {
      201: {
        description: 'The case is open',
        headers: { ...answerHeaders.etag, ...answerHeaders.location, ...answerHeaders.replayed },
        content: { 'application/json': { schema: appendResultSchema } },
      },
      ...problemResponses(400, 409, 413, 415, 422, 503),
    },
  }),
);

const getCaseRoute = createRoute(
  guarded({
    method: 'get',
    path: '/cases/{caseId}',
    operationId: 'getCase',
    summary: 'The case view; with asOf and/or knownAt, the ledger folded as of then',
    request: { params: caseIdParams, query: caseViewQuery, headers: caseViewHeaders },
    responses: {
      200: {
        description: 'The case view; with an ETag when it is the current view, without asOf or knownAt',
        headers: answerHeaders.etag,
        content: { 'application/json': { schema: caseViewSchema } },
      },
      304: { description: 'Not modified since the ETag given in If-None-Match', headers: answerHeaders.etag },
      ...problemResponses(400, 404, 503),
    },
  }),
);

const caseListSchema = z
  .object({ cases: z.array(caseViewSchema), nextCursor: z.string().optional() })
  .meta({ id: 'CaseList' });

const csvDescription =
  'Every matching case, one row each, streamed (`limit` and `cursor` apply to JSON pages only). Texts that ' +
  'start like a spreadsheet formula are prefixed with an apostrophe.';

const listCasesRoute = createRoute(
  guarded({
    method: 'get',
    path: '/cases',
    operationId: 'listCases',
    summary: 'List case views, filtered, a page at a time; or every match as CSV with Accept: text/csv',
    request: { query: listCasesQuery },
    responses: {
      200: {
        description: 'A page of case views, or with `Accept: text/csv` every matching case',
        content: {
          'application/json': { schema: caseListSchema },
          'text/csv': { schema: z.string().meta({ description: csvDescription }) },
        },
      },
      ...problemResponses(400, 503),
    },
  }),
);

const listCasesCsvRoute = createRoute(
  guarded({
    method: 'get',
    path: '/cases.csv',
    operationId: 'exportCasesCsv',
    summary: 'Every matching case as CSV, for spreadsheets',
    request: { query: listFilters },
    responses: {
      200: {
        description: csvDescription,
        content: { 'text/csv': { schema: z.string() } },
      },
      ...problemResponses(400, 503),
    },
  }),
);

/** Whether a request asks for CSV rather than JSON; JSON wins a tie, since it is the API's own language. */
function wantsCsv(accept: string | undefined): boolean {
  if (accept === undefined) return false;
  const types = accept.split(',').map((part) => part.split(';')[0]?.trim().toLowerCase());
  return types.includes('text/csv') && !types.includes('application/json');
}

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
      expected: 'no_stream',
      recordedBy: c.get('principal').subject,
      // A retry's own "now" is no change of content: it must be recognised as the same opening.
      ...(body.occurredAt === undefined && { occurredAtDefaulted: [events[0]!.eventId] }),
    });
    c.header('location', `/cases/${encodeURIComponent(caseId)}`);
    c.header('etag', `"${result.version}"`);
    if (result.replayed) c.header('idempotent-replayed', 'true');
    const shown = await eventsFor(c.get('principal'), result.events, deps.subjects);
    return c.json({ caseId: result.caseId, version: result.version, events: shown }, 201);
  });

  app.openapi(getCaseRoute, async (c) => {
    const { caseId } = c.req.valid('param');
    const { asOf, knownAt } = c.req.valid('query');
    if (knownAt) assertRole(c.get('principal'), KNOWN_AT_ROLES);
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

  const csvResponse = async (filter: ListFilter & { order: ListOrder }) => {
    const { first, rest } = await primed(deps.views.pages(filter));
    async function* chunks() {
      yield caseCsvHeader();
      if (first.done) return;
      yield caseCsvRows(first.value);
      for (let next = await rest.next(); !next.done; next = await rest.next()) yield caseCsvRows(next.value);
    }
    const body = streamedBody(chunks(), (error) =>
      deps.logger?.error('CSV export failed part-way; the transfer was cut', { error: String(error) }),
    );
    return new Response(body, {
      status: 200,
      headers: {
        'content-type': 'text/csv; charset=utf-8; header=present',
        'content-disposition': 'attachment; filename="cases.csv"',
      },
    });
  };

  app.openapi(listCasesRoute, async (c) => {
    const { limit, cursor, sort, ...filter } = c.req.valid('query');
    if (wantsCsv(c.req.header('accept'))) return csvResponse({ ...filter, order: sort });
    const query = listIdentity(sort, filter);
    const after = cursor === undefined ? undefined : String(deps.cursors.decode(cursor, query));
    const page = await deps.views.list({
      ...definedOnly(filter),
      order: sort,
      limit,
      ...(after !== undefined && { after }),
    });
    return c.json(
      {
        cases: page.views,
        ...(page.continueAfter !== undefined && {
          nextCursor: deps.cursors.encode(query, page.continueAfter),
        }),
      },
      200,
    );
  });

  app.openapi(listCasesCsvRoute, async (c) => {
    const { sort, ...filter } = c.req.valid('query');
    return csvResponse({ ...definedOnly(filter), order: sort });
  });
}

/** Drops the filters a request left out, so that none reaches the store as `undefined`. */
function definedOnly(filter: ListFilter): ListFilter {
  return Object.fromEntries(Object.entries(filter).filter(([, value]) => value !== undefined));
}
