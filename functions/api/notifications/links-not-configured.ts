import type { LinkSigner } from '../../notify/ports.ts';

/**
 * The link signer of a process given no link secret: it makes no token and accepts none, so an email link
 * is refused as not valid (400) rather than trusted. Subscribing and listing work without it.
 */
export const linksNotConfigured: LinkSigner = {
  sign() {
    throw new Error('No link secret is configured, so no confirm or unsubscribe link can be made');
  },
  verify: () => undefined,
};
