import { createRoute } from '@hono/zod-openapi';
import type { ApiDependencies } from '../app-env.ts';
import { guarded } from '../auth/access.ts';
import { problemResponses } from '../openapi-responses.ts';
import { groupAppendBody, groupAppendHeaders, groupIdParams } from '../request-schemas.ts';
import { groupAppendResultSchema, groupsSchema } from '../response-schemas.ts';
import { recordForGroup } from '../use-cases/record-for-group.ts';
import { routeApp } from './route-app.ts';

const groupsRoute = createRoute(
  guarded({
    method: 'get',
    path: '/groups',
    operationId: 'listGroups',
    summary: 'The groups cases were opened in',
    description: 'Every group that a projected case belongs to, sorted by id; from one registry item.',
    responses: {
      200: { description: 'The groups', content: { 'application/json': { schema: groupsSchema } } },
      ...problemResponses('store_unavailable'),
    },
  }),
);

const groupAppendRoute = createRoute(
  guarded({
    method: 'post',
    path: '/groups/{groupId}/events',
    operationId: 'appendGroupEvents',
    summary: "Record the same events for several of a group's cases, each case all or nothing",
    description:
      'Each case gets its own copy of the events, appended atomically per case by the same rules as ' +
      '`POST /cases/{caseId}/events`; a case that is not in the group, is erased or refuses the events is ' +
      "answered `refused` with its problem, and the others proceed. Each copy's event ids are derived from " +
      "the Idempotency-Key, the case and the event's place, so a retry of the whole request records nothing " +
      'twice and answers `replayed` for what was recorded before. A body that fails validation records ' +
      'nothing; a failure of the store fails the request, and a retry with the same key is safe.',
    request: {
      params: groupIdParams,
      headers: groupAppendHeaders,
      body: { required: true, content: { 'application/json': { schema: groupAppendBody } } },
    },
    responses: {
      200: {
        description: 'What happened for each case, in the order of `caseIds`',
        content: { 'application/json': { schema: groupAppendResultSchema } },
      },
      ...problemResponses(
        'validation_failed',
        'http_400',
        'http_413',
        'http_415',
        'ledger_busy',
        'store_unavailable',
      ),
    },
  }),
);

export function groupRoutes(deps: ApiDependencies) {
  return routeApp()
    .openapi(groupsRoute, async (c) => {
      const groupIds = await deps.views.groupIds();
      return c.json({ groups: groupIds.map((groupId) => ({ groupId })) }, 200);
    })
    .openapi(groupAppendRoute, async (c) => {
      const { groupId } = c.req.valid('param');
      const answer = await recordForGroup(deps, {
        groupId,
        body: c.req.valid('json'),
        idempotencyKey: c.req.valid('header')['idempotency-key'],
        recordedBy: c.get('principal').subject,
      });
      return c.json(answer, 200);
    });
}
