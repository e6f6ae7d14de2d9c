import { createRoute } from '@hono/zod-openapi';
import { ValidationError } from '../../../domain/errors.ts';
import { type Subscription, subscriptionInputSchema } from '../../../domain/notifications/subscription.ts';
import type { ApiDependencies, AppEnv } from '../app-env.ts';
import { ForbiddenError, guarded } from '../auth/access.ts';
import type { Principal } from '../auth/principal.ts';
import { notificationsOf } from '../notifications/notification-deps.ts';
import { SubscriptionNotFoundError } from '../notifications/notification-errors.ts';
import {
  idParams,
  listSubscriptionsQuery,
  locationHeader,
  subscriptionSchema,
  subscriptionsSchema,
} from '../notifications/notification-schemas.ts';
import { shownSubscription } from '../notifications/shown-notifications.ts';
import { problemResponses } from '../openapi-responses.ts';
import { routeApp } from './route-app.ts';

const listRoute = createRoute(
  guarded({
    method: 'get',
    path: '/subscriptions',
    operationId: 'listSubscriptions',
    summary: 'Your subscriptions to notices (every one, for an admin who asks `all=true`)',
    request: { query: listSubscriptionsQuery },
    responses: {
      200: {
        description: 'The subscriptions',
        content: { 'application/json': { schema: subscriptionsSchema } },
      },
      ...problemResponses('validation_failed', 'unavailable', 'store_unavailable'),
    },
  }),
);

const createSubscriptionRoute = createRoute(
  guarded({
    method: 'post',
    path: '/subscriptions',
    operationId: 'createSubscription',
    summary: 'Subscribe to alerts and events of every case, a group, or some cases',
    description:
      'By email for any reader (viewer, auditor, admin): the subscription starts `pending`, and a link to ' +
      'confirm the address is sent to it; nothing else is sent until it is confirmed. To a webhook endpoint for ' +
      'admins only, active at once. Notices carry case ids, groups, dates and kinds, never personal data.',
    request: {
      body: { required: true, content: { 'application/json': { schema: subscriptionInputSchema } } },
    },
    responses: {
      201: {
        description: 'The new subscription',
        headers: locationHeader('subscription'),
        content: { 'application/json': { schema: subscriptionSchema } },
      },
      ...problemResponses(
        'validation_failed',
        'http_400',
        'http_413',
        'http_415',
        'unavailable',
        'store_unavailable',
      ),
    },
  }),
);

const getRoute = createRoute(
  guarded({
    method: 'get',
    path: '/subscriptions/{id}',
    operationId: 'getSubscription',
    summary: 'One of your subscriptions',
    request: { params: idParams },
    responses: {
      200: {
        description: 'The subscription',
        content: { 'application/json': { schema: subscriptionSchema } },
      },
      ...problemResponses('validation_failed', 'subscription_not_found', 'unavailable', 'store_unavailable'),
    },
  }),
);

const deleteRoute = createRoute(
  guarded({
    method: 'delete',
    path: '/subscriptions/{id}',
    operationId: 'unsubscribe',
    summary: 'Unsubscribe: nothing more is sent; the subscription is kept so what was sent still reads',
    request: { params: idParams },
    responses: {
      200: {
        description: 'The subscription, ended',
        content: { 'application/json': { schema: subscriptionSchema } },
      },
      ...problemResponses('validation_failed', 'subscription_not_found', 'unavailable', 'store_unavailable'),
    },
  }),
);

const isAdmin = (principal: Principal) => principal.roles.has('admin');

/** A subscription the caller may see: their own, or any for an admin. Else "not found", never "forbidden". */
async function visibleSubscription(deps: ApiDependencies, principal: Principal, id: string) {
  const found = await notificationsOf(deps).store.getSubscription(id);
  if (found === undefined || (found.owner !== principal.subject && !isAdmin(principal))) {
    throw new SubscriptionNotFoundError(id);
  }
  return found;
}

async function readBack(deps: ApiDependencies, id: string) {
  const stored = await notificationsOf(deps).store.getSubscription(id);
  if (stored === undefined) throw new SubscriptionNotFoundError(id);
  return stored;
}

export function subscriptionRoutes(deps: ApiDependencies) {
  return routeApp()
    .openapi(listRoute, async (c) => {
      const principal = c.get('principal');
      const all = c.req.valid('query').all === 'true';
      if (all && !isAdmin(principal)) throw new ForbiddenError(['admin']);
      const { store } = notificationsOf(deps);
      const found = await store.listSubscriptions(all ? {} : { owner: principal.subject });
      return c.json({ subscriptions: found.map(shownSubscription) }, 200);
    })
    .openapi(createSubscriptionRoute, async (c) => {
      const principal: AppEnv['Variables']['principal'] = c.get('principal');
      const input = c.req.valid('json');
      const notifications = notificationsOf(deps);
      if (input.channel.kind === 'webhook') {
        if (!isAdmin(principal)) throw new ForbiddenError(['admin']);
        if ((await notifications.store.getEndpoint(input.channel.endpointId)) === undefined) {
          throw new ValidationError([
            { path: 'channel.endpointId', message: `no webhook endpoint ${input.channel.endpointId}` },
          ]);
        }
      }
      const now = deps.clock();
      const subscription: Subscription = {
        ...input,
        id: deps.newId(),
        owner: principal.subject,
        ownerRoles: [...principal.roles].sort(),
        // An address is told nothing until whoever reads it says it is theirs; an endpoint is an admin's own.
        state: input.channel.kind === 'email' ? 'pending' : 'active',
        createdAt: now.toISOString(),
        ...(input.channel.kind === 'webhook' && { confirmedAt: now.toISOString() }),
      };
      await notifications.store.createSubscription(subscription);
      if (subscription.state === 'pending') await notifications.requestConfirmation?.(subscription, now);
      c.header('location', `/subscriptions/${subscription.id}`);
      return c.json(shownSubscription(subscription), 201);
    })
    .openapi(getRoute, async (c) => {
      const found = await visibleSubscription(deps, c.get('principal'), c.req.valid('param').id);
      return c.json(shownSubscription(found), 200);
    })
    .openapi(deleteRoute, async (c) => {
      const found = await visibleSubscription(deps, c.get('principal'), c.req.valid('param').id);
      if (found.state !== 'unsubscribed')
        await notificationsOf(deps).store.unsubscribe(found.id, deps.clock());
      return c.json(shownSubscription(await readBack(deps, found.id)), 200);
    });
}
