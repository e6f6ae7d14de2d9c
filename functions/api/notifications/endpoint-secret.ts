import { randomBytes } from 'node:crypto';
import { newEndpointSecret as secretFrom } from '../../notify/webhooks/webhook-signing.ts';

/** A new Standard Webhooks signing secret for an endpoint: `whsec_` and 32 random bytes, base64. */
export function newEndpointSecret(): string {
  return secretFrom(randomBytes);
}
