import { Webhook } from 'standardwebhooks';

/** The Standard Webhooks headers of one delivery. */
export interface WebhookSignatureHeaders {
  readonly 'webhook-id': string;
  readonly 'webhook-timestamp': string;
  readonly 'webhook-signature': string;
}

/**
 * Signs a body with every secret that signs now (see `signingSecrets`): one `v1,<signature>` each, separated
 * by spaces, so a receiver that has switched to the new secret and one that has not both accept the delivery
 * during a rotation's overlap.
 */
export function signWebhook(
  messageId: string,
  at: Date,
  body: string,
  secrets: readonly string[],
): WebhookSignatureHeaders {
  if (secrets.length === 0) throw new Error('an endpoint without a signing secret cannot be sent webhooks');
  return {
    'webhook-id': messageId,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': secrets.map((secret) => new Webhook(secret).sign(messageId, at, body)).join(' '),
  };
}

export const ENDPOINT_SECRET_BYTES = { min: 24, max: 64, default: 32 } as const;

/**
 * A new signing secret, `whsec_` + base64 of random bytes (Standard Webhooks). The randomness is given, so the
 * caller decides where it comes from (node:crypto's randomBytes in production).
 */
export function newEndpointSecret(
  randomBytes: (size: number) => Uint8Array,
  size: number = ENDPOINT_SECRET_BYTES.default,
): string {
  if (!Number.isInteger(size) || size < ENDPOINT_SECRET_BYTES.min || size > ENDPOINT_SECRET_BYTES.max) {
    throw new RangeError(`a signing secret has 24 to 64 random bytes, not ${size}`);
  }
  const bytes = randomBytes(size);
  if (bytes.length !== size) throw new RangeError(`asked for ${size} random bytes, got ${bytes.length}`);
  return `whsec_${Buffer.from(bytes).toString('base64')}`;
}
