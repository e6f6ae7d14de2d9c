import { randomBytes } from 'node:crypto';

/**
 * A Standard Webhooks signing secret: `whsec_` and the base64 of 32 random bytes. Stands in until the
 * delivery code's `newEndpointSecret` is wired in its place.
 */
export function newEndpointSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}
