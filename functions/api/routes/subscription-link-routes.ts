import { createRoute } from '@hono/zod-openapi';
import { ValidationError } from '../../../domain/errors.ts';
import type { LinkAction } from '../../notify/ports.ts';
import type { ApiDependencies } from '../app-env.ts';
import { notificationsOf } from '../notifications/notification-deps.ts';
import { LinkGoneError, LinkInvalidError } from '../notifications/notification-errors.ts';
import {
  linkOutcomeSchema,
  linkTokenBody,
  oneClickForm,
  unsubscribeQuery,
} from '../notifications/notification-schemas.ts';
import { problemResponses } from '../openapi-responses.ts';
import { routeApp } from './route-app.ts';

/**
 * The links of notification emails. They are public: the signed token is the authority, so whoever holds the
 * email may confirm or end that one subscription and nothing else. Only a POST changes anything: the pages the
 * links open post the token once they run, so a mail scanner that fetches the link changes nothing.
 */

const confirmRoute = createRoute({
  method: 'post',
  path: '/subscriptions/confirm',
  operationId: 'confirmSubscription',
  security: [],
  summary: "Confirm an email subscription's address with the token of the link sent to it",
  request: { body: { required: true, content: { 'application/json': { schema: linkTokenBody } } } },
  responses: {
    200: { description: 'What happened', content: { 'application/json': { schema: linkOutcomeSchema } } },
    ...problemResponses(
      'validation_failed',
      'link_invalid',
      'http_400',
      'http_413',
      'http_415',
      'link_gone',
      'unavailable',
      'store_unavailable',
    ),
  },
});

const unsubscribeRoute = createRoute({
  method: 'post',
  path: '/subscriptions/unsubscribe',
  operationId: 'unsubscribeByLink',
  security: [],
  summary: 'Unsubscribe with the token of a link in a notice',
  description:
    'The web page posts `{ "token" }` as JSON; a mail client\'s RFC 8058 one-click unsubscribe posts the form ' +
    '`List-Unsubscribe=One-Click` to the `List-Unsubscribe` URL, which carries the token as `?token=`. ' +
    'Unsubscribing twice is no error.',
  request: {
    query: unsubscribeQuery,
    body: {
      content: {
        'application/json': { schema: linkTokenBody },
        'application/x-www-form-urlencoded': { schema: oneClickForm },
      },
    },
  },
  responses: {
    200: { description: 'What happened', content: { 'application/json': { schema: linkOutcomeSchema } } },
    ...problemResponses(
      'validation_failed',
      'link_invalid',
      'http_400',
      'http_413',
      'http_415',
      'link_gone',
      'unavailable',
      'store_unavailable',
    ),
  },
});

/** The subscription a genuine token of `action` is for; a 400 for a bad token, a 410 for a vanished one. */
async function subscriptionOfToken(deps: ApiDependencies, token: string, action: LinkAction) {
  const notifications = notificationsOf(deps);
  const id = notifications.links.verify(token, action, deps.clock());
  if (id === undefined) throw new LinkInvalidError();
  const subscription = await notifications.store.getSubscription(id);
  if (subscription === undefined) throw new LinkGoneError('This subscription no longer exists');
  return subscription;
}

export function subscriptionLinkRoutes(deps: ApiDependencies) {
  return routeApp()
    .openapi(confirmRoute, async (c) => {
      const subscription = await subscriptionOfToken(deps, c.req.valid('json').token, 'confirm');
      if (subscription.state === 'unsubscribed') {
        throw new LinkGoneError(
          'This subscription was ended, so there is nothing to confirm: subscribe again',
        );
      }
      if (subscription.state === 'active') return c.json({ outcome: 'already_confirmed' as const }, 200);
      await notificationsOf(deps).store.confirmSubscription(subscription.id, deps.clock());
      return c.json({ outcome: 'confirmed' as const }, 200);
    })
    .openapi(unsubscribeRoute, async (c) => {
      // The JSON body of the web page, or the query of a one-click form post (its body is validated alone).
      const body = c.req.valid('json') as { token?: string } | undefined;
      const token = (body && 'token' in body ? body.token : undefined) ?? c.req.valid('query').token;
      if (token === undefined) {
        throw new ValidationError([{ path: 'token', message: 'the token of the link is required' }]);
      }
      const subscription = await subscriptionOfToken(deps, token, 'unsubscribe');
      if (subscription.state === 'unsubscribed')
        return c.json({ outcome: 'already_unsubscribed' as const }, 200);
      await notificationsOf(deps).store.unsubscribe(subscription.id, deps.clock());
      return c.json({ outcome: 'unsubscribed' as const }, 200);
    });
}
