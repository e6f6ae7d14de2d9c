import { createRoute } from '@hono/zod-openapi';
import { ValidationError } from '../../../domain/errors.ts';
import {
  type EndpointState,
  type WebhookEndpoint,
  webhookEndpointInputSchema,
} from '../../../domain/notifications/webhook-endpoint.ts';
import type { ApiDependencies } from '../app-env.ts';
import { guarded } from '../auth/access.ts';
import { notificationsOf } from '../notifications/notification-deps.ts';
import { EndpointNotFoundError } from '../notifications/notification-errors.ts';
import {
  deliveriesQuery,
  deliveriesSchema,
  endpointSchema,
  endpointsSchema,
  endpointWithSecretSchema,
  idParams,
  locationHeader,
} from '../notifications/notification-schemas.ts';
import { shownEndpoint } from '../notifications/shown-notifications.ts';
import { problemResponses } from '../openapi-responses.ts';
import { routeApp } from './route-app.ts';

const read = ['validation_failed', 'unavailable', 'store_unavailable'] as const;
const one = [...read, 'endpoint_not_found'] as const;

const listRoute = createRoute(
  guarded({
    method: 'get',
    path: '/webhook-endpoints',
    operationId: 'listWebhookEndpoints',
    summary: 'The webhook endpoints, without their secrets',
    responses: {
      200: { description: 'The endpoints', content: { 'application/json': { schema: endpointsSchema } } },
      ...problemResponses(...read),
    },
  }),
);

const createEndpointRoute = createRoute(
  guarded({
    method: 'post',
    path: '/webhook-endpoints',
    operationId: 'createWebhookEndpoint',
    summary: 'Register a webhook endpoint; the answer holds its signing secret, once',
    description:
      'The URL must be https to a public address (the local runtime may allow http to loopback). Deliveries ' +
      'are signed as Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`) with the secret ' +
      'this answer holds; it is never shown again, only replaced by a rotation.',
    request: {
      body: { required: true, content: { 'application/json': { schema: webhookEndpointInputSchema } } },
    },
    responses: {
      201: {
        description: 'The endpoint and its secret',
        headers: locationHeader('endpoint'),
        content: { 'application/json': { schema: endpointWithSecretSchema } },
      },
      ...problemResponses(...read, 'http_400', 'http_413', 'http_415'),
    },
  }),
);

const getRoute = createRoute(
  guarded({
    method: 'get',
    path: '/webhook-endpoints/{id}',
    operationId: 'getWebhookEndpoint',
    summary: 'A webhook endpoint, without its secrets',
    request: { params: idParams },
    responses: {
      200: { description: 'The endpoint', content: { 'application/json': { schema: endpointSchema } } },
      ...problemResponses(...one),
    },
  }),
);

const rotateRoute = createRoute(
  guarded({
    method: 'post',
    path: '/webhook-endpoints/{id}/rotate-secret',
    operationId: 'rotateWebhookSecret',
    summary: 'Make a new signing secret; the old one keeps signing beside it for a day (SECRET_OVERLAP_MS)',
    request: { params: idParams },
    responses: {
      200: {
        description: 'The endpoint and its new secret, shown this once',
        content: { 'application/json': { schema: endpointWithSecretSchema } },
      },
      ...problemResponses(...one),
    },
  }),
);

function stateRoute(action: 'enable' | 'disable') {
  return createRoute(
    guarded({
      method: 'post',
      path: `/webhook-endpoints/{id}/${action}`,
      operationId: action === 'enable' ? 'enableWebhookEndpoint' : 'disableWebhookEndpoint',
      summary:
        action === 'enable'
          ? 'Send to the endpoint again (after a repair, or after it was disabled for failing)'
          : 'Stop sending to the endpoint; notices for it wait no longer',
      request: { params: idParams },
      responses: {
        200: { description: 'The endpoint', content: { 'application/json': { schema: endpointSchema } } },
        ...problemResponses(...one),
      },
    } as const),
  );
}

const deliveriesRoute = createRoute(
  guarded({
    method: 'get',
    path: '/webhook-endpoints/{id}/deliveries',
    operationId: 'listWebhookDeliveries',
    summary: 'The delivery log of an endpoint: each attempt, its outcome and the receiver’s status',
    request: { params: idParams, query: deliveriesQuery },
    responses: {
      200: {
        description: 'Attempts, newest first',
        content: { 'application/json': { schema: deliveriesSchema } },
      },
      ...problemResponses(...one),
    },
  }),
);

async function existing(deps: ApiDependencies, id: string): Promise<WebhookEndpoint> {
  const found = await notificationsOf(deps).store.getEndpoint(id);
  if (found === undefined) throw new EndpointNotFoundError(id);
  return found;
}

async function setState(deps: ApiDependencies, id: string, state: EndpointState) {
  await existing(deps, id);
  await notificationsOf(deps).store.setEndpointState(id, state, deps.clock());
  return shownEndpoint(await existing(deps, id));
}

export function webhookEndpointRoutes(deps: ApiDependencies) {
  return routeApp()
    .openapi(listRoute, async (c) => {
      const endpoints = await notificationsOf(deps).store.listEndpoints();
      return c.json({ endpoints: endpoints.map(shownEndpoint) }, 200);
    })
    .openapi(createEndpointRoute, async (c) => {
      const input = c.req.valid('json');
      const notifications = notificationsOf(deps);
      const refused = await notifications.checkWebhookTarget(input.url, notifications.webhookTargets);
      if (refused !== undefined) throw new ValidationError([{ path: 'url', message: refused }]);
      const now = deps.clock().toISOString();
      const secret = notifications.newEndpointSecret();
      const endpoint: WebhookEndpoint = {
        ...input,
        id: deps.newId(),
        state: 'active',
        createdAt: now,
        createdBy: c.get('principal').subject,
        secrets: [{ secret, createdAt: now }],
      };
      await notifications.store.createEndpoint(endpoint);
      c.header('location', `/webhook-endpoints/${endpoint.id}`);
      return c.json({ endpoint: shownEndpoint(endpoint), secret }, 201);
    })
    .openapi(getRoute, async (c) => c.json(shownEndpoint(await existing(deps, c.req.valid('param').id)), 200))
    .openapi(rotateRoute, async (c) => {
      const { id } = c.req.valid('param');
      await existing(deps, id);
      const notifications = notificationsOf(deps);
      const secret = notifications.newEndpointSecret();
      await notifications.store.rotateEndpointSecret(id, secret, deps.clock());
      return c.json({ endpoint: shownEndpoint(await existing(deps, id)), secret }, 200);
    })
    .openapi(stateRoute('enable'), async (c) =>
      c.json(await setState(deps, c.req.valid('param').id, 'active'), 200),
    )
    .openapi(stateRoute('disable'), async (c) =>
      c.json(await setState(deps, c.req.valid('param').id, 'disabled'), 200),
    )
    .openapi(deliveriesRoute, async (c) => {
      const { id } = c.req.valid('param');
      const { limit, before } = c.req.valid('query');
      await existing(deps, id);
      const page = await notificationsOf(deps).store.listDeliveries(id, {
        limit,
        ...(before !== undefined && { before }),
      });
      return c.json({ deliveries: [...page.attempts], ...(page.before && { next: page.before }) }, 200);
    });
}
