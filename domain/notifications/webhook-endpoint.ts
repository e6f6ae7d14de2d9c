import * as z from 'zod';

/**
 * A webhook endpoint: where an organisation's system receives notices, managed by admins. Its secret signs
 * every delivery (Standard Webhooks: `whsec_` + base64 of 24-64 random bytes); it is shown once, when made or
 * rotated, and never read back through the API.
 */
export const webhookEndpointInputSchema = z
  .strictObject({
    url: z.url({ protocol: /^https?$/ }).max(2000),
    description: z.string().trim().min(1).max(200).optional(),
    /** Who hears when the endpoint is disabled after a day of failures. */
    contactEmail: z.email().max(254),
  })
  .meta({ id: 'WebhookEndpointInput' });
export type WebhookEndpointInput = z.output<typeof webhookEndpointInputSchema>;

export const endpointStates = ['active', 'disabled'] as const;
export type EndpointState = (typeof endpointStates)[number];

/** A signing secret and until when it is still used beside a newer one (during a rotation's overlap). */
export interface EndpointSecret {
  readonly secret: string;
  readonly createdAt: string;
  /** Set on the older secret when a newer one is made: both sign until then. */
  readonly retiresAt?: string;
}

export interface WebhookEndpoint extends WebhookEndpointInput {
  readonly id: string;
  readonly state: EndpointState;
  readonly createdAt: string;
  readonly createdBy: string;
  /** Newest first. */
  readonly secrets: readonly EndpointSecret[];
  /** The first failure of the current run of failures; cleared by a success. */
  readonly failingSince?: string;
  readonly disabledAt?: string;
}

/** How long an endpoint may fail without a single success before it is disabled. */
export const ENDPOINT_FAILURE_WINDOW_MS = 24 * 60 * 60 * 1000;

/** How long an old secret keeps signing after a rotation, so receivers can switch without losing a delivery. */
export const SECRET_OVERLAP_MS = 24 * 60 * 60 * 1000;

/** The secrets that sign at `now`: the newest, and any older one whose overlap has not ended. */
export function signingSecrets(endpoint: Pick<WebhookEndpoint, 'secrets'>, now: Date): string[] {
  return endpoint.secrets
    .filter(
      (s, index) => index === 0 || (s.retiresAt !== undefined && Date.parse(s.retiresAt) > now.getTime()),
    )
    .map((s) => s.secret);
}

/** One attempt to deliver a notice to an endpoint, as the delivery log shows it. */
export interface DeliveryAttempt {
  readonly endpointId: string;
  readonly noticeId: string;
  readonly attempt: number;
  readonly at: string;
  readonly outcome: 'delivered' | 'failed' | 'refused';
  /** The receiver's HTTP status, when it answered. */
  readonly status?: number;
  /** In plain words: a timeout, a refused address, the receiver's status. */
  readonly detail?: string;
  readonly durationMs: number;
}
