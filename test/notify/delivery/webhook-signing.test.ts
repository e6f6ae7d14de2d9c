import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { WEBHOOK_EVENT_TYPES } from '../../../domain/notifications/notice.ts';
import { webhookBody, webhookPayload } from '../../../functions/notify/webhooks/webhook-payload.ts';
import { newEndpointSecret, signWebhook } from '../../../functions/notify/webhooks/webhook-signing.ts';
import { bodies, notice } from './sample-notices.ts';

describe('webhookPayload and webhookBody', () => {
  it('gives every kind its stable type, the notice time and only ids, dates and kinds', () => {
    for (const [kind, body] of Object.entries(bodies)) {
      const payload = webhookPayload(notice(body));
      expect(payload.type).toBe(WEBHOOK_EVENT_TYPES[kind as keyof typeof WEBHOOK_EVENT_TYPES]);
      expect(payload.timestamp).toBe('2026-03-05T12:00:00.000Z');
      expect(payload.data).toMatchObject({ noticeId: `N-${kind}`, subscriptionId: 'S-1' });
    }
    expect(webhookPayload(notice(bodies.alert_raised)).data).toMatchObject({
      caseId: 'C-1042',
      groupId: 'G-north',
      alert: { kind: 'consular_visit_overdue', since: '2026-01-16', days: 45 },
    });
    expect(webhookPayload(notice(bodies.case_event)).data).toMatchObject({
      eventType: 'HearingScheduled',
      version: 9,
    });
  });

  it('is the same bytes however the notice was built', () => {
    const a = notice(bodies.case_event);
    const reordered = {
      body: a.body,
      language: a.language,
      createdAt: a.createdAt,
      subscriptionId: a.subscriptionId,
      id: a.id,
    };
    expect(webhookBody(reordered)).toBe(webhookBody(a));
    expect(JSON.parse(webhookBody(a))).toEqual(webhookPayload(a));
  });

  it('never carries what a notice should not hold, even when something slipped onto it', () => {
    const smuggled = { ...notice(bodies.alert_raised), subjectName: 'Ivan Testovich Primerov' };
    expect(webhookBody(smuggled)).not.toContain('Primerov');
  });
});

describe('signWebhook', () => {
  const oldSecret = newEndpointSecret(randomBytes);
  const newSecret = newEndpointSecret(randomBytes);
  const body = webhookBody(notice(bodies.alert_raised));
  const now = new Date();

  it('signs once per secret, space-separated, and each secret verifies on its own', () => {
    const headers = signWebhook('N-1', now, body, [newSecret, oldSecret]);
    expect(headers['webhook-id']).toBe('N-1');
    expect(headers['webhook-timestamp']).toBe(String(Math.floor(now.getTime() / 1000)));
    expect(headers['webhook-signature']).toMatch(/^v1,\S+ v1,\S+$/);
    expect(new Webhook(oldSecret).verify(body, { ...headers })).toEqual(JSON.parse(body));
    expect(new Webhook(newSecret).verify(body, { ...headers })).toEqual(JSON.parse(body));
  });

  it('a tampered body, id or another secret does not verify', () => {
    const headers = { ...signWebhook('N-1', now, body, [newSecret]) };
    expect(() => new Webhook(newSecret).verify(body.replace('C-1042', 'C-1043'), headers)).toThrow();
    expect(() => new Webhook(newSecret).verify(body, { ...headers, 'webhook-id': 'N-2' })).toThrow();
    expect(() => new Webhook(oldSecret).verify(body, headers)).toThrow();
  });

  it('refuses to sign without a secret', () => {
    expect(() => signWebhook('N-1', now, body, [])).toThrow(/without a signing secret/);
  });
});

describe('newEndpointSecret', () => {
  it('is whsec_ and base64 of the given random bytes, 24 to 64 of them', () => {
    const secret = newEndpointSecret((size) => new Uint8Array(size).fill(7), 24);
    expect(secret).toBe(`whsec_${Buffer.alloc(24, 7).toString('base64')}`);
    expect(Buffer.from(newEndpointSecret(randomBytes).slice(6), 'base64')).toHaveLength(32);
    expect(Buffer.from(newEndpointSecret(randomBytes, 64).slice(6), 'base64')).toHaveLength(64);
  });

  it('refuses sizes out of range and a short source of randomness', () => {
    expect(() => newEndpointSecret(randomBytes, 23)).toThrow(/24 to 64/);
    expect(() => newEndpointSecret(randomBytes, 65)).toThrow(/24 to 64/);
    expect(() => newEndpointSecret(() => new Uint8Array(3))).toThrow(/got 3/);
  });
});
