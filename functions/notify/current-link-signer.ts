import { UnavailableError } from '../api/api-error.ts';
import type { LinkSigner } from './ports.ts';
import { signedLinks } from './signed-links.ts';

/**
 * A link signer over a key read at run time (Secrets Manager on AWS): signs and checks with the key as last
 * read. Until a key has been read, the requests that need one are answered 503 (the key cannot be reached),
 * never trusted and never refused as forged.
 */
export function currentLinkSigner(current: () => string | undefined): LinkSigner {
  let signer: { key: string; links: LinkSigner } | undefined;
  const links = (): LinkSigner => {
    const key = current();
    if (key === undefined) throw new UnavailableError(['the key that signs email links']);
    if (signer?.key !== key) signer = { key, links: signedLinks(key) };
    return signer.links;
  };
  return {
    sign: (subscriptionId, action, now) => links().sign(subscriptionId, action, now),
    verify: (token, action, now) => links().verify(token, action, now),
  };
}
