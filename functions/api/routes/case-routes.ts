import { createRoute, z } from '@hono/zod-openapi';
import { caseViewSchema } from '../../../domain/case-view.ts';
import type { ListFilter, ListOrder } from '../../store/view-query-plan.ts';
import type { ApiDependencies } from '../app-env.ts';
import { assertRole, guarded, KNOWN_AT_ROLES } from '../auth/access.ts';
import { caseCsvHeader, caseCsvRows } from '../case-csv.ts';
import { conditionalGet } from '../conditional-get.ts';
import { prefersOverJson } from '../media-negotiation.ts';
import { answerHeaders, problemResponses } from '../openapi-responses.ts';
import {
  appendHeaders,
  caseIdParams,
  caseViewHeaders,
  caseViewQuery,
  listCasesQuery,
  listFilters,
  openCaseBody,
} from '../request-schemas.ts';
import { appendResultSchema, caseAnswerSchema } from '../response-schemas.ts';
import { primed, streamedBody } from '../streamed-body.ts';
import { definedOnly, listCases } from '../use-cases/list-cases.ts';
import { readCaseAnswer } from '../use-cases/read-case-answer.ts';
import { openCase } from '../use-cases/record-events.ts';
import { appendAnswer } from './append-answer.ts';
import { routeApp } from './route-app.ts';

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
      ...problemResponses(
        'validation_failed',
        'http_400',
        'case_exists',
        'case_erased',
        'event_id_conflict',
        'http_413',
        'http_415',
        'rule_violated',
        'ledger_busy',
        'store_unavailable',
      ),
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
        description:
          'The case view and its subject; with an ETag when it is the current view, without asOf or knownAt: ' +
          'the version ("4") for a pseudonymous answer, the version and the form of the person ("4-clear", ' +
          '"4-erased") for a caller who sees personal data, so an erasure changes the tag',
        headers: answerHeaders.etag,
        content: { 'application/json': { schema: caseAnswerSchema } },
      },
      304: { description: 'Not modified since the ETag given in If-None-Match', headers: answerHeaders.etag },
      ...problemResponses('validation_failed', 'case_not_found', 'store_unavailable'),
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
      ...problemResponses('validation_failed', 'unavailable', 'store_unavailable'),
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
      ...problemResponses('validation_failed', 'store_unavailable'),
    },
  }),
);

/** Every case a filter matches as CSV, streamed: a failure before the first page is still a problem answer. */
async function csvResponse(deps: ApiDependencies, filter: ListFilter & { order: ListOrder }) {
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
}

export function caseRoutes(deps: ApiDependencies) {
  const routes = routeApp();
  // Before the route, so that its answer passes back through: a view the caller holds becomes a 304.
  routes.use('/cases/:caseId', conditionalGet);
  return routes
    .openapi(openCaseRoute, async (c) => {
      const result = await openCase(deps, {
        body: c.req.valid('json'),
        idempotencyKey: c.req.valid('header')['idempotency-key'],
        recordedBy: c.get('principal').subject,
      });
      c.header('location', `/cases/${encodeURIComponent(result.caseId)}`);
      return c.json(await appendAnswer(c, deps.subjects, result), 201);
    })
    .openapi(getCaseRoute, async (c) => {
      const { caseId } = c.req.valid('param');
      const { asOf, knownAt } = c.req.valid('query');
      const principal = c.get('principal');
      if (knownAt) assertRole(principal, KNOWN_AT_ROLES);
      const { answer, etag } = await readCaseAnswer(deps, principal, caseId, {
        ...(asOf && { asOf }),
        ...(knownAt && { knownAt }),
      });
      if (etag) c.header('etag', etag);
      // The person shown depends on who asks: no cache may hand one caller's answer to another.
      c.header('vary', 'Authorization');
      return c.json(answer, 200);
    })
    .openapi(listCasesRoute, async (c) => {
      const { limit, cursor, sort, ...filter } = c.req.valid('query');
      if (prefersOverJson(c, 'text/csv')) return csvResponse(deps, { ...definedOnly(filter), order: sort });
      return c.json(await listCases(deps, { filter, order: sort, limit, cursor }), 200);
    })
    .openapi(listCasesCsvRoute, async (c) => {
      const { sort, ...filter } = c.req.valid('query');
      return csvResponse(deps, { ...definedOnly(filter), order: sort });
    });
}
