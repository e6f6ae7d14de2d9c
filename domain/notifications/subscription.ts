import * as z from 'zod';
import { alertKinds } from '../alerts.ts';
import { eventTypes, identifierSchema } from '../event-catalogue.ts';

/**
 * Subscriptions: who is told what, how and when. Plain data validated at the edge (API, CLI); the notifier
 * reads them back from the notifications table.
 */

/** The languages a notice may be written in; the web application's, so a desk reads both in the same one. */
export const noticeLanguages = ['en', 'ru'] as const;
export type NoticeLanguage = (typeof noticeLanguages)[number];

/** What a subscription watches: every case its owner may see, one group, or a list of cases. */
export const watchedScopeSchema = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('all') }),
    z.strictObject({ kind: z.literal('group'), groupId: identifierSchema }),
    z.strictObject({
      kind: z.literal('cases'),
      caseIds: z.array(identifierSchema).min(1, 'at least one case').max(200, 'at most 200 cases'),
    }),
  ])
  .meta({ id: 'WatchedScope', description: 'Every case, one group, or a list of cases' });
export type WatchedScope = z.output<typeof watchedScopeSchema>;

/** A time zone the process knows (IANA name, e.g. Europe/Vilnius): refused before it is stored. */
export const timeZoneSchema = z
  .string()
  .min(1)
  .max(64)
  .refine((zone) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  }, 'an IANA time zone, e.g. Europe/Vilnius or UTC');

/** When notices go out: as soon as the notifier sees a change, or once a day at an hour of a time zone. */
export const cadenceSchema = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('immediate') }),
    z.strictObject({
      kind: z.literal('daily'),
      hour: z.int().min(0).max(23).meta({ description: 'The hour of the day, 0-23, in `timeZone`' }),
      timeZone: timeZoneSchema,
    }),
  ])
  .meta({ id: 'Cadence' });
export type Cadence = z.output<typeof cadenceSchema>;

/** How notices are delivered: email to an address (confirmed by a link first), or a webhook endpoint. */
export const channelSchema = z
  .discriminatedUnion('kind', [
    z.strictObject({
      kind: z.literal('email'),
      address: z.email().max(254),
      language: z.enum(noticeLanguages).default('en'),
    }),
    z.strictObject({ kind: z.literal('webhook'), endpointId: identifierSchema }),
  ])
  .meta({ id: 'Channel' });
export type Channel = z.output<typeof channelSchema>;

/** What a client sends to subscribe. At least one alert kind or event type, or there is nothing to tell. */
export const subscriptionInputSchema = z
  .strictObject({
    scope: watchedScopeSchema,
    alertKinds: z.array(z.enum(alertKinds)).max(alertKinds.length).default([]),
    eventTypes: z.array(z.enum(eventTypes)).max(eventTypes.length).default([]),
    channel: channelSchema,
    cadence: cadenceSchema.default({ kind: 'immediate' }),
  })
  .refine((input) => input.alertKinds.length + input.eventTypes.length > 0, {
    message: 'choose at least one alert kind or event type',
    path: ['alertKinds'],
  })
  .meta({ id: 'SubscriptionInput' });
export type SubscriptionInput = z.output<typeof subscriptionInputSchema>;

/**
 * `pending`: an email subscription waiting for its address to be confirmed (nothing is sent to it but the
 * confirmation); `active`; `unsubscribed`: kept so its delivery history still reads, never sent to again.
 */
export const subscriptionStates = ['pending', 'active', 'unsubscribed'] as const;
export type SubscriptionState = (typeof subscriptionStates)[number];

/** A stored subscription. */
export interface Subscription extends SubscriptionInput {
  readonly id: string;
  /** The `sub` of whoever created it: only they (and admins) may see or change it. */
  readonly owner: string;
  /**
   * The owner's roles when they subscribed: a notice never carries more than these allow. Notices never carry
   * personal data at all (names stay in the ledger, behind `pii`); see notice.ts.
   */
  readonly ownerRoles: readonly string[];
  readonly state: SubscriptionState;
  readonly createdAt: string;
  readonly confirmedAt?: string;
  readonly unsubscribedAt?: string;
}

/** Whether a subscription watches a case of a group. */
export function watches(scope: WatchedScope, caseId: string, groupId: string | null): boolean {
  if (scope.kind === 'all') return true;
  if (scope.kind === 'group') return groupId === scope.groupId;
  return scope.caseIds.includes(caseId);
}
