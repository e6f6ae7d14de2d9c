import { z } from '@hono/zod-openapi';
import { alertKinds } from '../../../domain/alerts.ts';
import { eventTypes, identifierSchema } from '../../../domain/event-catalogue.ts';
import {
  cadenceSchema,
  channelSchema,
  subscriptionStates,
  watchedScopeSchema,
} from '../../../domain/notifications/subscription.ts';
import { endpointStates } from '../../../domain/notifications/webhook-endpoint.ts';

/**
 * What the notification routes take and answer, beside the domain's input schemas (subscriptionInputSchema,
 * webhookEndpointInputSchema). No answer ever holds an endpoint's secrets but the one that makes them.
 */

export const idParams = z.object({
  id: identifierSchema.meta({
    param: { name: 'id', in: 'path' },
    example: 'b3c1f0de-0000-4000-8000-000000000001',
  }),
});

export const listSubscriptionsQuery = z.object({
  all: z
    .enum(['true', 'false'])
    .optional()
    .meta({ description: "Admins only: everyone's subscriptions, not only the caller's" }),
});

/** A link token of a confirmation or unsubscribe email; long enough for any token we sign, no longer. */
const linkToken = z.string().min(1).max(1000).meta({ description: 'The token of the link in the email' });

export const linkTokenBody = z.strictObject({ token: linkToken }).meta({ id: 'LinkToken' });

export const unsubscribeQuery = z.object({
  token: linkToken
    .optional()
    .meta({ description: 'RFC 8058 one-click: the token of the List-Unsubscribe URL' }),
});

/** RFC 8058: a mail client's one-click unsubscribe posts exactly this form. */
export const oneClickForm = z
  .object({ 'List-Unsubscribe': z.literal('One-Click') })
  .meta({ id: 'OneClickUnsubscribe' });

export const subscriptionSchema = z
  .object({
    id: z.string(),
    owner: z.string().meta({ description: 'The token subject of whoever subscribed' }),
    scope: watchedScopeSchema,
    alertKinds: z.array(z.enum(alertKinds)),
    eventTypes: z.array(z.enum(eventTypes)),
    channel: channelSchema,
    cadence: cadenceSchema,
    state: z.enum(subscriptionStates).meta({
      description: '`pending`: waiting for the address to be confirmed by the link sent to it',
    }),
    createdAt: z.string(),
    confirmedAt: z.string().optional(),
    unsubscribedAt: z.string().optional(),
  })
  .meta({ id: 'Subscription' });

export const subscriptionsSchema = z
  .object({ subscriptions: z.array(subscriptionSchema).meta({ description: 'Newest first' }) })
  .meta({ id: 'Subscriptions' });

/** What a link's page may be told: the outcome, nothing of the subscription (the link may be forwarded). */
export const linkOutcomeSchema = z
  .object({
    outcome: z.enum(['confirmed', 'already_confirmed', 'unsubscribed', 'already_unsubscribed']),
  })
  .meta({ id: 'LinkOutcome' });

const secretInfoSchema = z
  .object({
    createdAt: z.string(),
    retiresAt: z.string().optional().meta({ description: 'Until when this older secret still signs' }),
  })
  .meta({ id: 'EndpointSecretInfo', description: 'A signing secret, without its value' });

export const endpointSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    description: z.string().optional(),
    contactEmail: z.string(),
    state: z.enum(endpointStates),
    createdAt: z.string(),
    createdBy: z.string(),
    secrets: z
      .array(secretInfoSchema)
      .meta({ description: 'Newest first; the values are never shown again' }),
    failingSince: z.string().optional(),
    disabledAt: z.string().optional(),
  })
  .meta({ id: 'WebhookEndpoint' });

export const endpointsSchema = z
  .object({ endpoints: z.array(endpointSchema) })
  .meta({ id: 'WebhookEndpoints' });

export const endpointWithSecretSchema = z
  .object({
    endpoint: endpointSchema,
    secret: z.string().meta({
      description: 'The new signing secret (`whsec_…`): shown in this answer only, never again',
    }),
  })
  .meta({ id: 'WebhookEndpointSecret' });

export const deliveriesQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50).meta({ description: '1-100, 50 by default' }),
  before: z
    .string()
    .min(1)
    .max(300)
    .optional()
    .meta({ description: 'The `next` of the previous page: the attempts older than it' }),
});

export const deliveryAttemptSchema = z
  .object({
    endpointId: z.string(),
    noticeId: z.string(),
    attempt: z.int(),
    at: z.string(),
    outcome: z.enum(['delivered', 'failed', 'refused']),
    status: z.int().optional(),
    detail: z.string().optional(),
    durationMs: z.number(),
  })
  .meta({ id: 'DeliveryAttempt' });

export const deliveriesSchema = z
  .object({
    deliveries: z.array(deliveryAttemptSchema).meta({ description: 'Newest first' }),
    next: z.string().optional().meta({ description: 'Pass as `before` for the older attempts' }),
  })
  .meta({ id: 'Deliveries' });

/** The Location of what a POST made, as the OpenAPI document declares it. */
export function locationHeader(what: string) {
  return { Location: { description: `The path of the new ${what}`, schema: { type: 'string' as const } } };
}
