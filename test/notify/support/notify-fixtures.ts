import type { Subscription } from '../../../domain/notifications/subscription.ts';
import type { WebhookEndpoint } from '../../../domain/notifications/webhook-endpoint.ts';

/** A subscription of invented people and opaque case ids, active unless told otherwise. */
export function aSubscription(id: string, overrides: Partial<Subscription> = {}): Subscription {
  return {
    id,
    owner: 'desk-officer-1',
    ownerRoles: ['viewer'],
    state: 'active',
    createdAt: '2026-01-05T08:00:00.000Z',
    scope: { kind: 'all' },
    alertKinds: ['consular_visit_overdue'],
    eventTypes: [],
    channel: { kind: 'email', address: 'desk@example.org', language: 'en' },
    cadence: { kind: 'immediate' },
    ...overrides,
  };
}

export function anEndpoint(id: string, overrides: Partial<WebhookEndpoint> = {}): WebhookEndpoint {
  return {
    id,
    url: 'https://hooks.example.org/ledger',
    contactEmail: 'ops@example.org',
    state: 'active',
    createdAt: '2026-01-05T08:00:00.000Z',
    createdBy: 'admin-1',
    secrets: [
      {
        secret: `whsec_${Buffer.from('a'.repeat(32)).toString('base64')}`,
        createdAt: '2026-01-05T08:00:00.000Z',
      },
    ],
    ...overrides,
  };
}
