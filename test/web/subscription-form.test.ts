import { describe, expect, it } from 'vitest';
import { subscriptionInputSchema } from '../../domain/notifications/subscription.ts';
import {
  ALERT_KINDS,
  caseIdsOf,
  emptyDraft,
  subscriptionInputOf,
  toggled,
} from '../../web/src/notifications/subscription-form.ts';

describe('the subscribe form’s draft', () => {
  it('splits typed case ids on commas, spaces and new lines, dropping blanks and repeats', () => {
    expect(caseIdsOf(' C-1042, C-1043\nC-1042;;C-7  ')).toEqual(['C-1042', 'C-1043', 'C-7']);
    expect(caseIdsOf('   ')).toEqual([]);
  });

  it('becomes input the API’s own schema accepts, for each scope and cadence', () => {
    const base = { ...emptyDraft('ru', 'Europe/Vilnius'), address: ' desk@example.org ' };
    for (const draft of [
      base,
      { ...base, scope: 'group' as const, groupId: 'harbour-2025' },
      { ...base, scope: 'cases' as const, caseIds: 'C-1042 C-1043', cadence: 'daily' as const, hour: 23 },
    ]) {
      const parsed = subscriptionInputSchema.safeParse(subscriptionInputOf(draft));
      expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    }
    expect(subscriptionInputOf(base).channel).toEqual({
      kind: 'email',
      address: 'desk@example.org',
      language: 'ru',
    });
  });

  it('sends an admin’s choice of a webhook endpoint as the channel, with no address or language', () => {
    const draft = {
      ...emptyDraft('en', 'UTC'),
      channel: 'webhook' as const,
      endpointId: 'ep-desk-system',
      address: 'ignored@example.org',
    };
    const input = subscriptionInputOf(draft);
    expect(input.channel).toEqual({ kind: 'webhook', endpointId: 'ep-desk-system' });
    expect(subscriptionInputSchema.safeParse(input).success).toBe(true);
  });

  it('leaves to the API what it refuses: no case typed is sent as none, and refused there', () => {
    const input = subscriptionInputOf({
      ...emptyDraft('en', 'UTC'),
      scope: 'cases',
      address: 'a@example.org',
    });
    expect(input.scope).toEqual({ kind: 'cases', caseIds: [] });
    expect(subscriptionInputSchema.safeParse(input).success).toBe(false);
  });

  it('toggles a checkbox keeping the offered order', () => {
    expect(toggled(['no_news'], 'ledger_tampered', true, ALERT_KINDS)).toEqual([
      'ledger_tampered',
      'no_news',
    ]);
    expect(toggled(['ledger_tampered', 'no_news'], 'no_news', false, ALERT_KINDS)).toEqual([
      'ledger_tampered',
    ]);
  });
});
