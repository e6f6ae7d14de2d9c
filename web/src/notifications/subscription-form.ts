import { alertKinds } from '../../../domain/alerts.ts';
import { eventTypes } from '../../../domain/event-catalogue.ts';
import type { components } from '../api/ledger-api.d.ts';

export type SubscriptionInput = components['schemas']['SubscriptionInput'];
export type AlertKind = SubscriptionInput['alertKinds'][number];
export type EventType = SubscriptionInput['eventTypes'][number];

/** What the subscribe form holds, as typed; `subscriptionInputOf` turns it into what the API takes. */
export interface SubscriptionDraft {
  readonly scope: 'all' | 'group' | 'cases';
  readonly groupId: string;
  /** Case ids as typed: separated by commas, spaces or new lines. */
  readonly caseIds: string;
  readonly alertKinds: readonly AlertKind[];
  readonly eventTypes: readonly EventType[];
  /** Email for anyone; a webhook endpoint for admins, who manage the endpoints. */
  readonly channel: 'email' | 'webhook';
  readonly address: string;
  readonly endpointId: string;
  readonly language: 'en' | 'ru';
  readonly cadence: 'immediate' | 'daily';
  readonly hour: number;
  readonly timeZone: string;
}

/** The alert kinds a desk chooses from: every kind the ledger derives, in the order the board lists them. */
export const ALERT_KINDS: readonly AlertKind[] = alertKinds;

/**
 * The event types worth a notice: every type a recorder can append but the opening (a case that is opened is
 * in no subscription's scope yet). A retraction is offered too: it is told as what it is.
 */
export const EVENT_TYPES: readonly EventType[] = eventTypes.filter((type) => type !== 'CaseOpened');

/** The browser's own time zone, so a daily digest comes at the hour the person means; UTC when unknown. */
export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

export function emptyDraft(language: 'en' | 'ru', timeZone: string): SubscriptionDraft {
  return {
    scope: 'all',
    groupId: '',
    caseIds: '',
    alertKinds: [...ALERT_KINDS],
    eventTypes: [],
    channel: 'email',
    address: '',
    endpointId: '',
    language,
    cadence: 'immediate',
    hour: 8,
    timeZone,
  };
}

/** Case ids typed in a box: split on commas, spaces and new lines, blanks and repeats dropped. */
export function caseIdsOf(text: string): string[] {
  return [...new Set(text.split(/[\s,;]+/).filter((id) => id !== ''))];
}

/** The API's input from the draft. The API checks everything again and says what is wrong in its own words. */
export function subscriptionInputOf(draft: SubscriptionDraft): SubscriptionInput {
  const scope: SubscriptionInput['scope'] =
    draft.scope === 'group'
      ? { kind: 'group', groupId: draft.groupId }
      : draft.scope === 'cases'
        ? { kind: 'cases', caseIds: caseIdsOf(draft.caseIds) }
        : { kind: 'all' };
  return {
    scope,
    alertKinds: [...draft.alertKinds],
    eventTypes: [...draft.eventTypes],
    channel:
      draft.channel === 'webhook'
        ? { kind: 'webhook', endpointId: draft.endpointId }
        : { kind: 'email', address: draft.address.trim(), language: draft.language },
    cadence:
      draft.cadence === 'daily'
        ? { kind: 'daily', hour: draft.hour, timeZone: draft.timeZone.trim() }
        : { kind: 'immediate' },
  };
}

/** Adds or removes one choice of a list of checkboxes, keeping the offered order. */
export function toggled<T>(chosen: readonly T[], value: T, on: boolean, order: readonly T[]): T[] {
  const next = new Set(chosen);
  if (on) next.add(value);
  else next.delete(value);
  return order.filter((item) => next.has(item));
}
